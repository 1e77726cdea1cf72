"""How the reading page's sidebar shows an annotation: a card with its thread, formatted and
drawn here in Python (`cards_html`), so a sidebar of a thousand cards costs no template
include, filter or variable lookup per card."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape as e
from typing import NamedTuple
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from ..models import AnchorStatus, Annotation, ClaimRating, Motivation, TaggedAnnotation


class TagRef(NamedTuple):
    name: str
    slug: str


def tags_of(annotation_ids: Sequence[int]) -> dict[int, list[TagRef]]:
    """The tags of these annotations, by annotation, each list sorted by name: one query on
    the through table (no queryset per annotation)."""
    found: dict[int, list[TagRef]] = {}
    rows = TaggedAnnotation.objects.filter(content_object_id__in=annotation_ids).values_list(
        "content_object_id", "tag__name", "tag__slug"
    )
    for annotation_id, name, slug in rows:
        found.setdefault(annotation_id, []).append(TagRef(name, slug))
    for tags in found.values():
        tags.sort(key=lambda t: t.name.lower())
    return found


# The columns a card prints (Card.of, _Drawer.card), for the reading page's one query.
CARD_COLUMNS = (
    "parent_id",
    "article_id",
    "anchor_revision_id",
    "creator__username",
    "motivation",
    "claim__text",
    "claim__rating",
    "claim__claimant",
    "exact",
    "start",
    "end",
    "note_html",
    "colour",
    "visibility",
    "group__slug",
    "group__name",
    "anchor_status",
    "anchor_score",
    "is_hidden",
    "version",
    "created",
)


def _shorten(text: str, length: int) -> str:
    """The text cut to `length` characters, the last an ellipsis when cut (as Truncator does
    for text without combining characters, at a fraction of its cost)."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class _Labels:
    """What cards print of choices and dates, looked up once per page (translated)."""

    def __init__(self) -> None:
        self.motivation = {value: str(label) for value, label in Motivation.choices}
        self.status = {value: str(label).lower() for value, label in AnchorStatus.choices}
        self.rating = {value: str(label) for value, label in ClaimRating.choices}
        self.months = {n: str(label).title() for n, label in MONTHS_3.items()}
        self.zone = timezone.get_current_timezone()

    def when(self, moment: datetime) -> tuple[str, str]:
        local = moment.astimezone(self.zone)
        label = f"{local.day} {self.months[local.month]} {local.year}, {local:%H:%M}"
        return local.isoformat(), label


@dataclass(slots=True)
class Card:
    """One annotation as the reader's sidebar shows it, with its thread. Everything the card
    prints is formatted here once."""

    annotation: Annotation
    note_html: str
    mine: bool
    replies: list["Card"] = field(default_factory=list)
    author: str = ""
    quote: str = ""  # the quoted words, shortened
    claim_text: str = ""  # the claim's words, shortened
    tags: list[TagRef] = field(default_factory=list)
    motivation: str = ""  # e.g. "Commenting"
    created_iso: str = ""
    created_label: str = ""  # e.g. "22 Jan 2017, 14:05"
    reattached: str = ""  # "moved" or "fuzzy" when re-attached after an edit, else ""
    score: str = ""  # the anchoring score, two decimals

    @property
    def tag_names(self) -> str:
        """For data-tags: the names joined by "|"."""
        return "|".join(t.name for t in self.tags)

    @classmethod
    def of(
        cls,
        annotation: Annotation,
        *,
        user_id: int | None,
        tags: Sequence[TagRef] = (),
        labels: _Labels | None = None,
    ) -> "Card":
        labels = labels or _Labels()
        status = annotation.anchor_status
        created_iso, created_label = labels.when(annotation.created)
        return cls(
            annotation=annotation,
            # Rendered and sanitised when the note was written (annotations/notes.py).
            note_html=mark_safe(annotation.note_html),
            mine=annotation.creator_id == user_id,
            author=annotation.creator.get_username(),
            quote=_shorten(annotation.exact, 160) if annotation.exact else "",
            claim_text=_shorten(annotation.claim.text, 140) if annotation.claim else "",
            tags=list(tags),
            motivation=labels.motivation.get(annotation.motivation, annotation.motivation),
            created_iso=created_iso,
            created_label=created_label,
            reattached=(
                labels.status[status] if status in (AnchorStatus.FUZZY, AnchorStatus.MOVED) else ""
            ),
            score=f"{annotation.anchor_score:.2f}",
        )


def cards_of(annotations: Sequence[Annotation], *, user_id: int | None) -> dict[int, Card]:
    """A card for each annotation, by id: their tags in one query, labels looked up once."""
    tags = tags_of([a.pk for a in annotations]) if annotations else {}
    labels = _Labels()
    return {
        a.pk: Card.of(a, user_id=user_id, tags=tags.get(a.pk, ()), labels=labels)
        for a in annotations
    }


