"""Reads of annotations, claims and tags, always through the access filter."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.safestring import mark_safe

from articles.models import Article

from . import access
from .highlights import Span
from .models import AnchorStatus, Annotation, Claim, Motivation, TaggedAnnotation
from .notes import render_note

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


@dataclass(slots=True)
class Card:
    """One annotation as the reader's sidebar shows it, with its thread."""

    annotation: Annotation
    note_html: str
    mine: bool
    replies: list["Card"] = field(default_factory=list)


@dataclass(slots=True)
class ReaderAnnotations:
    cards: list[Card]  # anchored on the current revision, in text order
    orphans: list[Card]  # orphaned, or left on an older revision
    spans: list[Span]

    @property
    def tags(self) -> list[str]:
        return sorted({t.name for c in self.cards for t in c.annotation.tags.all()}, key=str.lower)

    @property
    def authors(self) -> list[str]:
        return sorted({c.annotation.creator.get_username() for c in self.cards}, key=str.lower)


def annotations_for_reader(*, user, article: Article) -> ReaderAnnotations:
    """What a reader sees of an article's annotations: cards, orphans and highlight spans."""
    records = list(
        access.annotations_visible_to(user)
        .filter(article=article)
        .select_related("creator", "claim", "anchor_revision")
        .prefetch_related("tags")
        .order_by("start", "end", "created", "pk")
    )
    user_id = user.pk if user is not None and user.is_authenticated else None

    def card(annotation: Annotation) -> Card:
        # render_note returns sanitised HTML (allowlist; see annotations/notes.py).
        note_html = mark_safe(render_note(annotation.note)) if annotation.note else ""
        return Card(annotation, note_html, annotation.creator_id == user_id)

    top = {a.pk: card(a) for a in records if a.parent_id is None}
    for annotation in records:
        if annotation.parent_id in top:
            top[annotation.parent_id].replies.append(card(annotation))
    current = article.current_revision_id
    cards, orphans = [], []
    for item in top.values():
        annotation = item.annotation
        if (
            annotation.anchor_status == AnchorStatus.ORPHANED
            or annotation.anchor_revision_id != current
        ):
            orphans.append(item)
        else:
            cards.append(item)
    for item in cards + orphans:
        item.replies.sort(key=lambda reply: (reply.annotation.created, reply.annotation.pk))
    spans = [
        Span(c.annotation.pk, c.annotation.start, c.annotation.end, c.annotation.colour)
        for c in cards
    ]
    return ReaderAnnotations(cards=cards, orphans=orphans, spans=spans)


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


def _passages(user) -> QuerySet[Annotation]:
    return (
        access.annotations_visible_to(user)
        .filter(parent__isnull=True)
        .select_related("article__outlet", "creator", "claim")
        .prefetch_related("tags")
        .order_by("article__title", "start", "pk")
    )


def passages_with_tag(*, user, slug: str) -> list[OutletGroup]:
    """Every passage the user may see that carries the tag, grouped by outlet."""
    return _group_by_outlet(list(_passages(user).filter(tags__slug=slug).distinct()))


def claim_passages(*, user, claim: Claim) -> list[OutletGroup]:
    """The passages carrying a claim across outlets."""
    return _group_by_outlet(list(_passages(user).filter(claim=claim)))
