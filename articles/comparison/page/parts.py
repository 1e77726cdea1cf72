"""What the compare page's template reads: columns of blocks cut into pieces, passage groups
and their members with the links a hover card explains, disagreements and their two sides,
the "Where they differ" entries, and the `ComparePage` that holds them, with the labels a
reader sees for each kind. Every group has a look of its own: one of TINTS background tints
times one of PATTERNS patterns (TINTS * PATTERNS distinct looks), and always its number as a
badge, so groups past that many still differ by number."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...models import Article, Block
from ..tables import FramingRow, QuoteRow

TINTS = 12
PATTERNS = 3
MIN_ARTICLES, MAX_ARTICLES = 2, 5

LINK_KIND_LABELS = {
    "verbatim": "same words",
    "near": "nearly the same words",
    "paraphrase": "same fact in other words",
}
# "Where they differ": sections in this order, each under a reader's name for the kind.
DIFFERENCE_LABELS = {
    "polarity": "Opposite statements",
    "predicate": "Opposing actions",
    "number": "Different numbers",
    "date": "Different dates",
    "relative-date": "Relative date against a date",
    "name": "Different names",
    "place": "Different places",
    "": "Other differences",
}
DIFFERENCE_KIND_LABELS = {
    "polarity": "opposite statement",
    "predicate": "opposing action",
    "number": "number",
    "date": "date",
    "relative-date": "relative date",
    "name": "name",
    "place": "place",
}
EVIDENCE_LABELS = {
    "actor": "actors",
    "actors": "actors",
    "number": "numbers",
    "numbers": "numbers",
    "date": "dates",
    "dates": "dates",
    "predicate": "actions",
    "predicates": "actions",
    "place": "places",
    "places": "places",
    "name": "names",
    "names": "names",
}


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "…"


def article_label(article: Article) -> str:
    """A short name for an article: its outlet, else the start of its title."""
    if article.outlet_id:
        return article.outlet.name
    return _short(article.title, 32)


@dataclass(slots=True)
class Counterpart:
    """One link of a passage, as its hover card explains it."""

    label: str  # the other article
    kind: str  # "verbatim", "near" or "paraphrase"
    score: float
    shared: list[tuple[str, str]]  # (category, text) evidence

    @property
    def kind_label(self) -> str:
        return LINK_KIND_LABELS.get(self.kind, self.kind)

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def evidence(self) -> list[tuple[str, str]]:
        """Shared evidence by category: [("actors", "Russia, Turkey"), ("dates", "29 Dec")]."""
        found: dict[str, list[str]] = {}
        for category, text in self.shared:
            label = EVIDENCE_LABELS.get(str(category).casefold(), str(category))
            values = found.setdefault(label, [])
            if text not in values:
                values.append(str(text))
        return [(label, ", ".join(values)) for label, values in found.items()]


@dataclass(slots=True)
class Member:
    """One article's passage in a group, with the links that tie it to the others."""

    group: Group
    article_id: int
    start: int
    end: int
    counterparts: list[Counterpart] = field(default_factory=list)
    more: int = 0  # counterparts not shown on the card

    @property
    def why_id(self) -> str:
        return f"why-g{self.group.number}-a{self.article_id}-{self.start}"


@dataclass(slots=True)
class Reading:
    """How two passages read one thing differently."""

    kind: str
    a_text: str
    b_text: str

    @property
    def kind_label(self) -> str:
        return DIFFERENCE_KIND_LABELS.get(self.kind, "difference")


@dataclass(slots=True)
class Disagreement:
    """Two linked passages that differ (a link whose stance is "differ"), shown side by side."""

    number: int
    kinds: tuple[str, ...]
    link_kind: str
    score: float
    a: Column
    a_start: int
    a_end: int
    a_text: str
    b: Column
    b_start: int
    b_end: int
    b_text: str
    readings: list[Reading] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        labels = [DIFFERENCE_KIND_LABELS.get(k, k) for k in self.kinds]
        return ", ".join(labels) if labels else "differs"

    @property
    def link_label(self) -> str:
        """E.g. "same fact in other words, 70%": the link that pairs the two passages."""
        return f"{LINK_KIND_LABELS.get(self.link_kind, self.link_kind)}, {round(100 * self.score)}%"


