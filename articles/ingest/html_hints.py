"""What the markup of a saved page decides about its lines before the text rules run.

`extract` calls `apply_hints` with the lines of the page text and the `LineHint` of each
(by start offset). Only decisive markup sets a kind here: a <figcaption> is a caption; the
heading that is the page's headline is the title; a line the main-content extractor left out
that sits in the page's navigation, footer or a sidebar is that furniture, and (when main
content was found at all) one whose nearest marked ancestor's class or id names furniture
("share", "related", "comments", …) or that is nothing but a link is that furniture too.
Everything else is left to the text rules, exactly as for a plain-text file.
"""

from collections.abc import Iterable, Mapping
from typing import Protocol

from .kinds import Kind
from .records import LineHint

LINK_DENSITY = 0.8  # share of a line's characters inside links that makes it a link

_ZONE_KINDS = (
    ("nav", Kind.BREADCRUMB, "breadcrumb: site navigation (html <nav>)"),
    ("footer", Kind.FOOTER, "footer: the page footer (html <footer>)"),
    ("aside", Kind.PROMO, "promo: a sidebar beside the story (html <aside>)"),
)
_CLASS_KINDS = {
    "caption": Kind.CAPTION,
    "dateline": Kind.DATELINE,
    "promo": Kind.PROMO,
    "comment": Kind.COMMENT,
    "footer": Kind.FOOTER,
    "breadcrumb": Kind.BREADCRUMB,
}
RULE_HEADLINE = "title: the page's headline (html heading)"


class Line(Protocol):
    """A line of the page text as `extract` holds it."""

    start: int
    text: str
    kind: Kind | None
    rule: str
    author: str


def hinted_kind(hint: LineHint, *, main_found: bool) -> tuple[Kind, str] | None:
    """The kind the markup decides for a line, with its rule; None when it decides nothing."""
    if hint.tag == "figcaption":
        return Kind.CAPTION, "caption: a figure caption (html <figcaption>)"
    if hint.headline:
        return Kind.TITLE, RULE_HEADLINE
    if hint.main:
        return None
    for zone, kind, rule in _ZONE_KINDS:
        if zone in hint.zones:
            return kind, rule
    if not main_found:
        return None
    if hint.class_kind in _CLASS_KINDS:
        kind = _CLASS_KINDS[hint.class_kind]
        return kind, f"{kind.value}: outside the story, marked “{hint.class_word}” (html class)"
    if "figure" in hint.zones:
        return Kind.CAPTION, "caption: text inside a figure (html <figure>)"
    if hint.link_density >= LINK_DENSITY:
        return Kind.PROMO, "promo: a link outside the story (html)"
    return None


def apply_hints(lines: Iterable[Line], hints: Mapping[int, LineHint]) -> frozenset[int]:
    """Give the lines the kinds their markup decides (only the first headline heading becomes
    the title); returns the start offsets of the lines the main-content extractor kept."""
    main_found = any(hint.main for hint in hints.values())
    main: set[int] = set()
    titled = False
    for line in lines:
        hint = hints.get(line.start)
        if hint is None or line.kind is not None:
            continue
        if hint.main:
            main.add(line.start)
        decided = hinted_kind(hint, main_found=main_found)
        if decided is None:
            continue
        kind, rule = decided
        if kind is Kind.TITLE:
            if titled:
                continue
            titled = True
        line.kind, line.rule = kind, rule
    return frozenset(main)


def reclaim_from_comments(lines: Iterable[Line], hints: Mapping[int, LineHint]) -> None:
    """The comment-section sweep (from a "Comments" label to the end of the page) stops where
    the markup says a line is something else: a line the main-content extractor kept goes back
    to the text rules, and the page's own furniture (footer, navigation) gets its kind."""
    main_found = any(hint.main for hint in hints.values())
    for line in lines:
        hint = hints.get(line.start)
        if line.kind is not Kind.COMMENT or hint is None:
            continue
        if hint.main:
            line.kind, line.rule, line.author = None, "", ""
            continue
        decided = hinted_kind(hint, main_found=main_found)
        if decided is not None and decided[0] not in (Kind.COMMENT, Kind.TITLE):
            (line.kind, line.rule), line.author = decided, ""
