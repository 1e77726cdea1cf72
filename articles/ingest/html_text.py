"""The visible text of a saved web page, one block element per line, with what its markup says.

`parse_page` reads decoded HTML into an lxml tree (or refuses it); `render_page` walks the
tree in document order and writes every block element's own text on a line of its own, a
blank line between blocks, whitespace collapsed inside a line. Nothing is left out but what a
browser never shows (scripts, styles, templates, the head, hidden elements): navigation,
footers, sidebars, captions and reader comments all stay, so that the source view shows the
whole page and the block model sorts it. Each line carries a `LineHint` (its tag, the page
regions around it, its link density, the kind a class or id word names).
"""

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html

from .decode import IngestError
from .records import LineHint

LINE_SEPARATOR = "\n\n"

# Elements whose content a browser never shows as text.
_DROPPED = frozenset(
    "script style template noscript svg math head title iframe object embed canvas select"
    " datalist audio video map".split()
)
# Elements that start a line of their own.
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt"
    " fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend"
    " li main menu nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
# Page regions a line may sit in, by tag and by ARIA role.
_ZONE_TAGS = frozenset("nav header footer aside form figure article main".split())
_ZONE_ROLES = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "form": "form",
    "search": "form",
    "figure": "figure",
    "article": "article",
    "main": "main",
}
# Class and id words are read on every element but these (pages put page-type words there).
_NO_CLASS_WORDS = frozenset({"html", "body"})
_ATTRIBUTE_CAP = 300  # characters of a class or id attribute read (bounded work per element)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CAMEL_RE = re.compile(r"([a-z])([A-Z])")
_TOKEN_SPLIT_RE = re.compile(r"[^a-z0-9]+")
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]{0,512}\?>")


@dataclass(frozen=True, slots=True)
class PageLine:
    """One line of the page text: where it starts, its text, what the markup says of it."""

    start: int
    text: str
    hint: LineHint
    # Which element's class or id named the hint's class_kind (0: none), so that a marking
    # on an element that also holds the story ("article-ad-marker") can be set aside.
    class_scope: int = 0


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    lines: list[PageLine]


@cache
def class_words() -> dict[str, str]:
    """Class/id word → block kind, from articles/ingest/data/html_class_words.json."""
    path = Path(__file__).parent / "data" / "html_class_words.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    return {word: kind for kind, words in table.items() if kind[:1] != "_" for word in words}


def attribute_words(value: str) -> list[str]:
    """The words of a class or id attribute: split at punctuation, spaces and camelCase."""
    value = _CAMEL_RE.sub(r"\1 \2", value[:_ATTRIBUTE_CAP]).lower()
    return [word for word in _TOKEN_SPLIT_RE.split(value) if word]


def _class_kind(element: lxml.html.HtmlElement) -> tuple[str, str]:
    """The kind the element's own class or id words name, and the word; ("", "") if none."""
    table = class_words()
    for attribute in ("class", "id"):
        for word in attribute_words(element.get(attribute) or ""):
            kind = table.get(word)
            if kind is not None:
                return kind, word
    return "", ""


def parse_page(text: str) -> lxml.html.HtmlElement:
    """The page's element tree; IngestError when the text holds no HTML markup at all."""
    text = _XML_DECLARATION_RE.sub("", text, count=1)
    if "<" not in text or not re.search(r"<[A-Za-z!]", text[:200_000]):
        raise IngestError("file is not an HTML page (no markup found)")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise IngestError(f"file is not a readable HTML page ({exc})") from None
    if root is None:
        raise IngestError("file is not a readable HTML page")
    return root


def _hidden(element: lxml.html.HtmlElement) -> bool:
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    if not style:
        return False
    return _HIDDEN_STYLE_RE.search(style[:_ATTRIBUTE_CAP]) is not None


@dataclass(frozen=True, slots=True)
class _Frame:
    """The block element text is being written for, and what its ancestors add."""

    tag: str
    zones: tuple[str, ...]
    class_kind: str
    class_word: str
    class_scope: int


class _Writer:
    """Collects the page's lines: the pieces of text of the current line, then a flush."""

    def __init__(self) -> None:
        self.pieces: list[tuple[str, bool]] = []  # (text, inside a link)
        self.owner: _Frame | None = None
        self.lines: list[tuple[str, LineHint, int]] = []

    def add(self, text: str | None, frame: _Frame, in_link: bool) -> None:
        if not text:
            return
        if self.owner is None and not text.isspace():
            self.owner = frame
        self.pieces.append((text, in_link))

    def flush(self) -> None:
        owner, pieces = self.owner, self.pieces
        self.pieces, self.owner = [], None
        if owner is None:
            return
        line = " ".join("".join(text for text, _ in pieces).split())
        if not line:
            return
        linked = sum(len(" ".join(text.split())) for text, in_link in pieces if in_link)
        hint = LineHint(
            tag=owner.tag,
            zones=owner.zones,
            link_density=round(min(1.0, linked / len(line)), 3),
            class_kind=owner.class_kind,
            class_word=owner.class_word,
        )
        self.lines.append((line, hint, owner.class_scope))


def _enter(element: lxml.html.HtmlElement, tag: str, parent: _Frame, number: int) -> _Frame:
    zones = parent.zones
    zone = tag if tag in _ZONE_TAGS else _ZONE_ROLES.get((element.get("role") or "").lower())
    if zone is not None and zone not in zones:
        zones = (*zones, zone)
    kind, word = ("", "") if tag in _NO_CLASS_WORDS else _class_kind(element)
    if not kind:
        return replace(parent, tag=tag, zones=zones)
    return _Frame(tag=tag, zones=zones, class_kind=kind, class_word=word, class_scope=number)


def render_page(root: lxml.html.HtmlElement) -> Page:
    """The visible text of the page, one block per line, in document order, with hints.

    An explicit stack, not recursion: a page nested thousands of elements deep is read in
    time and memory proportional to its size.
    """
    writer = _Writer()
    top = _Frame(tag="html", zones=(), class_kind="", class_word="", class_scope=0)
    frames: list[_Frame] = [top]
    links = 0
    entered = 0  # block elements entered so far: numbers them
    # (element, closing): an element is opened, its children pushed, then it is closed.
    stack: list[tuple[lxml.html.HtmlElement, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if closing:
            if tag in _BLOCKS:
                writer.flush()
                frames.pop()
            elif tag == "a":
                links -= 1
            writer.add(element.tail, frames[-1], links > 0)
            continue
        if not tag or tag in _DROPPED or _hidden(element):
            writer.add(element.tail, frames[-1], links > 0)
            continue
        if tag == "br":
            writer.flush()
            writer.add(element.tail, frames[-1], links > 0)
            continue
        if tag in _BLOCKS:
            writer.flush()
            entered += 1
            frames.append(_enter(element, tag, frames[-1], entered))
        elif tag == "a":
            links += 1
        writer.add(element.text, frames[-1], links > 0)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    writer.flush()
    return _page(writer.lines)


def _page(lines: list[tuple[str, LineHint, int]]) -> Page:
    out: list[PageLine] = []
    cursor = 0
    for text, hint, scope in lines:
        if out:
            cursor += len(LINE_SEPARATOR)
        out.append(PageLine(start=cursor, text=text, hint=hint, class_scope=scope))
        cursor += len(text)
    return Page(text=LINE_SEPARATOR.join(text for text, _, _ in lines), lines=out)


def with_hint(line: PageLine, **changes: Any) -> PageLine:
    """The line with some fields of its hint changed."""
    return replace(line, hint=replace(line.hint, **changes))
