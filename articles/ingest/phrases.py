"""The per-language phrase data of page furniture (data/furniture.json), loaded once.

Each family maps a language to its phrases; the rules never see the languages separately but
one compiled pattern per family, so a line is tested once whatever the number of languages.
"""

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "furniture.json"


@cache
def table() -> dict[str, Any]:
    """The whole data file (read once per process)."""
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def phrases(family: str) -> list[str]:
    """Every phrase of a family, all languages together, longest first."""
    found: set[str] = set()
    for lang, entries in table()[family].items():
        if lang.startswith("_"):
            continue
        found.update(entry.casefold() for entry in entries)
    return sorted(found, key=lambda p: (-len(p), p))


def _alternation(items: list[str]) -> str:
    return "|".join(re.escape(item).replace(r"\ ", r"\s+") for item in items)


class Matcher:
    """A family's pattern, matched on the case-folded text (several times faster than a
    case-insensitive pattern); a text whose case folding changes its length (ß, İ) goes
    through the case-insensitive pattern instead, so match offsets are always the text's."""

    __slots__ = ("_folded", "_ignorecase")

    def __init__(self, pattern: str) -> None:
        self._folded = re.compile(pattern)
        self._ignorecase = re.compile(pattern, re.IGNORECASE)

    def _pick(self, text: str) -> tuple[re.Pattern[str], str]:
        folded = text.casefold()
        if len(folded) == len(text):
            return self._folded, folded
        return self._ignorecase, text

    def match(self, text: str) -> re.Match[str] | None:
        pattern, subject = self._pick(text)
        return pattern.match(subject)

    def search(self, text: str) -> re.Match[str] | None:
        pattern, subject = self._pick(text)
        return pattern.search(subject)


@cache
def starts_with(family: str) -> Matcher:
    """Matches a line that opens with one of the family's phrases as whole words."""
    return Matcher(rf"^(?:{_alternation(phrases(family))})(?![^\W_])")


@cache
def whole_line(family: str) -> Matcher:
    """Matches a line that is exactly one of the family's phrases (trailing marks aside)."""
    return Matcher(rf"^(?:{_alternation(phrases(family))})\s*[:|•·\-–—]*$")


@cache
def anywhere(family: str) -> Matcher:
    """Finds one of the family's phrases anywhere, at the start of a word."""
    return Matcher(rf"(?<![^\W_])(?:{_alternation(phrases(family))})")


@cache
def relative_time() -> re.Pattern[str]:
    """ "7 months ago", "5 дней назад", "2 saat önce", "منذ 3 ساعات", "il y a 2 heures"."""
    units: set[str] = set()
    after: set[str] = set()
    before: set[str] = set()
    for lang, entry in table()["relative_time"].items():
        if lang.startswith("_"):
            continue
        units.update(u.casefold() for u in entry["units"])
        after.update(a.casefold() for a in entry["after"])
        before.update(b.casefold() for b in entry["before"])
    unit = rf"(?:{_alternation(sorted(units, key=len, reverse=True))})[^\W\d_]{{0,8}}\.?"
    number = r"(?:\d{1,4}|[٠-٩]{1,4}|an?|one|\w{1,8})"
    tail = rf"{number}\s+{unit}\s+(?:{_alternation(sorted(after))})"
    head = rf"(?:{_alternation(sorted(before))})\s+(?:{number}\s+)?{unit}"
    return re.compile(rf"^(?:{tail}|{head})\s*\.?$", re.IGNORECASE)


@cache
def function_words() -> frozenset[str]:
    """The listed function words of every language, together (data: "function_words")."""
    return frozenset(phrases("function_words"))


def fold_dotted_i(text: str) -> str:
    """Turkish dotted capital I as plain I, so "MERKEZİ" matches "merkezi" without case."""
    return text.replace("İ", "I")
