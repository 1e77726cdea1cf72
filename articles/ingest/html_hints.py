"""What the markup of a saved page decides about its lines before the text rules run.

`extract` calls `apply_hints` with the lines of the page text and the `LineHint` of each
(by start offset). Only decisive markup sets a kind here: a <figcaption> is a caption; the
heading that is the page's headline is the title; a line the main-content extractor left out
that sits in the page's navigation, footer or a sidebar is that furniture, and (when main
content was found at all) one whose nearest marked ancestor's class or id names furniture
("share", "related", "comments", …) or that is nothing but a link is that furniture too.
Everything else is left to the text rules, exactly as for a plain-text file.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from . import furniture
from .bylines import parse_byline
from .kinds import Kind
from .records import LineHint
from .text import ends_sentence, line_word_count

LINK_DENSITY = 0.8  # share of a line's characters inside links that makes it a link
MIN_MAIN_LINES = 3  # main-content lines needed before what the extractor left out counts
LEFT_OUT_RUN = 4  # consecutive lines left out inside the story: a gallery or a box
TAIL_STORY_WORDS = 12  # a sentence this long after the main content may still be story
_SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
MAX_BOX_HEADING_WORDS = 14
# Subheadings, code and quotations the extractor left out inside the story are the story's
# own elements, never captions.
_STORY_TAGS = _SUBHEADINGS | {"pre", "code", "blockquote"}

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
    return _left_out_kind(hint, main_found=main_found)


RULE_READER_LINK = "promo: a link speaking to the reader (html, mostly a link)"
RULE_ASIDE_LABEL = "promo: a sidebar's label the extractor kept (html <aside>)"
MAX_PROMPT_WORDS = 20


def main_line_kind(hint: LineHint, text: str) -> tuple[Kind, str] | None:
    """What is furniture among the lines the main-content extractor kept, on two signals
    each: a short line that is mostly a link and speaks to the reader ("Revivez le direct …
    avec vos questions."), and a line in a sidebar that is not a sentence (its label)."""
    if (
        hint.link_density >= LINK_DENSITY
        and line_word_count(text) <= MAX_PROMPT_WORDS
        and furniture.addresses_reader(text)
    ):
        return Kind.PROMO, RULE_READER_LINK
    if "aside" in hint.zones and not ends_sentence(text):
        return Kind.PROMO, RULE_ASIDE_LABEL
    return None


def _left_out_kind(hint: LineHint, *, main_found: bool) -> tuple[Kind, str] | None:
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


def apply_hints(lines: Sequence[Line], hints: Mapping[int, LineHint]) -> frozenset[int]:
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
            decided = main_line_kind(hint, line.text)
            if decided is not None:
                line.kind, line.rule = decided
                continue
        decided = hinted_kind(hint, main_found=main_found)
        if decided is None:
            continue
        kind, rule = decided
        if kind is Kind.TITLE:
            if titled:
                continue
            titled = True
        line.kind, line.rule = kind, rule
    if main_found:
        _set_aside_left_out(lines, hints)
    return frozenset(main)


def _set_aside_left_out(lines: Sequence[Line], hints: Mapping[int, LineHint]) -> None:
    """What the main-content extractor left out between and after the story's lines: a run of
    several lines inside the story (a picture gallery, a fact box), a short line that is no
    sentence between story lines (a caption), and after the story anything but long running
    text (author boxes, tags, related links). Lines before the story (headline, standfirst)
    are left to the text rules."""
    hinted = [(line, hints[line.start]) for line in lines if line.start in hints]
    mains = [index for index, (_, hint) in enumerate(hinted) if hint.main]
    if len(mains) < MIN_MAIN_LINES:
        return
    first, last = mains[0], mains[-1]
    index = first
    while index <= last:
        end = index
        while end <= last and not hinted[end][1].main:
            end += 1
        run = hinted[index:end]
        for line, hint in run:
            if line.kind is not None:
                continue
            if len(run) >= LEFT_OUT_RUN:
                line.kind, line.rule = Kind.PROMO, "promo: a box inside the story (html, not main)"
            elif (
                hint.tag not in _STORY_TAGS
                and not ends_sentence(line.text)
                and parse_byline(line.text) is None  # a byline is left to the text rules
            ):
                line.kind, line.rule = Kind.CAPTION, "caption: a short line inside the story (html)"
        index = end + 1
    for line, _ in hinted[last + 1 :]:
        story_like = ends_sentence(line.text) and line_word_count(line.text) >= TAIL_STORY_WORDS
        if line.kind is None and not story_like:
            line.kind, line.rule = Kind.PROMO, "promo: after the story (html, not main)"
    _join_sandwiched(hinted, first, last)


RULE_BOX_HEADING = "promo: a heading between two parts of a box inside the story (html)"
RULE_TEASER = "promo: a teaser's text between links after the story (html)"
_BOX_RULE = "promo: a box inside the story (html, not main)"


def _join_sandwiched(hinted: Sequence[tuple[Line, LineHint]], first: int, last: int) -> None:
    """A line whose neighbours on both sides the markup set aside belongs with them: a
    heading the extractor kept between two parts of a gallery or fact box, and after the
    story a teaser's sentence between its link and the next teaser (a story's own paragraph
    after the extractor's last line has that line, not furniture, above it)."""
    for index in range(max(first, 1), len(hinted) - 1):
        line, hint = hinted[index]
        above, below = hinted[index - 1][0], hinted[index + 1][0]
        if line.kind is not None or above.kind is None or below.kind is None:
            continue
        if index < last:
            if (
                above.rule == _BOX_RULE
                and below.rule == _BOX_RULE
                and not ends_sentence(line.text)
                and line_word_count(line.text) <= MAX_BOX_HEADING_WORDS
            ):
                line.kind, line.rule = Kind.PROMO, RULE_BOX_HEADING
        elif index > last and not hinted[index - 1][1].main and not hint.main:
            line.kind, line.rule = Kind.PROMO, RULE_TEASER


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
