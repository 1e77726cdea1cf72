"""Reads of annotations, claims and tags for readers, always through the access filter."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from .. import access
from ..models import (
    AnchorStatus,
    Annotation,
    Claim,
    ClaimStance,
    Motivation,
    TaggedAnnotation,
)

ANNOTATION_FILTERS = ("article", "tag", "motivation", "creator", "claim", "anchor_status")


def annotation_list(
    *, user: access.User | None, filters: dict[str, str] | None = None
) -> QuerySet[Annotation]:
    """Annotations the user may read, filtered, in text order, ready to serialise."""
    filters = filters or {}
    annotations = (
        access.annotations_visible_to(user)
        .select_related("article", "creator", "anchor_revision", "claim", "group")
        .prefetch_related("tags")  # type: ignore[misc]  # taggit prefetches; the plugin can't tell
        .order_by("article__title", "article_id", "start", "end", "pk")
    )
    if slug := filters.get("article"):
        annotations = annotations.filter(article__slug=slug)
    if tag := filters.get("tag"):
        annotations = annotations.filter(tags__name__iexact=tag)
    if (motivation := filters.get("motivation")) and motivation in Motivation.values:
        annotations = annotations.filter(motivation=motivation)
    elif motivation:
        annotations = annotations.none()
    if creator := filters.get("creator"):
        annotations = annotations.filter(creator__username=creator)
    if claim := filters.get("claim"):
        valid = claim.isascii() and claim.isdigit() and len(claim) < 19
        annotations = annotations.filter(claim_id=int(claim)) if valid else annotations.none()
    if (status := filters.get("anchor_status")) and status in AnchorStatus.values:
        annotations = annotations.filter(anchor_status=status)
    elif status:
        annotations = annotations.none()
    return annotations.distinct()


def claim_list(*, user: access.User | None, query: str = "") -> QuerySet[Claim]:
    """Claims the user may read, newest first, with how many passages they may see carry each
    (passage_count)."""
    seen = access.annotation_visibility_q(user, prefix="annotations__")
    claims = (
        access.claims_visible_to(user)
        .select_related("reviewed_by")
        .prefetch_related("tags")  # type: ignore[misc]  # taggit prefetches; the plugin can't tell
        .annotate(passage_count=Count("annotations", filter=seen, distinct=True))
        .order_by("-modified", "pk")
    )
    if query:
        claims = claims.filter(Q(text__icontains=query) | Q(claimant__icontains=query))
    return claims


def tag_suggestions(
    *, user: access.User | None, query: str = "", limit: int = 20
) -> list[dict[str, Any]]:
    """Tags used on annotations the user may read, most used first, for autocomplete."""
    visible = access.annotations_visible_to(user).values("pk")
    tags = (
        TaggedAnnotation.objects.filter(content_object__in=visible)
        .values("tag__name", "tag__slug")
        .annotate(count=Count("content_object", distinct=True))
        .order_by("-count", "tag__name")
    )
    if query:
        tags = tags.filter(tag__name__icontains=query)
    return [
        {"name": row["tag__name"], "slug": row["tag__slug"], "count": row["count"]}
        for row in tags[:limit]
    ]


@dataclass(slots=True)
class OutletGroup:
    outlet: str
    annotations: list[Annotation]


def _group_by_outlet(annotations: list[Annotation]) -> list[OutletGroup]:
    groups: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        outlet = annotation.article.outlet.name if annotation.article.outlet else "Outlet unknown"
        groups.setdefault(outlet, []).append(annotation)
    return [OutletGroup(name, items) for name, items in sorted(groups.items())]


def _passages(user: access.User | None) -> QuerySet[Annotation]:
    return (
        access.annotations_visible_to(user)
        .filter(parent__isnull=True)
        .select_related("article__outlet", "creator", "claim")
        .prefetch_related("tags")  # type: ignore[misc]  # taggit prefetches; the plugin can't tell
        .order_by("article__title", "start", "pk")
    )


def passages_with_tag(*, user: access.User | None, slug: str) -> list[OutletGroup]:
    """Every passage the user may see that carries the tag, grouped by outlet."""
    return _group_by_outlet(list(_passages(user).filter(tags__slug=slug).distinct()))


@dataclass(frozen=True, slots=True)
class ClaimSides:
    """The passages a reader may see that carry a claim, and those that dispute it."""

    carrying: list[OutletGroup]
    disputing: list[OutletGroup]


def claim_passages(*, user: access.User | None, claim: Claim) -> ClaimSides:
    """The passages carrying a claim across outlets, and apart, those disputing it."""
    passages = list(_passages(user).filter(claim=claim))
    return ClaimSides(
        carrying=_group_by_outlet([a for a in passages if a.claim_stance != ClaimStance.DISPUTES]),
        disputing=_group_by_outlet([a for a in passages if a.claim_stance == ClaimStance.DISPUTES]),
    )