class _Address:
    """An address with one number or slug in it, reversed once and filled in per card."""

    MARK = "987654321"

    def __init__(self, name: str, kwarg: str) -> None:
        self.head, self.tail = reverse(name, kwargs={kwarg: self.MARK}).split(self.MARK)

    def __call__(self, value: object) -> str:
        return f"{self.head}{quote(str(value), safe='')}{self.tail}"


class _Drawer:
    """Draws cards as HTML with one f-string each, every value escaped (`e`): a card costs a
    few microseconds, where a template include per card cost a fraction of a millisecond."""

    def __init__(self) -> None:
        self.permalink = _Address("annotations:annotation-permalink", "pk")
        self.claim = _Address("annotations:claim-detail", "pk")
        self.tag = _Address("annotations:tag-detail", "slug")
        self.rating = {value: str(label) for value, label in ClaimRating.choices}

    def card(self, card: Card, *, reply: bool = False) -> str:
        a = card.annotation
        permalink = e(self.permalink(a.pk))
        author = e(card.author)
        label = "Page note" if a.is_page_note else e(card.motivation)
        layer = f"group:{a.group.slug}" if a.group is not None else a.visibility
        parts = [
            f'<article class="card card--{e(a.colour)}{" card--hidden" if a.is_hidden else ""}"'
            f' id="card-{a.pk}" data-id="{a.pk}"'
            f' data-start="{"" if a.start is None else a.start}"'
            f' data-end="{"" if a.end is None else a.end}" data-colour="{e(a.colour)}"'
            f' data-motivation="{e(a.motivation)}" data-author="{author}"'
            f' data-tags="{e(card.tag_names)}" data-version="{a.version}"'
            f' data-visibility="{e(a.visibility)}" data-layer="{e(layer)}"'
            f' data-permalink="{permalink}"{' data-page-note="1"' if a.is_page_note else ""}'
            f'{' data-mine="1"' if card.mine else ""} aria-label="{label} by {author}">'
        ]
        if card.quote and not reply:
            parts.append(f'<blockquote class="card__quote" dir="auto">{e(card.quote)}</blockquote>')
        if a.claim:
            claim = a.claim
            claimant = claim.claimant and f' <span class="muted">— {e(claim.claimant)}</span>'
            parts.append(
                f'<p class="card__claim"><span class="rating rating--{e(claim.rating)}">'
                f"{e(self.rating.get(claim.rating, claim.rating))}</span>"
                f' <a href="{e(self.claim(claim.pk))}">{e(card.claim_text)}</a>{claimant}</p>'
            )
        if card.note_html:
            parts.append(f'<div class="card__note">{card.note_html}</div>')
        if card.tags:
            tags = "".join(
                f'<li><a class="tag" href="{e(self.tag(t.slug))}">{e(t.name)}</a></li>'
                for t in card.tags
            )
            parts.append(f'<ul class="card__tags" aria-label="Tags">{tags}</ul>')
        parts.append(self._meta(card, permalink, author))
        if card.replies and not reply:
            replies = self.items(card.replies, reply=True)
            parts.append(f'<ol class="card__replies" aria-label="Replies">{replies}</ol>')
        parts.append("</article>")
        return "\n".join(parts)

    def _meta(self, card: Card, permalink: str, author: str) -> str:
        a = card.annotation
        badges = ""
        if a.visibility == "private":
            badges += ' · <span class="badge">private</span>'
        elif a.group is not None:
            badges += (
                ' · <span class="badge" title="Seen by the group&#x27;s members only">'
                f"{e(a.group.name)}</span>"
            )
        if a.is_hidden:
            badges += ' · <span class="badge">hidden by moderators</span>'
        if card.reattached:
            badges += (
                ' · <span class="badge" title="Re-attached after the text changed'
                f' (score {e(card.score)})">{e(card.reattached)}</span>'
            )
        return (
            f'<p class="card__meta"><span class="card__author">{author}</span> ·'
            f' <a class="card__permalink" href="{permalink}" title="Link to this annotation">'
            f'<time datetime="{e(card.created_iso)}">{e(card.created_label)}</time></a>'
            f" · {e(card.motivation.lower())}{badges}</p>"
        )

    def items(self, cards: Iterable[Card], *, reply: bool = False) -> str:
        return "".join(f"<li>{self.card(c, reply=reply)}</li>" for c in cards)


def cards_html(cards: Iterable[Card]) -> SafeString:
    """The cards as the items of a list (`<li>` each), threads included; every value in them
    escaped, the notes' HTML sanitised when they were written."""
    return mark_safe(_Drawer().items(cards))
