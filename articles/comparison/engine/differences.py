"""Differing numbers, dates and names inside linked passages.

Two sources: the replaced words of a near-verbatim span ("29" read "30", "rebel group" read
"Kama Umirt Union"), and the dates and counted quantities of two linked sentences ("29
December 2016" against "December 30, 2016", "10 factions" against "20 factions"). Dates far
apart are taken to be different events, not a difference.
"""

from __future__ import annotations

import re

from articles.ingest.text import STOPWORDS

from .dates import MONTHS, day_gap, find_dates
from .document import Doc
from .results import Difference, DifferenceKind, LinkKind
from .similarity import stem

_NUMBER_RE = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")
_UNIT_RE = re.compile(r"\s*(?:-\s*)?([^\W\d_][\w'-]*)")
_DEMONYM_RE = re.compile(r"(?:ian|ish|ese|ean|can|an|i)$")


def find_quantities(text: str, offset: int, dates: list) -> list[tuple[str, str, int, int]]:
    """Counted quantities ("10 factions"): (value, unit stem, start, end), not dates or years."""
    date_spans = [(s - offset, e - offset) for _, s, e in dates]
    found = []
    for match in _NUMBER_RE.finditer(text):
        if any(s <= match.start() < e for s, e in date_spans):
            continue
        value = match.group().replace(",", "")
        if len(value) == 4 and value.isdigit() and 1900 <= int(value) <= 2100:
            continue
        unit = _UNIT_RE.match(text, match.end())
        if not unit:
            continue
        found.append(
            (value, stem(unit.group(1).lower()), offset + match.start(), offset + unit.end())
        )
    return found


def _acronym_of_neighbours(doc: Doc, index: int) -> bool:
    """True for "FSA" right after "Free Syrian Army": an abbreviation, not a different name."""
    text = doc.body[doc.starts[index] : doc.ends[index]]
    if not (text.isupper() and 2 <= len(text) <= 6):
        return False
    initials = ""
    for i in range(index - 1, max(-1, index - 7), -1):
        word = doc.body[doc.starts[i] : doc.ends[i]]
        if not word[:1].isupper():
            break
        initials = word[0] + initials
        if initials == text:
            return True
    return False


def _demonym(doc: Doc, index: int) -> bool:
    """True for "Syrian" in "Syrian opposition": a capitalised adjective, not a name."""
    word = doc.body[doc.starts[index] : doc.ends[index]]
    if not _DEMONYM_RE.search(word) or index + 1 >= len(doc.keys):
        return False
    return doc.body[doc.starts[index + 1]].islower()


def _names(doc: Doc, first: int, end: int) -> list[int]:
    """Capitalised tokens in a token range: not sentence-initial, abbreviations or demonyms."""
    found = []
    for i in range(first, end):
        if not doc.body[doc.starts[i]].isupper():
            continue
        if doc.sentences[doc.sent_of[i]][0] == i or _acronym_of_neighbours(doc, i):
            continue
        if _demonym(doc, i):
            continue
        found.append(i)
    return found


_NOT_NAMES = frozenset(
    """however nevertheless meanwhile moreover despite although while after before during since
    when if but and yet still also even most many some several all both each other such
    according hence thus therefore in on at as last next this that these those""".split()
)


def sentence_entities(doc: Doc, sentence: int) -> frozenset[str]:
    """Names in a sentence: runs of capitalised words (no demonyms, no repeated acronyms).

    Cached on the article."""
    if doc.entities is None:
        doc.entities = {}
    found = doc.entities.get(sentence)
    if found is None:
        found = doc.entities[sentence] = frozenset(_entities(doc, sentence))
    return found


