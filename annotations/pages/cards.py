"""How the reading page's sidebar shows an annotation: a card with its thread, formatted once
here so the template (a loop over up to thousands of cards) applies no filter per card."""

from dataclasses import dataclass, field

from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from taggit.models import Tag

from ..models import AnchorStatus, Annotation


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
