"""Reads of annotations, claims and tags, always through the access filter."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from taggit.models import Tag

from articles.models import Article, PassageLink

from . import access
from .anchoring import Selector, locate
from .highlights import Span
from .models import (
    AnchorStatus,
    Annotation,
    Claim,
    ClaimStance,
    Motivation,
    TaggedAnnotation,
    TaggedClaim,
)

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
        valid = claim.isascii() and claim.isdigit() and len(claim) < 19
        annotations = annotations.filter(claim_id=int(claim)) if valid else annotations.none()
    if (status := filters.get("anchor_status")) and status in AnchorStatus.values:
        annotations = annotations.filter(anchor_status=status)
    elif status:
        annotations = annotations.none()
    return annotations.distinct()


def claim_list(*, user, query: str = "") -> QuerySet[Claim]:
    """Claims the user may read, newest first, with how many passages they may see carry each
    (passage_count)."""
    seen = access.annotation_visibility_q(user, prefix="annotations__")
    claims = (
        access.claims_visible_to(user)
        .select_related("reviewed_by")
        .prefetch_related("tags")
        .annotate(passage_count=Count("annotations", filter=seen, distinct=True))
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
    """One annotation as the reader's sidebar shows it, with its thread. Everything the card
    prints is formatted here once, so the template (a loop over up to thousands of cards)
    applies no filter per card."""

    annotation: Annotation
    note_html: str
    mine: bool
    replies: list["Card"] = field(default_factory=list)
    author: str = ""
    quote: str = ""  # the quoted words, shortened
    claim_text: str = ""  # the claim's words, shortened
    tags: list[Tag] = field(default_factory=list)
    tag_names: str = ""  # for data-tags: names joined by "|"
    motivation: str = ""  # e.g. "Commenting"
    created_iso: str = ""
    created_label: str = ""  # e.g. "22 Jan 2017, 14:05"
    reattached: str = ""  # "moved" or "fuzzy" when re-attached after an edit, else ""
    score: str = ""  # the anchoring score, two decimals

    @classmethod
    def of(cls, annotation: Annotation, *, user_id: int | None) -> "Card":
        # Rendered and sanitised when the note was written (annotations/notes.py); never here.
        note_html = mark_safe(annotation.note_html)
        tags = sorted(annotation.tags.all(), key=lambda t: t.name.lower())
        created = timezone.localtime(annotation.created)
        status = annotation.anchor_status
        return cls(
            annotation=annotation,
            note_html=note_html,
            mine=annotation.creator_id == user_id,
            author=annotation.creator.get_username(),
            quote=Truncator(annotation.exact).chars(160) if annotation.exact else "",
            claim_text=Truncator(annotation.claim.text).chars(140) if annotation.claim else "",
            tags=tags,
            tag_names="|".join(t.name for t in tags),
            motivation=annotation.get_motivation_display(),
            created_iso=dateformat.format(created, "c"),
            created_label=dateformat.format(created, "j M Y, H:i"),
            reattached=(
                annotation.get_anchor_status_display().lower()
                if status in (AnchorStatus.FUZZY, AnchorStatus.MOVED)
                else ""
            ),
            score=f"{annotation.anchor_score:.2f}",
        )


@dataclass(slots=True)
class ReaderAnnotations:
    cards: list[Card]  # anchored on the current revision, in text order
    orphans: list[Card]  # orphaned, or left on an older revision
    spans: list[Span]
    page_notes: list[Card] = field(default_factory=list)  # on the whole article, oldest first

    @property
    def tags(self) -> list[str]:
        listed = self.cards + self.page_notes
        return sorted({t.name for c in listed for t in c.annotation.tags.all()}, key=str.lower)

    @property
    def authors(self) -> list[str]:
        listed = self.cards + self.page_notes
        return sorted({c.annotation.creator.get_username() for c in listed}, key=str.lower)


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

    top = {a.pk: Card.of(a, user_id=user_id) for a in records if a.parent_id is None}
    for annotation in records:
        if annotation.parent_id in top:
            top[annotation.parent_id].replies.append(Card.of(annotation, user_id=user_id))
    current = article.current_revision_id
    cards, orphans, page_notes = [], [], []
    for item in top.values():
        annotation = item.annotation
        if annotation.is_page_note:
            page_notes.append(item)
        elif (
            annotation.anchor_status in AnchorStatus.unattached()
            or annotation.anchor_revision_id != current
        ):
            orphans.append(item)
        else:
            cards.append(item)
    page_notes.sort(key=lambda note: (note.annotation.created, note.annotation.pk))
    for item in cards + orphans + page_notes:
        item.replies.sort(key=lambda reply: (reply.annotation.created, reply.annotation.pk))
    spans = [
        Span(c.annotation.pk, c.annotation.start, c.annotation.end, c.annotation.colour)
        for c in cards
    ]
    return ReaderAnnotations(cards=cards, orphans=orphans, spans=spans, page_notes=page_notes)


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


@dataclass(frozen=True, slots=True)
class ClaimSides:
    """The passages a reader may see that carry a claim, and those that dispute it."""

    carrying: list[OutletGroup]
    disputing: list[OutletGroup]


def claim_passages(*, user, claim: Claim) -> ClaimSides:
    """The passages carrying a claim across outlets, and apart, those disputing it."""
    passages = list(_passages(user).filter(claim=claim))
    return ClaimSides(
        carrying=_group_by_outlet([a for a in passages if a.claim_stance != ClaimStance.DISPUTES]),
        disputing=_group_by_outlet([a for a in passages if a.claim_stance == ClaimStance.DISPUTES]),
    )


@dataclass(frozen=True, slots=True)
class LinkedPassage:
    """Where a passage of one article is carried by another, per the stored comparison links,
    and whether the two agree or differ (a link's stance: then how, in differs_by)."""

    article: Article
    start: int
    end: int
    kind: str
    has_claim: bool  # the claim is already marked there (on an overlapping passage)
    stance: str = "agree"  # "differ" when any link between the two passages differs
    differs_by: tuple[str, ...] = ()  # difference kinds (date, number, polarity...)
    marked_as: str = ""  # how the claim is marked there already: "supports" or "disputes"

    @property
    def differs(self) -> bool:
        return self.stance == "differ"

    @property
    def text(self) -> str:
        return self.article.current_revision.body[self.start : self.end]


def _overlap(s0: int, e0: int, s1: int, e1: int) -> int:
    return min(e0, e1) - max(s0, s1)


def _counterpart(annotation: Annotation, link, side: str) -> tuple[int, int] | None:
    """The span in the other article that corresponds to the annotated passage, if any.

    The annotation must cover at least half of the link's side, or the link half of it. When it
    covers part of a verbatim or near passage, its quote is looked for inside the other side.
    """
    other = "b" if side == "a" else "a"
    s, e = getattr(link, f"{side}_start"), getattr(link, f"{side}_end")
    overlap = _overlap(annotation.start, annotation.end, s, e)
    if overlap * 2 < min(annotation.end - annotation.start, e - s):
        return None
    o_start, o_end = getattr(link, f"{other}_start"), getattr(link, f"{other}_end")
    if (annotation.start <= s and annotation.end >= e) or link.kind == "paraphrase":
        return o_start, o_end
    body = getattr(link, f"{other}_article").current_revision.body
    window = body[o_start:o_end]
    found = locate(
        window, Selector(annotation.exact, annotation.prefix, annotation.suffix, 0, len(window))
    )
    if not found.attached or found.start is None or found.end is None:
        return o_start, o_end
    return o_start + found.start, o_start + found.end


def linked_passages(*, user, annotations: Sequence[Annotation]) -> dict[int, list[LinkedPassage]]:
    """For each annotation on a current revision, the passages linked to it in other published
    articles (the best one per article), and whether its claim is already marked there."""
    live = [
        a
        for a in annotations
        if a.anchor_status not in AnchorStatus.unattached()
        and a.anchor_revision_id == a.article.current_revision_id
    ]
    if not live:
        return {a.pk: [] for a in annotations}
    condition = Q()
    for side, other in (("a", "b"), ("b", "a")):
        for a in live:
            condition |= Q(
                **{
                    f"{side}_article": a.article_id,
                    f"{side}_revision": a.anchor_revision_id,
                    f"{side}_start__lt": a.end,
                    f"{side}_end__gt": a.start,
                }
            ) & Q(
                **{
                    f"{other}_revision": F(f"{other}_article__current_revision"),
                    f"{other}_article__status": Article.Status.PUBLISHED,
                }
            )
    links = list(
        PassageLink.objects.filter(condition).select_related(
            "a_article__current_revision",
            "a_article__outlet",
            "b_article__current_revision",
            "b_article__outlet",
        )
    )
    best: dict[int, dict[int, tuple[int, Article, int, int, str]]] = {}
    # Every qualifying link per (annotation, article), so that one link that differs marks the
    # passage as differing even when another, agreeing, link overlaps more.
    found: dict[tuple[int, int], list[tuple[PassageLink, tuple[int, int]]]] = {}
    for annotation in live:
        per_article = best.setdefault(annotation.pk, {})
        for link in links:
            for side, other in (("a", "b"), ("b", "a")):
                if getattr(link, f"{side}_article_id") != annotation.article_id:
                    continue
                if getattr(link, f"{side}_revision_id") != annotation.anchor_revision_id:
                    continue
                span = _counterpart(annotation, link, side)
                if span is None:
                    continue
                target = getattr(link, f"{other}_article")
                found.setdefault((annotation.pk, target.pk), []).append((link, span))
                weight = _overlap(
                    annotation.start,
                    annotation.end,
                    getattr(link, f"{side}_start"),
                    getattr(link, f"{side}_end"),
                )
                kept = per_article.get(target.pk)
                if kept is None or weight > kept[0]:
                    per_article[target.pk] = (weight, target, span[0], span[1], link.kind)
    claims = {a.claim_id for a in live if a.claim_id}
    marked: dict[tuple[int, int], list[tuple[int, int]]] = {}
    if claims:
        targets = {pk for found in best.values() for pk in found}
        for row in (
            access.annotations_visible_to(user)
            .filter(claim__in=claims, article__in=targets)
            .values("claim_id", "article_id", "start", "end", "claim_stance")
        ):
            marked.setdefault((row["claim_id"], row["article_id"]), []).append(
                (row["start"], row["end"], row["claim_stance"])
            )
    out: dict[int, list[LinkedPassage]] = {a.pk: [] for a in annotations}
    for annotation in live:
        for _, target, start, end, kind in sorted(
            best[annotation.pk].values(), key=lambda t: (t[1].title, t[1].pk)
        ):
            spans = marked.get((annotation.claim_id, target.pk), [])
            stances = {stance for s, e, stance in spans if _overlap(start, end, s, e) > 0}
            marked_as = min(stances, key=lambda stance: stance != ClaimStance.SUPPORTS, default="")
            differing = [
                link
                for link, span in found[annotation.pk, target.pk]
                if link.stance == "differ" and _overlap(start, end, *span) > 0
            ]
            kinds = sorted({how for link in differing for how in (link.differs_by or [])})
            out[annotation.pk].append(
                LinkedPassage(
                    target,
                    start,
                    end,
                    kind,
                    bool(stances),
                    stance="differ" if differing else "agree",
                    differs_by=tuple(kinds),
                    marked_as=marked_as,
                )
            )
    return out


# --- Curation (the admin) -----------------------------------------------------------------


def _count_of(model, column: str = "tag") -> Coalesce:
    """How many rows of model point at the outer row through column (0 when none)."""
    rows = model.objects.filter(**{column: OuterRef("pk")}).values(column)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def tags_with_usage(tags: QuerySet[Tag] | None = None) -> QuerySet[Tag]:
    """Tags with how many annotations (annotation_count) and claims (claim_count) carry each,
    whoever may see them; for curators."""
    tags = Tag.objects.all() if tags is None else tags
    return tags.annotate(
        annotation_count=_count_of(TaggedAnnotation), claim_count=_count_of(TaggedClaim)
    )


def claims_with_usage(claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims with how many passages carry each (passage_count); for curators."""
    claims = Claim.objects.all() if claims is None else claims
    return claims.annotate(passage_count=_count_of(Annotation, "claim"))


def annotations_with_usage(annotations: QuerySet[Annotation]) -> QuerySet[Annotation]:
    """Annotations with their tags prefetched and how many replies each has (reply_count)."""
    return annotations.prefetch_related("tags").annotate(
        reply_count=_count_of(Annotation, "parent")
    )


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where some words occur in a body: offsets in code points and the text around them."""

    start: int
    end: int
    before: str
    text: str
    after: str


def body_occurrences(
    *, body: str, words: str, limit: int = 20, context: int = 40
) -> list[Occurrence]:
    """Where the words occur in the body, ignoring case and runs of spaces; at most limit."""
    words = " ".join(words.split())
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words.split(" ")), re.IGNORECASE)
    found = []
    for match in pattern.finditer(body):
        start, end = match.span()
        found.append(
            Occurrence(
                start=start,
                end=end,
                before=body[max(0, start - context) : start],
                text=match.group(),
                after=body[end : end + context],
            )
        )
        if len(found) == limit:
            break
    return found