def _entities(doc: Doc, sentence: int) -> set[str]:
    first, end, _, _ = doc.sentences[sentence]
    found: set[str] = set()
    run: list[str] = []
    for i in range(first, end):
        text = doc.body[doc.starts[i] : doc.ends[i]]
        joined = i > first and not doc.body[doc.ends[i - 1] : doc.starts[i]].strip()
        if run and not joined:
            found.add(" ".join(run))
            run = []
        capital = text[:1].isupper()
        if not capital or _demonym(doc, i) or _acronym_of_neighbours(doc, i):
            if run:
                found.add(" ".join(run))
                run = []
            continue
        if i == first and doc.keys[i] in _NOT_NAMES | STOPWORDS:
            continue
        run.append(stem(doc.keys[i]))
    if run:
        found.add(" ".join(run))
    return found


def from_replacement(
    a: Doc, a_range: tuple[int, int], b: Doc, b_range: tuple[int, int], link_kind: LinkKind
) -> Difference | None:
    """Classify one replaced stretch of a near-verbatim span, if it is a number, date or name."""
    (a_first, a_end), (b_first, b_end) = a_range, b_range
    a_words, b_words = a.keys[a_first:a_end], b.keys[b_first:b_end]
    if a_words == b_words:
        return None
    a_numbers = [w for w in a_words if any(c.isdigit() for c in w)]
    b_numbers = [w for w in b_words if any(c.isdigit() for c in w)]
    kind: DifferenceKind | None = None
    if a_numbers and b_numbers and a_numbers != b_numbers:
        near = {*a.keys[max(0, a_first - 2) : a_end + 2], *b.keys[max(0, b_first - 2) : b_end + 2]}
        kind = "date" if near & MONTHS.keys() else "number"
    elif _names(a, a_first, a_end) or _names(b, b_first, b_end):
        kind = "name"
    if kind is None:
        return None
    a_span = a.starts[a_first], a.ends[a_end - 1]
    b_span = b.starts[b_first], b.ends[b_end - 1]
    return _difference(kind, a, a_span, b, b_span, link_kind)


def from_sentences(
    a: Doc, a_span: tuple[int, int], b: Doc, b_span: tuple[int, int], link_kind: LinkKind, gap: int
) -> list[Difference]:
    """Dates close together but different, and counts of the same thing that differ."""
    a_text, b_text = a.body[a_span[0] : a_span[1]], b.body[b_span[0] : b_span[1]]
    a_dates, b_dates = find_dates(a_text, a_span[0]), find_dates(b_text, b_span[0])
    out: list[Difference] = []
    if a_dates and b_dates:
        b_values = {(m, d) for (_, m, d), _, _ in b_dates}
        for value, start, end in a_dates:
            if (value[1], value[2]) in b_values:
                continue
            scored = [(day_gap(value, other[0]), other) for other in b_dates]
            scored = [(days, other) for days, other in scored if days is not None]
            if not scored:
                continue
            days, (_, b_start, b_end) = min(scored, key=lambda item: (item[0], item[1][1]))
            if 0 < days <= gap:
                out.append(_difference("date", a, (start, end), b, (b_start, b_end), link_kind))
    a_counts = find_quantities(a_text, a_span[0], a_dates)
    b_counts = find_quantities(b_text, b_span[0], b_dates)
    b_by_unit: dict[str, list[tuple[str, int, int]]] = {}
    for value, unit, start, end in b_counts:
        b_by_unit.setdefault(unit, []).append((value, start, end))
    for value, unit, start, end in a_counts:
        others = b_by_unit.get(unit, [])
        if not others or any(other == value for other, _, _ in others):
            continue
        _, b_start, b_end = others[0]
        out.append(_difference("number", a, (start, end), b, (b_start, b_end), link_kind))
    return out


def _difference(
    kind: DifferenceKind,
    a: Doc,
    a_span: tuple[int, int],
    b: Doc,
    b_span: tuple[int, int],
    link_kind: LinkKind,
) -> Difference:
    """The difference between two body spans, with the text each reads."""
    (a_start, a_end), (b_start, b_end) = a_span, b_span
    return Difference(
        kind,
        a.key,
        a_start,
        a_end,
        a.body[a_start:a_end],
        b.key,
        b_start,
        b_end,
        b.body[b_start:b_end],
        link_kind,
    )
