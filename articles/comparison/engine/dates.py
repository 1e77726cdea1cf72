"""Dates in article text: written out ("29 December 2016", "December 30, 2016") or relative to
the last one written out before them ("a day earlier", "the next day", "two days later").

A date is (year or None, month, day). Relative dates only anchor sentence links (two reports
of one event a few days apart); differences are read from dates written out.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .document import Doc

DateValue = tuple[int | None, int, int]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_RE = re.compile(
    rf"""\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})(?:,?\s+(?P<y1>\d{{4}}))?
    |(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?)""",
    re.IGNORECASE | re.VERBOSE,
)
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_RELATIVE_RE = re.compile(
    r"""\b(?:(?P<count>an?|one|two|three|four|five|six|\d{1,2})\s+(?P<unit>days?|weeks?)
    \s+(?P<way>earlier|later)
    |the\s+(?P<way_next>next|following|previous)\s+day
    |the\s+day\s+(?P<way_before>before|after)(?=\s*[,.;:]))\b""",
    re.IGNORECASE | re.VERBOSE,
)
_BACK = {"earlier", "previous", "before"}


def find_dates(text: str, offset: int) -> list[tuple[DateValue, int, int]]:
    """Dates with a day in a text: ((year or None, month, day), start, end), offsets shifted."""
    found = []
    for match in _DATE_RE.finditer(text):
        day = match.group("d1") or match.group("d2")
        month = (match.group("m1") or match.group("m2")).lower().rstrip(".")
        year = match.group("y1") or match.group("y2")
        if not 1 <= int(day) <= 31:
            continue
        value = (int(year) if year else None, MONTHS[month], int(day))
        found.append((value, offset + match.start(), offset + match.end()))
    return found


def day_gap(a: DateValue, b: DateValue) -> int | None:
    """Days between two dates (a missing year is taken to be the other's), or None."""
    year_a, year_b = a[0], b[0]
    if year_a is not None and year_b is not None and year_a != year_b:
        year = (year_a, year_b)
    else:
        shared = year_a or year_b or 2001  # any non-leap year
        year = (shared, shared)
    try:
        first, second = date(year[0], a[1], a[2]), date(year[1], b[1], b[2])
    except ValueError:
        return None
    return abs((first - second).days)


def close_dates(first: list[DateValue], second: list[DateValue], gap: int) -> bool:
    """Whether two lists of dates hold a pair at most `gap` days apart."""
    for x in first:
        for y in second:
            days = day_gap(x, y)
            if days is not None and days <= gap:
                return True
    return False


def _shift(value: DateValue, days: int) -> DateValue | None:
    year, month, day = value
    try:
        moved = date(year or 2001, month, day) + timedelta(days=days)
    except (ValueError, OverflowError):
        return None
    return (moved.year if year is not None else None, moved.month, moved.day)


def _offset(match: re.Match[str]) -> int:
    """The days a relative date moves from its reference (negative: earlier)."""
    if match.group("count"):
        count = match.group("count").lower()
        days = _COUNTS[count] if count in _COUNTS else int(count)
        if match.group("unit").lower().startswith("week"):
            days *= 7
        way = match.group("way")
    else:
        days, way = 1, match.group("way_next") or match.group("way_before")
    return -days if way.lower() in _BACK else days


def article_dates(doc: Doc) -> list[list[DateValue]]:
    """The dates each sentence gives, written out or relative (cached on the article)."""
    if doc.dates is None:
        out: list[list[DateValue]] = []
        last: DateValue | None = None
        for _, _, start, end in doc.sentences:
            text = doc.body[start:end]
            written = find_dates(text, 0)
            found = []
            for match in _RELATIVE_RE.finditer(text):
                before = [value for value, at, _ in written if at < match.start()]
                reference = before[-1] if before else last
                moved = _shift(reference, _offset(match)) if reference else None
                if moved is not None:
                    found.append(moved)
            if written:
                last = written[-1][0]
            out.append([value for value, _, _ in written] + found)
        doc.dates = out
    return doc.dates


def sentence_dates(doc: Doc, sentence: int) -> list[DateValue]:
    """The dates with a day that a sentence gives, written out or relative."""
    return article_dates(doc)[sentence]
