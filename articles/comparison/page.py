"""The compare page's model: columns, passage groups, disagreements, framing and quotations.

Built from stored comparison rows (articles/models.py) by `articles.selectors.comparison_view`;
this module only arranges them. Groups are joined over the links that *agree* among the
articles shown (union-find, `engine.groups.group_links`), so a passage's tint is shared by
exactly the columns that carry the same thing. Links that *differ* never join a group: the two
passages are shown as a disagreement instead (outlined, with both readings), and if agreeing
links would still put both ends of a disagreement into one group, the second end is taken out
of it, so two passages that say different things never share a tint.

Wire passages (a sentence more articles carry than the engine links pair by pair, stored as
`WirePassage` rows) join a group too: the columns that carry one are tied as by a "same
words" link, and a group holding a wire passage says how many published articles carry it
("carried by 312 articles", counted by the selector in one query).

Every group has a look of its own: one of TINTS background tints times one of PATTERNS
patterns (TINTS * PATTERNS distinct looks), and always its number as a badge, so groups past
that many still differ by number.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotations.highlights import segments

from ..models import Article, Attribution, Block, Discrepancy, FramingHit, PassageLink
from .engine import Link, LinkGroup
from .engine.groups import group_links
from .tables import FramingRow, QuoteRow, framing_rows, quote_rows

TINTS = 12
PATTERNS = 3
MIN_ARTICLES, MAX_ARTICLES = 2, 5
COUNTERPARTS_SHOWN = 4  # links explained on one passage's hover card, at most
# A copy of a wire sentence in a shown article: (sentence key, article id, start, end).
WireCopy = tuple[str, int, int, int]

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


@dataclass(frozen=True, slots=True)
class Mark:
    """A labelled span of one body, cut into pieces with `annotations.highlights.segments`."""

    id: int
    start: int
    end: int
    colour: str  # unused by the compare page; segments() reads it
    kind: str  # "passage", "differ", "diff", "fact" or "note"
    value: object = None


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


def engine_links(rows: Iterable[PassageLink]) -> list[Link]:
    """Stored links as the engine's dataclasses (article ids as keys), word diffs dropped."""
    return [
        Link(
            r.kind,
            r.a_article_id,
            r.a_start,
            r.a_end,
            r.b_article_id,
            r.b_start,
            r.b_end,
            r.score,
            stance=r.stance,
            differs_by=tuple(r.differs_by or ()),
            shared=tuple(tuple(item) for item in r.shared or ()),
        )
        for r in rows
    ]


def _wire_links(wire: Sequence[WireCopy]) -> list[Link]:
    """A "same words" link from the first shown copy of each wire sentence to every other
    copy, so that the copies join one group (as if the articles were linked pairwise)."""
    copies: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for sentence, article_id, start, end in wire:
        copies[sentence].append((article_id, start, end))
    links = []
    for found in copies.values():
        found.sort()
        for other in found[1:]:
            (a, a_start, a_end), (b, b_start, b_end) = found[0], other
            if a != b:
                links.append(Link("verbatim", a, a_start, a_end, b, b_start, b_end, 1.0))
    return links


def _overlaps(span: tuple[int, int, int], key: int, start: int, end: int) -> bool:
    return span[0] == key and span[1] < end and start < span[2]


def _apart(found: Sequence[LinkGroup], differ: Sequence[PassageLink]) -> list[LinkGroup]:
    """Groups with no disagreement inside: a group holding both ends of a differing link loses
    the passage of the link's second end (groups left in one article are dropped)."""
    out = []
    for group in found:
        members = list(group.members)
        for link in differ:
            a = [m for m in members if _overlaps(m, link.a_article_id, link.a_start, link.a_end)]
            b = [m for m in members if _overlaps(m, link.b_article_id, link.b_start, link.b_end)]
            if a and b:
                members = [m for m in members if m not in b]
        if len({key for key, _, _ in members}) > 1:
            out.append(LinkGroup(tuple(members), group.kinds, group.link_count))
    return out


def _ordered_groups(found: Sequence[LinkGroup], order: list[int], bodies) -> list[Group]:
    """Groups numbered in reading order: by first column carrying them, then position."""
    rank = {article_id: i for i, article_id in enumerate(order)}

    def first(group: LinkGroup) -> tuple[int, int]:
        return min((rank[key], start) for key, start, _ in group.members)

    out = []
    for number, group in enumerate(sorted(found, key=first), start=1):
        key, start, end = min(group.members, key=lambda m: (rank[m[0]], m[1]))
        out.append(
            Group(
                number,
                group.kinds,
                list(group.members),
                sorted({k for k, _, _ in group.members}, key=rank.__getitem__),
                _short(bodies[key][start:end]),
            )
        )
    return out


