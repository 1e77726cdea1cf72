"""The compare page's two tables: how each article names the actors (framing), and who is
quoted by whom. Built from stored FramingHit and Attribution rows; `page.build_page` calls
`framing_rows` and `quote_rows`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Attribution, FramingHit


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


def framing_rows(
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


def quote_rows(articles: Sequence[Article], attributions: Sequence[Attribution]) -> list[QuoteRow]:
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
