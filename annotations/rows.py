"""The columns of a new annotation row, set in one place for every writer that makes one."""

from django.db.models import Model

from .anchoring import Selector
from .models import Annotation, Claim


def _link(name: str, value: Model | int | None) -> dict[str, object]:
    """A foreign key given as a row (kept on the instance, so reading it costs no query) or
    as its id (for bulk writers that hold only ids)."""
    return {name: value} if isinstance(value, Model) else {f"{name}_id": value}


def annotation_row(
    *,
    article: Model | int,
    revision: Model | int,
    creator: Model | int,
    motivation: str,
    colour: str,
    visibility: str,
    selector: Selector | None = None,
    parent: Model | int | None = None,
    claim: Claim | None = None,
    note: str = "",
    note_html: str = "",
    **columns: object,
) -> Annotation:
    """An unsaved annotation made on a revision, anchored in that same revision: a passage
    (its selector given, as `selector_for` builds it), or else a page note or a reply (with
    its parent). `note_html` is the note as `render_note` renders it; `columns` are any
    others (a claim's stance, an imported record's identity). Nothing is checked here (the
    services check; the database's constraints hold the rest)."""
    span = {}
    if selector is not None:
        span = {
            "exact": selector.exact,
            "prefix": selector.prefix,
            "suffix": selector.suffix,
            "start": selector.start,
            "end": selector.end,
        }
    return Annotation(
        **_link("article", article),
        **_link("revision", revision),
        **_link("anchor_revision", revision),
        **_link("creator", creator),
        **_link("parent", parent),
        motivation=motivation,
        claim=claim,
        note=note,
        note_html=note_html,
        colour=colour,
        visibility=visibility,
        **span,
        **columns,
    )
