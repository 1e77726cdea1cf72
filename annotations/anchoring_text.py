"""Text helpers of the anchoring engine: word boundaries and whitespace-insensitive search.

Pure Python (no Django). Offsets are Python str indices. Everything here is linear in the
length of the text searched, or bounded by an explicit limit, whatever the input.
"""

import re

__all__ = [
    "MAX_OCCURRENCES",
    "collapsed_occurrences",
    "is_word",
    "mid_word",
    "snap",
    "whole_word",
]

MAX_OCCURRENCES = 200
"""At most this many occurrences of a quote are collected; more means it says nothing."""

_SPACE_RUN = re.compile(r"\s+")

_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
"""Scripts written without spaces between words (Thai, Lao, Burmese, Khmer, Japanese, Chinese):
their characters are not taken to form words, so any place between them is a boundary."""


def is_word(char: str) -> bool:
    """Whether a character belongs to a word (letters, digits, underscore) of a spaced script."""
    return (char.isalnum() or char == "_") and not _UNSPACED.match(char)


def mid_word(text: str, at: int) -> bool:
    """Whether offset `at` of text falls between two word characters."""
    return 0 < at < len(text) and is_word(text[at - 1]) and is_word(text[at])


def whole_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] neither starts nor ends inside a word."""
    return not mid_word(text, start) and not mid_word(text, end)


def snap(text: str, start: int, end: int, *, ends: tuple[bool, bool]) -> tuple[int, int]:
    """Widen or narrow text[start:end] to word boundaries at the ends flagged in `ends`.

    At a flagged end that falls inside a word the span takes the whole word when most of the
    word is inside it, else leaves the word out; a span never becomes empty.
    """
    snap_start, snap_end = ends
    if snap_start and mid_word(text, start):
        left, right = start, start
        while left > 0 and is_word(text[left - 1]):
            left -= 1
        while right < len(text) and is_word(text[right]):
            right += 1
        inside = min(right, end) - start
        start = left if inside >= start - left or right >= end else right
    if snap_end and mid_word(text, end):
        left, right = end, end
        while left > start and is_word(text[left - 1]):
            left -= 1
        while right < len(text) and is_word(text[right]):
            right += 1
        end = right if end - left >= right - end or left <= start else left
    return start, end


def _collapse(text: str) -> tuple[str, list[int]]:
    """text with each run of whitespace made one space, and the offset in text of each char."""
    out: list[str] = []
    where: list[int] = []
    last = 0
    for match in _SPACE_RUN.finditer(text):
        out.append(text[last : match.start()])
        where.extend(range(last, match.start()))
        out.append(" ")
        where.append(match.start())
        last = match.end()
    out.append(text[last:])
    where.extend(range(last, len(text)))
    where.append(len(text))
    return "".join(out), where


def collapsed_occurrences(
    haystack: str, needle: str, *, limit: int = MAX_OCCURRENCES
) -> list[tuple[int, int]]:
    """Spans of haystack equal to needle once runs of whitespace are made one space each."""
    flat_needle = _SPACE_RUN.sub(" ", needle).strip()
    if not flat_needle:
        return []
    flat, where = _collapse(haystack)
    found: list[tuple[int, int]] = []
    at = flat.find(flat_needle)
    while at != -1 and len(found) < limit:
        start = where[at]
        last = where[at + len(flat_needle) - 1]
        end = last + 1
        found.append((start, end))
        at = flat.find(flat_needle, at + 1)
    return found
