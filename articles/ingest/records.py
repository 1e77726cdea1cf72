"""The plain records the ingest engine takes and returns."""

from dataclasses import dataclass, field
from datetime import date, datetime

from .kinds import Kind


@dataclass(frozen=True, slots=True)
class OutletSignature:
    """How to recognise an outlet in a file: its key and the phrases that identify it."""

    key: str
    name: str
    signatures: tuple[str, ...]
    is_agency: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    kind: Kind
    start: int  # span in the raw text, code points
    end: int
    rule: str
    text: str
    author: str = ""
    in_body: bool = False
    body_start: int | None = None
    body_end: int | None = None
    # Only where the block differs from its article ("" = the article's own language/direction).
    language: str = ""
    direction: str = ""


@dataclass(frozen=True, slots=True)
class Extraction:
    blocks: list[Block]
    body: str
    title: str
    title_derived: bool
    dateline: str
    credits: list[str]
    outlet_key: str | None
    outlet_rule: str
    language: str
    word_count: int
    warnings: list[str] = field(default_factory=list)
    # Where each piece of metadata came from: a rule name or "html: <meta property>".
    title_rule: str = ""
    # When the page says it was published: a datetime when the page gives a time (aware when it
    # prints a zone or offset, naive = the local time as printed), a date when it gives only the
    # day; None when it gives neither.
    published: datetime | date | None = None
    published_rule: str = ""
    byline: str = ""  # the byline as the page prints it ("By Jane Doe and Tom Roe, Reuters")
    authors: list[str] = field(default_factory=list)  # ["Jane Doe", "Tom Roe"]
    byline_rule: str = ""
    dateline_agency: str = ""  # "Reuters" in "MOSCOW (Reuters) -"
    direction: str = "ltr"  # "rtl" for Arabic, Persian, Hebrew, Urdu text
    language_rule: str = ""
    # An outlet the page names itself by when no known outlet matched, for a curator to confirm.
    outlet_suggestion: str = ""
    outlet_suggestion_rule: str = ""


@dataclass(frozen=True, slots=True)
class LineHint:
    """What the markup of a saved HTML page says about one line of its page text.

    `extract` takes these (keyed by the line's start offset in the page text) and acts on
    them only where the markup is decisive; plain-text files have none.
    """

    tag: str  # the block element the line's text sits in: "p", "h1", "li", "figcaption", …
    zones: tuple[str, ...] = ()  # enclosing nav/header/footer/aside/form/figure elements
    link_density: float = 0.0  # share of the line's characters inside <a>
    class_kind: str = ""  # the kind a class/id word of the nearest marked ancestor names
    class_word: str = ""  # that word ("byline", "related", …)
    main: bool = False  # the main-content extractor kept this line
    headline: bool = False  # a heading whose text is the page's headline
