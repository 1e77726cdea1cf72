"""Dates in article text: written out ("29 December 2016", "December 30, 2016") or relative to
the last one written out before them ("a day earlier", "the next day", "two days later").

A date is (year or None, month, day). Dates relative to the last one written out anchor
sentence links (two reports of one event a few days apart). Dates relative to the day of
writing (`find_relative`: "on Tuesday", "yesterday", "last week") are resolved against an
article's publication or dateline date (`RelativeDate.resolve`), for the "relative-date"
differences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# --- Relative dates against a reference day (publication or dateline) ------------------------

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_WEEKDAY_RE = re.compile(
    r"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE
)
# A weekday written with its date ("Monday 23 January", "Monday, January 23") is not relative.
_WITH_DATE_RE = re.compile(
    rf"\W{{0,3}}(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+\d)", re.I
)
_DEICTIC_RE = re.compile(
    r"""\b(?:(?P<yesterday>yesterday)|(?P<today>today|tonight|this\s+morning)|(?P<tomorrow>tomorrow)
    |(?P<week>last|this|next)\s+week)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Words that put a clause in the future: a weekday then means the next one, not the last.
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|next|upcoming|forthcoming|scheduled|due|expected|set\s+to|plans?\s+to)\b",
    re.IGNORECASE,
)

# A relative date resolved: the first and last day it may be (equal for a single day).
DayRange = tuple[date, date]


@dataclass(frozen=True, slots=True)
class RelativeDate:
    """A date written relative to the day of writing: a weekday, "yesterday", "last week"."""

    text: str
    start: int
    end: int
    weekday: int | None  # 0 = Monday, for "on Tuesday"
    days: int | None  # offset from the reference day, for yesterday / today / tomorrow
    week: int | None  # -1, 0, 1 for last / this / next week
    future: bool  # the clause looks ahead ("will begin on Tuesday")

    def resolve(self, reference: date | None) -> DayRange | None:
        """The day or days this means for an article of the reference day, if known."""
        if reference is None:
            return None
        if self.days is not None:
            day = reference + timedelta(days=self.days)
            return day, day
        if self.week is not None:
            monday = reference - timedelta(days=reference.weekday()) + timedelta(weeks=self.week)
            return monday, monday + timedelta(days=6)
        assert self.weekday is not None
        back = (reference.weekday() - self.weekday) % 7
        day = (
            reference + timedelta(days=(self.weekday - reference.weekday()) % 7)
            if self.future
            else reference - timedelta(days=back)
        )
        return day, day


def find_relative(text: str, offset: int) -> list[RelativeDate]:
    """Weekdays and words like "yesterday" or "next week" in a text, offsets shifted."""
    future = bool(_FUTURE_RE.search(text))
    found = []
    for match in _WEEKDAY_RE.finditer(text):
        if _WITH_DATE_RE.match(text, match.end()):
            continue
        before = text[max(0, match.start() - 20) : match.start()]
        if find_dates(before, 0) and re.search(r"\d\W{0,3}$", before):
            continue  # "23 January, Monday"
        weekday = WEEKDAYS[match.group("weekday").lower()]
        found.append(
            RelativeDate(
                match.group(),
                offset + match.start(),
                offset + match.end(),
                weekday,
                None,
                None,
                future,
            )
        )
    for match in _DEICTIC_RE.finditer(text):
        days = week = None
        if match.group("yesterday"):
            days = -1
        elif match.group("today"):
            days = 0
        elif match.group("tomorrow"):
            days = 1
        else:
            week = {"last": -1, "this": 0, "next": 1}[match.group("week").lower()]
        found.append(
            RelativeDate(
                match.group(),
                offset + match.start(),
                offset + match.end(),
                None,
                days,
                week,
                future,
            )
        )
    return found


def as_day(value: DateValue, reference: date | None) -> date | None:
    """A written date as a day: its own year, else the year that puts it nearest the reference."""
    year, month, day = value
    try:
        if year is not None:
            return date(year, month, day)
        if reference is None:
            return None
        options = []
        for candidate in (reference.year - 1, reference.year, reference.year + 1):
            try:
                options.append(date(candidate, month, day))
            except ValueError:
                continue
        return min(options, key=lambda d: (abs((d - reference).days), d)) if options else None
    except ValueError:
        return None


def anchored_relatives(doc: Doc, sentence: int) -> list[tuple[DateValue, int, int]]:
    """Dates a sentence gives relative to the last one written out before them ("a day
    earlier"), resolved: (value, body start, body end)."""
    _, _, start, end = doc.sentences[sentence]
    text = doc.body[start:end]
    matches = list(_RELATIVE_RE.finditer(text))
    if not matches:
        return []
    written = find_dates(text, 0)
    last: DateValue | None = None
    for earlier in range(sentence - 1, max(-1, sentence - 40), -1):
        _, _, s, e = doc.sentences[earlier]
        found = find_dates(doc.body[s:e], 0)
        if found:
            last = found[-1][0]
            break
    out = []
    for match in matches:
        before = [value for value, at, _ in written if at < match.start()]
        reference = before[-1] if before else last
        moved = _shift(reference, _offset(match)) if reference else None
        if moved is not None:
            out.append((moved, start + match.start(), start + match.end()))
    return out
