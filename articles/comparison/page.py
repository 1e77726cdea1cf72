"""The compare page's model: columns, passage groups, facts, framing and quotations.

Built from stored comparison rows (articles/models.py) by `articles.selectors.comparison_view`;
this module only arranges them. Groups are joined over the links among the articles shown
(union-find, `articles.compare.groups`), so a passage's tint is shared by exactly the columns
that carry it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotations.highlights import segments

from ..models import Article, Attribution, Block, Discrepancy, FramingHit, PassageLink
from .engine import Link, LinkGroup
from .engine.groups import group_links

TINTS = 8
MIN_ARTICLES, MAX_ARTICLES = 2, 5


@dataclass(frozen=True, slots=True)
class Mark:
    """A labelled span of one body, cut into pieces with `annotations.highlights.segments`."""

    id: int
    start: int
    end: int
    colour: str  # unused by the compare page; segments() reads it
    kind: str  # "passage", "diff", "fact" or "note"
    value: object = None


@dataclass(slots=True)
class Piece:
    text: str
    start: int
    group: Group | None = None
    group_start: bool = False  # the first piece of one member of the group
    anchor: str = ""  # id of the first piece of a group or fact in its column
    diff: bool = False
    fact: int | None = None
    fact_anchor: str = ""
    notes: list = field(default_factory=list)  # annotations (Annotation objects)
    note_start: list = field(default_factory=list)


@dataclass(slots=True)
class Group:
    number: int  # 1-based, in reading order
    kinds: tuple[str, ...]
    members: list[tuple[int, int, int]]  # (article id, start, end)
    article_ids: list[int]
    label: str = ""

    @property
    def tint(self) -> int:
        return (self.number - 1) % TINTS

    @property
    def kind_label(self) -> str:
        names = {"verbatim": "same words", "near": "nearly the same words"}
        return ", ".join(names.get(k, "same fact in other words") for k in self.kinds)


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

    @property
    def label(self) -> str:
        """A short name for table headings: the outlet, else the start of the title."""
        if self.article.outlet_id:
            return self.article.outlet.name
        title = self.article.title
        return title if len(title) <= 32 else title[:31].rsplit(" ", 1)[0] + "…"

    @property
    def shared_percent(self) -> int:
        return round(100 * self.shared_chars / self.body_chars) if self.body_chars else 0


@dataclass(slots=True)
class Fact:
    number: int
    kind: str
    a: Column
    a_text: str
    b: Column
    b_text: str
    link_kind: str


@dataclass(slots=True)
class FramingCell:
    count: int
    snippets: list[tuple[str, str, str]]  # before, term, after


@dataclass(slots=True)
class FramingRow:
    family: str
    term: str  # "" on the family's total row
    cells: list[FramingCell]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass(slots=True)
class QuoteRow:
    source: str
    cells: list[dict[str, int]]  # per column: "said" -> 2, "told Reuters" -> 1

    @property
    def columns(self) -> int:
        return sum(1 for cell in self.cells if cell)

    @property
    def phrases(self) -> list[str]:
        """Per column, e.g. "said ×2; told Reuters"."""
        return [
            "; ".join(f"{p} ×{n}" if n > 1 else p for p, n in cell.items()) for cell in self.cells
        ]


@dataclass(slots=True)
class ComparePage:
    columns: list[Column]
    groups: list[Group]
    facts: list[Fact]
    framing: list[FramingRow]
    quotes: list[QuoteRow]
    link_count: int
    more_quotes: list[tuple[str, str, str]] = field(default_factory=list)  # source, column, verbs
    claims: list = field(default_factory=list)  # (annotation, [LinkedPassage]) pairs

    @property
    def shared_groups(self) -> list[Group]:
        return [g for g in self.groups if len(g.article_ids) > 1]


def engine_links(rows: Iterable[PassageLink]) -> list[Link]:
    """Stored links as the engine's dataclasses (article ids as keys), word diffs dropped."""
    return [
        Link(
            r.kind, r.a_article_id, r.a_start, r.a_end, r.b_article_id, r.b_start, r.b_end, r.score
        )
        for r in rows
    ]


def _ordered_groups(found: Sequence[LinkGroup], order: list[int], bodies) -> list[Group]:
    """Groups numbered in reading order: by first column carrying them, then position."""
    rank = {article_id: i for i, article_id in enumerate(order)}

    def first(group: LinkGroup) -> tuple[int, int]:
        return min((rank[key], start) for key, start, _ in group.members)

    out = []
    for number, group in enumerate(sorted(found, key=first), start=1):
        key, start, end = min(group.members, key=lambda m: (rank[m[0]], m[1]))
        text = " ".join(bodies[key][start:end].split())
        label = text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + "…"
        out.append(
            Group(
                number,
                group.kinds,
                list(group.members),
                sorted({k for k, _, _ in group.members}, key=rank.__getitem__),
                label,
            )
        )
    return out


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
) -> ComparePage:
    """Arrange stored rows for the compare template (articles in column order)."""
    order = [a.pk for a in articles]
    bodies = {a.pk: a.current_revision.body for a in articles}
    groups = _ordered_groups(group_links(engine_links(links)), order, bodies)
    marks: dict[int, list[Mark]] = defaultdict(list)
    serial = 0

    def add(article_id: int, start: int, end: int, kind: str, value: object) -> None:
        nonlocal serial
        if start < end:
            serial += 1
            marks[article_id].append(Mark(serial, start, end, "", kind, value))

    for group in groups:
        for key, start, end in group.members:
            add(key, start, end, "passage", group)
    for link in links:
        for op in link.word_diff:
            _, a_start, a_end, b_start, b_end, _, _ = op
            add(link.a_article_id, a_start, a_end, "diff", None)
            add(link.b_article_id, b_start, b_end, "diff", None)
    for number, d in enumerate(discrepancies, start=1):
        add(d.a_article_id, d.a_start, d.a_end, "fact", number)
        add(d.b_article_id, d.b_start, d.b_end, "fact", number)
    for article_id, found in notes.items():
        for annotation in found:
            add(article_id, annotation.start, annotation.end, "note", annotation)

    quotes = _quotes(articles, attributions)
    columns = [
        _column(index, article, blocks[article.pk], marks[article.pk])
        for index, article in enumerate(articles)
    ]
    by_id = {column.article.pk: column for column in columns}
    facts = [
        Fact(
            number,
            d.kind,
            by_id[d.a_article_id],
            d.a_text,
            by_id[d.b_article_id],
            d.b_text,
            d.link_kind,
        )
        for number, d in enumerate(discrepancies, start=1)
    ]
    return ComparePage(
        columns=columns,
        groups=groups,
        facts=facts,
        framing=_framing(articles, hits, families),
        quotes=[row for row in quotes if row.columns > 1],
        more_quotes=[
            (row.source, columns[i].label, phrase)
            for row in quotes
            if row.columns == 1
            for i, phrase in enumerate(row.phrases)
            if phrase
        ],
        link_count=len(links),
    )