class _Members:
    """Group members of each article, found by position."""

    def __init__(self, groups: Sequence[Group]) -> None:
        self.by_article: dict[int, list[Member]] = defaultdict(list)
        for group in groups:
            for key, start, end in group.members:
                self.by_article[key].append(Member(group, key, start, end))
        self.starts: dict[int, list[int]] = {}
        for key, members in self.by_article.items():
            members.sort(key=lambda m: m.start)
            self.starts[key] = [m.start for m in members]

    def at(self, key: int, start: int, end: int) -> Member | None:
        """The member of article `key` that holds the span (members of one article are apart)."""
        members = self.by_article.get(key, [])
        i = bisect_right(self.starts.get(key, []), start) - 1
        for member in members[max(i, 0) : i + 2]:
            if member.start < end and start < member.end:
                return member
        return None

    def all(self) -> Iterable[Member]:
        for members in self.by_article.values():
            yield from members


def build_page(
    *,
    articles: Sequence[Article],
    blocks: dict[int, list[Block]],
    links: Sequence[PassageLink],
    discrepancies: Sequence[Discrepancy],
    hits: Sequence[FramingHit],
    attributions: Sequence[Attribution],
    families: Sequence[tuple[str, Sequence[str]]],
    notes: dict[int, list],
    wire: Sequence[WireCopy] = (),
    carried: Mapping[str, int] | None = None,
) -> ComparePage:
    """Arrange stored rows for the compare template (articles in column order).

    wire: the shown articles' copies of wire sentences; carried: how many published
    articles carry each wire sentence (by its key)."""
    order = [a.pk for a in articles]
    bodies = {a.pk: a.current_revision.body for a in articles}
    labels = {a.pk: article_label(a) for a in articles}
    agree = [link for link in links if link.stance != "differ"]
    differ = [link for link in links if link.stance == "differ"]
    wire_links = _wire_links(wire)
    groups = _ordered_groups(
        _apart(group_links([*engine_links(agree), *wire_links]), differ), order, bodies
    )
    _set_carried_by(groups, wire, carried or {})
    members = _Members(groups)
    shown_copies: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for sentence, article_id, start, end in wire:
        shown_copies[sentence].append((article_id, start, end))
    for copies in shown_copies.values():
        for key, start, end in copies:
            member = members.at(key, start, end)
            for other in dict.fromkeys(k for k, _, _ in copies if k != key):
                if member is None:
                    break
                if len(member.counterparts) < COUNTERPARTS_SHOWN:
                    member.counterparts.append(Counterpart(labels[other], "verbatim", 1.0, []))
                else:
                    member.more += 1
    for link in agree:
        for key, start, end, other in (
            (link.a_article_id, link.a_start, link.a_end, link.b_article_id),
            (link.b_article_id, link.b_start, link.b_end, link.a_article_id),
        ):
            member = members.at(key, start, end)
            if member is None:
                continue
            if len(member.counterparts) < COUNTERPARTS_SHOWN:
                shared = [(str(c), str(t)) for c, t in (tuple(x) for x in link.shared or ())]
                member.counterparts.append(
                    Counterpart(labels[other], link.kind, link.score, shared)
                )
            else:
                member.more += 1

    marks: dict[int, list[Mark]] = defaultdict(list)
    serial = 0

    def add(article_id: int, start: int, end: int, kind: str, value: object) -> None:
        nonlocal serial
        if start < end:
            serial += 1
            marks[article_id].append(Mark(serial, start, end, "", kind, value))

    for member in members.all():
        add(member.article_id, member.start, member.end, "passage", member)
    for link in agree:
        for op in link.word_diff:
            _, a_start, a_end, b_start, b_end, _, _ = op
            add(link.a_article_id, a_start, a_end, "diff", None)
            add(link.b_article_id, b_start, b_end, "diff", None)

    quotes = quote_rows(articles, attributions)
    # Columns are made before their pieces, so disagreements can name them.
    columns = [Column(index, article, []) for index, article in enumerate(articles)]
    by_id = {column.article.pk: column for column in columns}
    disagreements = []
    for number, link in enumerate(differ, start=1):
        inside = [
            Reading(d.kind, d.a_text, d.b_text)
            for d in discrepancies
            if (d.a_article_id, d.b_article_id) == (link.a_article_id, link.b_article_id)
            and link.a_start <= d.a_start < link.a_end
            and link.b_start <= d.b_start < link.b_end
        ]
        disagreement = Disagreement(
            number,
            tuple(link.differs_by or ()) or tuple(dict.fromkeys(r.kind for r in inside)),
            link.kind,
            link.score,
            by_id[link.a_article_id],
            link.a_start,
            link.a_end,
            bodies[link.a_article_id][link.a_start : link.a_end],
            by_id[link.b_article_id],
            link.b_start,
            link.b_end,
            bodies[link.b_article_id][link.b_start : link.b_end],
            inside,
        )
        disagreements.append(disagreement)
        add(link.a_article_id, link.a_start, link.a_end, "differ", Side(disagreement, True))
        add(link.b_article_id, link.b_start, link.b_end, "differ", Side(disagreement, False))
    for number, d in enumerate(discrepancies, start=1):
        add(d.a_article_id, d.a_start, d.a_end, "fact", number)
        add(d.b_article_id, d.b_start, d.b_end, "fact", number)
    for article_id, found in notes.items():
        for annotation in found:
            add(article_id, annotation.start, annotation.end, "note", annotation)

    for column in columns:
        _fill(column, blocks[column.article.pk], marks[column.article.pk])
    differences = _differences(discrepancies, disagreements, by_id)
    return ComparePage(
        columns=columns,
        groups=groups,
        facts=[fact for section in differences for fact in section.facts],
        framing=framing_rows(articles, hits, families),
        quotes=[row for row in quotes if row.columns > 1],
        more_quotes=[
            (row.source, columns[i].label, phrase)
            for row in quotes
            if row.columns == 1
            for i, phrase in enumerate(row.phrases)
            if phrase
        ],
        link_count=len(links),
        disagreements=disagreements,
        differences=differences,
        has_notes=any(notes.values()),
    )


