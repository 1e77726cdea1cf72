"""Framing: which words an article uses for the actors, counted in context.

A lexicon maps a family ("armed groups", "government") to terms. A term is a word or phrase,
matched on folded words (hyphens split words, so "militant-held" holds "militant"), longest
term first, each word counted once. Context rules cancel a match: `not_after` lists words
that may not come right before it (the "ceasefire regime" is no government), `not_before`
words that may not come right after it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from articles.ingest.text import normalize_for_matching

from .document import Folded, boilerplate_spans, fold
from .results import ArticleFraming, TermHit

SNIPPET_WORDS = 8
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Term:
    """A lexicon term with the neighbouring words that cancel it."""

    phrase: str
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()


Lexicon = Mapping[str, Sequence[str | Term]]

_NOT_A_GOVERNMENT_REGIME = (
    "ceasefire",
    "cease",
    "fire",
    "truce",
    "sanctions",
    "sanction",
    "visa",
    "monitoring",
    "control",
    "trade",
    "tax",
    "legal",
    "security",
    "inspection",
    "verification",
    "export",
    "customs",
    "nonproliferation",
)
_FOREIGN = (
    "turkish",
    "turkey's",
    "russian",
    "russia's",
    "us",
    "u.s",
    "american",
    "iranian",
    "iran's",
    "saudi",
    "british",
    "french",
    "german",
    "israeli",
    "kazakh",
    "jordanian",
    "qatari",
    "iraqi",
    "lebanese",
    "anti",
    "non",
    "local",
    "interim",
    "provisional",
)
# Words before "Damascus" that make it a place, not the government.
_PLACE = ("in", "of", "around", "near", "outside", "to", "from", "capital", "into", "at", "across")

DEFAULT_LEXICON: dict[str, tuple[str | Term, ...]] = {
    "armed groups": (
        "rebels",
        "rebel",
        "militants",
        "militant",
        "terrorists",
        "terrorist",
        "extremists",
        "extremist",
        "insurgents",
        "insurgent",
        "jihadists",
        "jihadist",
        "opposition",
        "factions",
        "faction",
        Term("armed groups"),
        Term("so-called"),
    ),
    "government": (
        Term("Assad regime"),
        Term("Syrian regime"),
        Term("regime", not_after=_NOT_A_GOVERNMENT_REGIME),
        Term("Assad government"),
        Term("Syrian government"),
        Term("government", not_after=_FOREIGN),
        Term("Damascus", not_after=_PLACE),
    ),
}


@dataclass(frozen=True, slots=True)
class _Compiled:
    family: str
    term: str
    words: tuple[str, ...]
    not_after: frozenset[str]
    not_before: frozenset[str]


def _fold_words(text: str) -> list[str]:
    return _WORD_RE.findall(normalize_for_matching(text).text)


def compile_lexicon(lexicon: Lexicon) -> tuple[_Compiled, ...]:
    """Terms as folded word tuples, longest first (so "Assad regime" wins over "regime")."""
    out = []
    for family, terms in lexicon.items():
        for raw in terms:
            term = raw if isinstance(raw, Term) else Term(raw)
            words = tuple(_fold_words(term.phrase))
            if not words:
                continue
            out.append(
                _Compiled(
                    family,
                    term.phrase,
                    words,
                    frozenset(w for x in term.not_after for w in _fold_words(x)),
                    frozenset(w for x in term.not_before for w in _fold_words(x)),
                )
            )
    out.sort(key=lambda c: (-len(c.words), c.family, c.term))
    return tuple(out)


def frame(
    key: str,
    body: str,
    lexicon: Lexicon,
    masked: Sequence[tuple[int, int]] | None = None,
    compiled: tuple[_Compiled, ...] | None = None,
    folded: Folded | None = None,
) -> ArticleFraming:
    """Count the lexicon's terms in one body, skipping masked spans (boilerplate, comments)."""
    terms = compiled if compiled is not None else compile_lexicon(lexicon)
    masked = boilerplate_spans(body) if masked is None else masked
    folded = folded if folded is not None else fold(body)
    words = folded.words(_WORD_RE)
    if masked:
        words = [w for w in words if not any(s <= w[1] < e for s, e in masked)]
    by_first: dict[str, list[_Compiled]] = {}
    for term in terms:
        by_first.setdefault(term.words[0], []).append(term)
    hits: list[TermHit] = []
    starts = [i for i, (word, _, _) in enumerate(words) if word in by_first]
    if starts:
        used = [False] * len(words)
        keys = [word for word, _, _ in words]
        for term_length in sorted({len(t.words) for t in terms}, reverse=True):
            for i in starts:
                for term in by_first[keys[i]]:
                    n = len(term.words)
                    if n != term_length or i + n > len(words) or any(used[i : i + n]):
                        continue
                    if tuple(keys[i : i + n]) != term.words:
                        continue
                    if i > 0 and keys[i - 1] in term.not_after:
                        continue
                    if i + n < len(words) and keys[i + n] in term.not_before:
                        continue
                    for k in range(i, i + n):
                        used[k] = True
                    hits.append(_hit(key, body, words, i, n, term))
                    break
    hits.sort(key=lambda hit: (hit.start, hit.family))
    counts: dict[str, dict[str, int]] = {family: {} for family in lexicon}
    for hit in hits:
        family = counts.setdefault(hit.family, {})
        family[hit.term] = family.get(hit.term, 0) + 1
    return ArticleFraming(key, counts, tuple(hits))


def frame_article(key: str, body: str, lexicon: Lexicon = DEFAULT_LEXICON) -> ArticleFraming:
    """The framing of one article alone: its lexicon terms counted in context.

    The same result the index gives for the article (masked boilerplate is skipped), with no
    pair computed: for recounting framing when the lexicon changes.
    """
    return frame(key, body, lexicon)


def _hit(
    key: str, body: str, words: list[tuple[str, int, int]], i: int, n: int, term: _Compiled
) -> TermHit:
    start, end = words[i][1], words[i + n - 1][2]
    first = max(0, i - SNIPPET_WORDS)
    last = min(len(words) - 1, i + n - 1 + SNIPPET_WORDS)
    snippet_start, snippet_end = words[first][1], words[last][2]
    return TermHit(
        key,
        term.family,
        term.term,
        start,
        end,
        body[start:end],
        snippet_start,
        snippet_end,
        body[snippet_start:snippet_end],
    )
