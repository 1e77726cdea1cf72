"""Reads of annotations, claims and tags, always through the access filter."""

from django.db.models import Count, Q, QuerySet

from . import access
from .models import AnchorStatus, Annotation, Claim, Motivation, TaggedAnnotation

ANNOTATION_FILTERS = ("article", "tag", "motivation", "creator", "claim", "anchor_status")


def annotation_list(*, user, filters: dict[str, str] | None = None) -> QuerySet[Annotation]:
    """Annotations the user may read, filtered, in text order, ready to serialise."""
    filters = filters or {}
    annotations = (
        access.annotations_visible_to(user)
        .select_related("article", "creator", "anchor_revision", "claim")
        .prefetch_related("tags")
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
        annotations = annotations.filter(claim_id=claim) if claim.isdigit() else annotations.none()
    if (status := filters.get("anchor_status")) and status in AnchorStatus.values:
        annotations = annotations.filter(anchor_status=status)
    elif status:
        annotations = annotations.none()
    return annotations.distinct()


def claim_list(*, user, query: str = "") -> QuerySet[Claim]:
    claims = (
        access.claims_visible_to(user)
        .select_related("reviewed_by")
        .prefetch_related("tags")
        .annotate(passage_count=Count("annotations", distinct=True))
        .order_by("-modified", "pk")
    )
    if query:
        claims = claims.filter(Q(text__icontains=query) | Q(claimant__icontains=query))
    return claims


def tag_suggestions(*, user, query: str = "", limit: int = 20) -> list[dict]:
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