@dataclass(slots=True)
class Side:
    """One end of a disagreement, as a column piece sees it: which end, and the other one."""

    disagreement: Disagreement
    here_a: bool

    @property
    def number(self) -> int:
        return self.disagreement.number

    @property
    def other(self) -> Column:
        return self.disagreement.b if self.here_a else self.disagreement.a

    @property
    def readings(self) -> list[tuple[str, str, str]]:
        """(kind label, this passage's reading, the other's), for the hover card."""
        d = self.disagreement
        out = []
        for r in d.readings:
            here, there = (r.a_text, r.b_text) if self.here_a else (r.b_text, r.a_text)
            out.append((r.kind_label, _short(here, 80), _short(there, 80)))
        if not out:
            here, there = (d.a_text, d.b_text) if self.here_a else (d.b_text, d.a_text)
            out.append((d.kind_label, _short(here, 80), _short(there, 80)))
        return out

    @property
    def why_id(self) -> str:
        column = self.disagreement.a if self.here_a else self.disagreement.b
        return f"why-d{self.number}-c{column.index}"


@dataclass(slots=True)
class Piece:
    text: str
    start: int
    group: Group | None = None
    member: Member | None = None
    group_start: bool = False  # the first piece of one member of the group
    anchor: str = ""  # id of the first piece of a group in its column
    differs: list[Side] = field(default_factory=list)  # disagreements over this text
    differ_starts: list[Side] = field(default_factory=list)  # ... that start here
    differ_anchor: str = ""
    diff: bool = False
    facts: list[int] = field(default_factory=list)  # discrepancies (numbers) over this text
    fact_anchor: str = ""
    notes: list = field(default_factory=list)  # annotations (Annotation objects)
    note_start: list = field(default_factory=list)

    @property
    def fact(self) -> int | None:
        return self.facts[0] if self.facts else None

    @property
    def fact_numbers(self) -> str:
        return " ".join(map(str, self.facts))

    @property
    def differ_numbers(self) -> str:
        return " ".join(str(side.number) for side in self.differs)

    @property
    def differ_why_id(self) -> str:
        return self.differ_starts[0].why_id if self.differ_starts else ""


@dataclass(slots=True)
class Group:
    number: int  # 1-based, in reading order
    kinds: tuple[str, ...]
    members: list[tuple[int, int, int]]  # (article id, start, end)
    article_ids: list[int]
    label: str = ""
    # Articles of the whole corpus that carry this passage, when the store knows (else None).
    carried_by: int | None = None

    @property
    def tint(self) -> int:
        return (self.number - 1) % TINTS

    @property
    def pattern(self) -> int:
        return (self.number - 1) // TINTS % PATTERNS

    @property
    def look(self) -> str:
        """CSS classes of this group's look: tint and pattern (unique up to TINTS*PATTERNS)."""
        return f"t{self.tint} pat{self.pattern}"

    @property
    def kind_label(self) -> str:
        return ", ".join(LINK_KIND_LABELS.get(k, k) for k in self.kinds)


@dataclass(slots=True)
class Item:
    block: Block
    pieces: list[Piece]
    shared: bool  # some of it is carried by another article shown


@dataclass(slots=True)
class Column:
    index: int
    article: Article
    items: list[Item]
    shared_chars: int = 0
    body_chars: int = 0
    # "f3" (discrepancy 3) or "d2" (disagreement 2) -> the id of its first piece here; one
    # piece may hold several, and carries only one id.
    anchors: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """A short name for table headings: the outlet, else the start of the title."""
        return article_label(self.article)

    @property
    def shared_percent(self) -> int:
        return round(100 * self.shared_chars / self.body_chars) if self.body_chars else 0


@dataclass(slots=True)
class Fact:
    """An entry of "Where they differ": one kind of difference, both readings, both places."""

    number: int
    kind: str
    a: Column
    a_text: str
    b: Column
    b_text: str
    link_kind: str
    a_anchor: str = ""
    b_anchor: str = ""

    @property
    def kind_label(self) -> str:
        return DIFFERENCE_KIND_LABELS.get(self.kind, "difference")


@dataclass(slots=True)
class DifferenceSection:
    kind: str
    label: str
    facts: list[Fact]


@dataclass(slots=True)
class ComparePage:
    columns: list[Column]
    groups: list[Group]
    facts: list[Fact]  # "Where they differ", flat, in section order
    framing: list[FramingRow]
    quotes: list[QuoteRow]
    link_count: int
    more_quotes: list[tuple[str, str, str]] = field(default_factory=list)  # source, column, verbs
    claims: list = field(default_factory=list)  # (annotation, [LinkedPassage]) pairs
    disagreements: list[Disagreement] = field(default_factory=list)
    differences: list[DifferenceSection] = field(default_factory=list)
    has_notes: bool = False  # some reader highlight is drawn in the columns

    @property
    def shared_groups(self) -> list[Group]:
        return [g for g in self.groups if len(g.article_ids) > 1]

    @property
    def framing_terms(self) -> int:
        return sum(1 for row in self.framing if row.term)