def _column(index: int, article: Article, blocks: list[Block], marks: list[Mark]) -> Column:
    items = []
    shared_chars = body_chars = 0
    seen_mark: set[int] = set()
    anchors: set[str] = set()
    passage_spans = sorted((m.start, m.end) for m in marks if m.kind == "passage")
    for block in blocks:
        if block.body_start is None:
            items.append(Item(block, [Piece(block.text, -1)], False))
            continue
        pieces = []
        for segment in segments(block.text, block.body_start, marks):
            piece = Piece(segment.text, segment.start)
            for mark in segment.spans:
                if mark.kind == "passage":
                    piece.group = mark.value
                    piece.group_start = mark.id not in seen_mark
                    seen_mark.add(mark.id)
                    anchor = f"g{mark.value.number}-c{index}"
                    if anchor not in anchors:
                        anchors.add(anchor)
                        piece.anchor = anchor
                elif mark.kind == "diff":
                    piece.diff = True
                elif mark.kind == "fact":
                    piece.fact = mark.value
                    anchor = f"f{mark.value}-c{index}"
                    if anchor not in anchors:
                        anchors.add(anchor)
                        piece.fact_anchor = anchor
                else:
                    piece.notes.append(mark.value)
                    if mark.id not in seen_mark:
                        piece.note_start.append(mark.value)
                        seen_mark.add(mark.id)
            pieces.append(piece)
            body_chars += len(segment.text)
            if piece.group is not None:
                shared_chars += len(segment.text)
        shared = any(s < block.body_end and e > block.body_start for s, e in passage_spans)
        items.append(Item(block, pieces, shared))
    return Column(index, article, items, shared_chars, body_chars)


def _framing(
    articles: Sequence[Article],
    hits: Sequence[FramingHit],
    families: Sequence[tuple[str, Sequence[str]]],
) -> list[FramingRow]:
    column = {a.current_revision_id: i for i, a in enumerate(articles)}
    bodies = [a.current_revision.body for a in articles]
    found: dict[tuple[str, str], list[FramingCell]] = {}
    for hit in hits:
        cells = found.setdefault((hit.family, hit.term), [FramingCell(0, []) for _ in articles])
        i = column[hit.revision_id]
        body = bodies[i]
        cells[i].count += 1
        cells[i].snippets.append(
            (
                body[hit.snippet_start : hit.start],
                body[hit.start : hit.end],
                body[hit.end : hit.snippet_end],
            )
        )
    rows = []
    for family, terms in families:
        term_rows = [
            FramingRow(family, term, found[(family, term)])
            for term in terms
            if (family, term) in found
        ]
        if not term_rows:
            continue
        total = [
            FramingCell(sum(r.cells[i].count for r in term_rows), []) for i in range(len(articles))
        ]
        rows.append(FramingRow(family, "", total))
        rows.extend(sorted(term_rows, key=lambda r: (-r.total, r.term.lower())))
    return rows


_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those"}


def _named(source: str) -> bool:
    """A source worth a row: a name or a described person, not a bare pronoun."""
    return source.casefold() not in _PRONOUNS and any(ch.isalpha() for ch in source)


def _source_key(source: str) -> str:
    """Sources named in full in one article and by surname in another share a row."""
    last = source.split()[-1].strip(".,;:'’\"")
    return last.casefold() if last[:1].isupper() else source.casefold()


def _quotes(articles: Sequence[Article], attributions: Sequence[Attribution]) -> list[QuoteRow]:
    """Sources by how many articles quote them, with the verbs and carriers each article uses."""
    column = {a.current_revision_id: i for i, a in enumerate(articles)}
    rows: dict[str, QuoteRow] = {}
    for item in attributions:
        source = item.resolved_source or item.source
        if not source:
            if not item.via:
                continue
            source = "(unnamed source)"
        if not _named(source):
            continue
        row = rows.setdefault(_source_key(source), QuoteRow(source, [{} for _ in articles]))
        if len(source) > len(row.source):
            row.source = source  # the fullest form: "Mohammad Alloush" over "Alloush"
        phrase = item.verb + (f" {item.via}" if item.via else "")
        cell = row.cells[column[item.revision_id]]
        cell[phrase] = cell.get(phrase, 0) + 1
    return sorted(rows.values(), key=lambda r: (-r.columns, r.source.casefold()))
