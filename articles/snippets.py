"""Marking a search's matches in a text, in bounded work, as SQLite's FTS5 finds them.

Pure Python (no Django). FTS5's own snippet() compares every match with every other and its
highlight() rebuilds its output at every match, so both grow with the square of the matches
(a 1 MB article of one word repeated never finished). Here the text is split into tokens as
the index does (`porter unicode61 remove_diacritics 2`: runs of letters and digits, folded to
lower case without diacritics, Porter-stemmed), and only the stretch that a snippet shows is
marked: the scan stops SCAN_CHARS into the text when nothing matched, stems at most
MAX_STEMS distinct-looking tokens, and marks at most MAX_MARKS matches.
"""

import functools
import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer

SCAN_CHARS = 100_000  # how far into a text the first match is looked for
WINDOW_CHARS = 4_000  # how much text after the first match is marked
MAX_STEMS = 500  # tokens stemmed in one text (others that share no prefix cost nothing)
MAX_MARKS = 16

_TOKEN = re.compile(r"[^\W_]+")


@functools.cache
def _stemmer():
    return snowballstemmer.stemmer("porter")


def fold(token: str) -> str:
    """A token as unicode61 keeps it: lower case, diacritics removed."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65_536)
def stem(token: str) -> str:
    """The Porter stem of a folded token (as FTS5's porter tokenizer makes it)."""
    return _stemmer().stemWord(token)


def term_stems(term: str) -> tuple[str, ...]:
    """The stems a word or phrase of the query must match, side by side."""
    return tuple(stem(fold(token)) for token in _TOKEN.findall(term))


class Marker:
    """Marks where a text holds any of the query's terms (each a word or a phrase)."""

    def __init__(self, terms: Iterable[str], opening: str, closing: str):
        self.terms = [stems for stems in map(term_stems, terms) if stems]
        self.opening, self.closing = opening, closing
        # Porter only changes a word's end: a stem keeps the token's first two letters.
        self.prefixes = {s[:2] for stems in self.terms for s in stems}

    def _stems(self, text: str, start: int, end: int):
        """(token start, token end, stem or None) for the tokens of text[start:end]."""
        stemmed = 0
        for match in _TOKEN.finditer(text, start, end):
            token = fold(match.group())
            value = None
            if token[:2] in self.prefixes and stemmed < MAX_STEMS:
                stemmed += 1
                value = stem(token)
            yield match.start(), match.end(), value

    def _matches(self, tokens: list[tuple[int, int, str | None]]) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for i in range(len(tokens)):
            for stems in self.terms:
                found = tuple(t[2] for t in tokens[i : i + len(stems)])
                if found == stems:
                    spans.append((tokens[i][0], tokens[i + len(stems) - 1][1]))
                    break
        return spans

    def mark(self, text: str | None) -> str:
        """The text with its first matches (at most MAX_MARKS) between the markers."""
        text = text or ""
        longest = max((len(stems) for stems in self.terms), default=1)
        first = None
        recent: list[tuple[int, int, str | None]] = []
        for token in self._stems(text, 0, min(len(text), SCAN_CHARS)):
            recent = [*recent[1 - longest :], token] if longest > 1 else [token]
            for stems in self.terms:
                found = tuple(t[2] for t in recent[-len(stems) :])
                if found == stems:
                    first = recent[-len(stems)][0]
                    break
            if first is not None:
                break
        if first is None:
            return text
        tokens = list(self._stems(text, first, min(len(text), first + WINDOW_CHARS)))
        spans = self._matches(tokens)[:MAX_MARKS]
        out, at = [], 0
        for start, end in spans:
            if start < at:
                continue  # overlapping phrase matches: the first one is marked
            out += [text[at:start], self.opening, text[start:end], self.closing]
            at = end
        out.append(text[at:])
        return "".join(out)
