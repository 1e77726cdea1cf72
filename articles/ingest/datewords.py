"""Words and tokens for reading dates: the tokenizer and the lexicon built from the data tables.

A line is cut into tokens (runs of digits, runs of letters, single marks) by one regular
expression with no nested quantifiers, so the cut is linear in the length of the line. Words
glued to each other by case ("regimeJanuary") are cut apart, since pages lose the space between
a title and its date. Every word is folded (case, accents, Arabic letter variants) before it is
looked up, so the tables in `data/` list each name once.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .data import date_words, months

# Digits (any script), words (letters with their combining marks, joiners and inner
# apostrophes), or any other single visible character.
_TOKEN_RE = re.compile(
    r"\d+"
    r"|[^\W\d_](?:[^\W\d_]|[\u0300-\u036f\u064b-\u065f\u0670\u200c\u0640]|['’](?=[^\W\d_]))*"
    r"|\S"
)
_ARABIC_FOLD = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None, "\u200c": None, "’": "'"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num", "word" or "mark"
    text: str
    key: str  # the folded word, the digits' value as text, or the mark itself
    start: int
    end: int


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """A word as the lexicon keys it: case-folded, accents and Arabic vowel marks dropped,
    Arabic letter variants (hamza seats, alif maqsura, ta marbuta) unified."""
    decomposed = unicodedata.normalize("NFD", word.casefold().translate(_ARABIC_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ı", "i")


def _case_pieces(text: str, start: int) -> list[tuple[str, int]]:
    """Cut a word where a lower-case letter is followed by a capital: "regimeJanuary"."""
    pieces: list[tuple[str, int]] = []
    begin = 0
    for index in range(1, len(text)):
        if text[index].isupper() and text[index - 1].islower():
            pieces.append((text[begin:index], start + begin))
            begin = index
    pieces.append((text[begin:], start + begin))
    return pieces


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of text[start:end], with spans in `text`."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        word = match.group()
        if word[0].isdecimal():
            # Any script's digits ("٢٠١٧"); the value is only ever read from short runs.
            value = str(int(word)) if len(word) <= 6 else word
            tokens.append(Token("num", word, value, match.start(), match.end()))
        elif word[0].isalpha():
            for piece, at in _case_pieces(word, match.start()):
                tokens.append(Token("word", piece, fold(piece), at, at + len(piece)))
        else:
            tokens.append(Token("mark", word, word, match.start(), match.end()))
    return tokens


def _phrase_keys(phrase: str) -> tuple[str, ...]:
    return tuple(token.key for token in tokenize(phrase))


class _Phrases:
    """Phrases of one or more words, looked up by their first word, longest first."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}

    def add(self, phrase: str, value: str) -> None:
        keys = _phrase_keys(phrase)
        if keys:
            entries = self._by_first.setdefault(keys[0], [])
            entries.append((keys, value))
            entries.sort(key=lambda entry: -len(entry[0]))

    def match(self, tokens: list[Token], index: int) -> tuple[int, str] | None:
        """(tokens consumed, value) of the longest phrase starting at tokens[index]."""
        for keys, value in self._by_first.get(tokens[index].key, ()):
            stop = index + len(keys)
            if stop <= len(tokens) and all(
                tokens[index + offset].key == key for offset, key in enumerate(keys)
            ):
                return len(keys), value
        return None


def _build() -> tuple[_Phrases, _Phrases, _Phrases, _Phrases, dict[str, tuple[str, int]]]:
    month_names, fillers, ago, days_back = _Phrases(), _Phrases(), _Phrases(), _Phrases()
    for table in months.MONTHS.values():
        for number, forms in enumerate(table, start=1):
            for form in forms:
                month_names.add(form, str(number))
    for table in months.WEEKDAYS.values():
        for forms in table:
            for form in forms:
                fillers.add(form, "weekday")
    for name, by_lang in (("published", date_words.PUBLISHED), ("updated", date_words.UPDATED)):
        for phrases in by_lang.values():
            for phrase in phrases:
                fillers.add(phrase, name)
    for words in date_words.CONNECTORS.values():
        for phrase in words:
            fillers.add(phrase, "connector")
    for words in date_words.AGO_AFTER.values():
        for phrase in words:
            ago.add(phrase, "after")
    for words in date_words.AGO_BEFORE.values():
        for phrase in words:
            ago.add(phrase, "before")
    for back_by_phrase in date_words.DAYS_BACK.values():
        for phrase, back in back_by_phrase.items():
            days_back.add(phrase, str(back))
    units: dict[str, tuple[str, int]] = {}
    for unit_by_word in date_words.UNITS.values():
        for word, unit in unit_by_word.items():
            name, _, count = unit.partition(":")
            units[fold(word)] = (name, int(count or 0))
    return month_names, fillers, ago, days_back, units


MONTH_NAMES, FILLERS, AGO, DAYS_BACK, UNITS = _build()
# Words without which a line with no digit cannot hold a date: the first words of relative
# dates ("yesterday", "منذ", "il y a", "an hour ago") and of their ago-markers.
NO_DIGIT_HINTS = frozenset(
    _phrase_keys(phrase)[0]
    for table in (date_words.AGO_BEFORE, date_words.AGO_AFTER, date_words.DAYS_BACK)
    for phrases in table.values()
    for phrase in phrases
) | frozenset(fold(word) for table in date_words.UNITS.values() for word in table)
ONE = frozenset(fold(word) for words in date_words.ONE.values() for word in words)
ORDINALS = frozenset(fold(word) for word in date_words.ORDINAL_SUFFIXES)
YEAR_SUFFIXES = frozenset(fold(word) for word in date_words.YEAR_SUFFIXES)
ZONES = {name: minutes for name, minutes in date_words.ZONES.items() if name.isupper()}
LOWER_ZONES = {fold(name): minutes for name, minutes in date_words.ZONES.items() if name.islower()}