def _set_carried_by(
    groups: Sequence[Group], wire: Sequence[WireCopy], carried: Mapping[str, int]
) -> None:
    """A group over a wire passage is carried by as many articles as its most carried one."""
    by_article: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for sentence, article_id, start, end in wire:
        by_article[article_id].append((start, end, sentence))
    for group in groups:
        counts = [
            carried[sentence]
            for key, start, end in group.members
            for w_start, w_end, sentence in by_article.get(key, ())
            if w_start < end and start < w_end and sentence in carried
        ]
        if counts:
            group.carried_by = max(counts)


def _differences(
    discrepancies: Sequence[Discrepancy],
    disagreements: Sequence[Disagreement],
    by_id: dict[int, Column],
) -> list[DifferenceSection]:
    """ "Where they differ": every stored discrepancy (both readings, anchored to both places),
    and every differing link that no discrepancy explains (its two passages as the readings),
    in sections by kind."""
    found: dict[str, list[Fact]] = defaultdict(list)
    for number, d in enumerate(discrepancies, start=1):
        a, b = by_id[d.a_article_id], by_id[d.b_article_id]
        found[d.kind if d.kind in DIFFERENCE_LABELS else ""].append(
            Fact(
                number,
                d.kind,
                a,
                d.a_text,
                b,
                d.b_text,
                d.link_kind,
                a.anchors.get(f"f{number}", ""),
                b.anchors.get(f"f{number}", ""),
            )
        )
    for item in disagreements:
        if item.readings:
            continue
        kind = item.kinds[0] if item.kinds and item.kinds[0] in DIFFERENCE_LABELS else ""
        found[kind].append(
            Fact(
                len(discrepancies) + item.number,
                kind,
                item.a,
                _short(item.a_text, 160),
                item.b,
                _short(item.b_text, 160),
                item.link_kind,
                item.a.anchors.get(f"d{item.number}", ""),
                item.b.anchors.get(f"d{item.number}", ""),
            )
        )
    return [
        DifferenceSection(kind, label, found[kind])
        for kind, label in DIFFERENCE_LABELS.items()
        if found.get(kind)
    ]


def _fill(column: Column, blocks: list[Block], marks: list[Mark]) -> None:
    """Cut the column's blocks into pieces under the marks; count what is shared."""
    index = column.index
    seen_mark: set[int] = set()
    anchors: set[str] = set()  # group anchors
    # Carried elsewhere, in the same or in other words: no "only here" mark.
    passage_spans = sorted((m.start, m.end) for m in marks if m.kind in ("passage", "differ"))
    for block in blocks:
        if block.body_start is None:
            column.items.append(Item(block, [Piece(block.text, -1)], False))
            continue
        pieces = []
        for segment in segments(block.text, block.body_start, marks):
            piece = Piece(segment.text, segment.start)
            for mark in segment.spans:
                if mark.kind == "passage":
                    piece.group = mark.value.group
                    piece.member = mark.value
                    piece.group_start = mark.id not in seen_mark
                    seen_mark.add(mark.id)
                    anchor = f"g{piece.group.number}-c{index}"
                    if anchor not in anchors:
                        anchors.add(anchor)
                        piece.anchor = anchor
                elif mark.kind == "differ":
                    piece.differs.append(mark.value)
                    if mark.id not in seen_mark:
                        seen_mark.add(mark.id)
                        piece.differ_starts.append(mark.value)
                    key = f"d{mark.value.number}"
                    if key not in column.anchors:
                        piece.differ_anchor = piece.differ_anchor or f"{key}-c{index}"
                        column.anchors[key] = piece.differ_anchor
                elif mark.kind == "diff":
                    piece.diff = True
                elif mark.kind == "fact":
                    piece.facts.append(mark.value)
                    key = f"f{mark.value}"
                    if key not in column.anchors:
                        piece.fact_anchor = piece.fact_anchor or f"{key}-c{index}"
                        column.anchors[key] = piece.fact_anchor
                else:
                    piece.notes.append(mark.value)
                    if mark.id not in seen_mark:
                        piece.note_start.append(mark.value)
                        seen_mark.add(mark.id)
            pieces.append(piece)
            column.body_chars += len(segment.text)
            if piece.group is not None:
                column.shared_chars += len(segment.text)
        shared = any(s < block.body_end and e > block.body_start for s, e in passage_spans)
        column.items.append(Item(block, pieces, shared))
