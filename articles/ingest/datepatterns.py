"""The date patterns: what a date, a time or a relative date looks like as a run of tokens.

At each token a fixed list of patterns is tried, each looking at a bounded number of tokens
ahead (never a repetition of repetitions), so the work is linear in the length of the text
whatever it holds. Impossible dates (31 February, month 13, hour 25) are refused, never
clamped. A time beside a date is joined to it here; what a hit leaves open (its year, the order
of "03/02/2017", the day of "2 hours ago") is settled in `dates` from the page's other dates.
"""

from dataclasses import dataclass, field
from datetime import date

from .datewords import (
    AGO,
    DAYS_BACK,
    FILLERS,
    LOWER_ZONES,
    MONTH_NAMES,
    ONE,
    ORDINALS,
    UNITS,
    YEAR_SUFFIXES,
    ZONES,
    Token,
)

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_GAP = 4  # tokens of filler allowed between a date and its time
_SIGNS = {"+": 1, "-": -1, "−": -1, "–": -1}
_SIGN_MARKS = frozenset(_SIGNS)
_FRACTION_DIGITS = tuple(range(1, 10))  # "14:05:00.123456"
_SEPARATORS = frozenset("./-")


@dataclass(slots=True)
class Raw:
    """A hit while it is read: its token span and the parts found so far."""

    first: int
    last: int  # token index after the hit
    pattern: str
    kind: str  # "date", "time" or "relative"
    year: int | None = None
    month: int = 0
    day: int = 0
    hour: int | None = None
    minute: int = 0
    second: int | None = None
    offset: int | None = None
    weak: bool = False  # a time written "10.05": only kept beside a date
    readings: list[tuple[int, int]] = field(default_factory=list)  # (month, day) candidates
    unit: str = ""
    count: int = 0
    label: str = ""


class _Scan:
    """The patterns, tried at one token at a time; `reads` counts token reads (for tests)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.reads = 0

    def tok(self, index: int) -> Token | None:
        self.reads += 1
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def glued(self, index: int) -> bool:
        """tokens[index] touches the token before it."""
        before, this = self.tok(index - 1), self.tok(index)
        return before is not None and this is not None and before.end == this.start

    def num(self, index: int, *, digits: tuple[int, ...] = (1, 2)) -> int | None:
        token = self.tok(index)
        if token is None or token.kind != "num" or len(token.text) not in digits:
            return None
        return int(token.key)

    def mark(self, index: int, marks: str | frozenset[str]) -> str | None:
        token = self.tok(index)
        return (
            token.text
            if token is not None and token.kind == "mark" and token.text in marks
            else None
        )

    def word(self, index: int) -> str | None:
        token = self.tok(index)
        return token.key if token is not None and token.kind == "word" else None

    def inside_number(self, index: int) -> bool:
        """tokens[index] continues a longer number ("1.2.3", "12:30"): not a start."""
        return (
            self.glued(index)
            and self.mark(index - 1, ".:/-,") is not None
            and self.glued(index - 1)
            and self.num(index - 2, digits=(1, 2, 3, 4)) is not None
        )

    def continues_number(self, index: int) -> bool:
        """The hit ending before tokens[index] would be cut out of a longer number."""
        return (
            self.glued(index)
            and self.mark(index, ".:/-") is not None
            and self.glued(index + 1)
            and self.num(index + 1, digits=(1, 2, 3, 4)) is not None
        )

    # --- Patterns -----------------------------------------------------------------------

    def numeric(self, i: int) -> Raw | None:
        """2017-01-23, 2017/01/23, 23.01.2017, 23/01/2017, 01/23/2017, 3.02.15 (+ a time)."""
        if self.inside_number(i):
            return None
        sep = self.mark(i + 1, _SEPARATORS)
        if sep is None or not all(self.glued(i + k) for k in (1, 2, 3, 4)):
            return None
        if self.mark(i + 3, sep) is None or self.continues_number(i + 5):
            return None
        year_first = self.num(i, digits=(4,))
        if year_first is not None:
            month, day = self.num(i + 2), self.num(i + 4)
            if month is None or day is None or not _real(year_first, month, day):
                return None
            raw = Raw(i, i + 5, "year-month-day", "date", year_first, month, day)
            self.iso_time(raw)
            return raw
        a, b = self.num(i), self.num(i + 2)
        year = self.num(i + 4, digits=(2, 4))
        if a is None or b is None or year is None:
            return None
        if year < 100:
            year += 2000 if year < 70 else 1900
        readings = [(m, d) for m, d in ((b, a), (a, b)) if _real(year, m, d)]
        if not readings:
            return None
        raw = Raw(i, i + 5, f"numeric d{sep}m{sep}y", "date", year, *readings[0])
        if readings[0] == (a, b):
            raw.pattern = f"numeric m{sep}d{sep}y"
        if len(readings) == 2 and a != b:
            raw.readings = readings
        return raw

    def iso_time(self, raw: Raw) -> None:
        """The time after an ISO date: "T14:05:00+03:00" or " 14:05"."""
        j = raw.last
        if self.word(j) == "t" and self.glued(j) and self.glued(j + 1):
            j += 1
        elif self.tok(j) is None or self.glued(j):
            return
        time = self.time(j, allow_dot=False)
        if time is not None:
            _take_time(raw, time)

    def day_month(self, i: int) -> Raw | None:
        """23 January 2017, 2nd February 2025, 23. Januar, 23 de enero de 2017, 23 січня 2017 р."""
        day = self.num(i)
        if day is None or not 1 <= day <= 31 or self.inside_number(i):
            return None
        j = i + 1
        if self.glued(j) and (self.word(j) in ORDINALS or self.mark(j, ".º")):
            j += 1
        elif self.mark(j, "-") and self.glued(j) and self.word(j + 1) in ORDINALS:
            j += 2
        if j > i + 1 and self.mark(j, ","):  # "13th, February 2024"
            j += 1
        if self.word(j) in ("de", "del"):
            j += 1
        found = MONTH_NAMES.match(self.tokens, j) if self.tok(j) is not None else None
        if found is None:
            return None
        j = self.after_month(j + found[0], int(found[1]))
        raw = Raw(i, j, "day month", "date", None, int(found[1]), day)
        self.year(raw)
        return raw if raw.year is not None or _real(2000, raw.month, day) else None

    def month_day(self, i: int) -> Raw | None:
        """January 23, 2017; Jan. 22 2017; February 2nd 2025; January 24 (no year)."""
        found = MONTH_NAMES.match(self.tokens, i)
        if found is None:
            return None
        j = self.after_month(i + found[0], int(found[1]))
        day = self.num(j)
        if day is None or not 1 <= day <= 31 or self.continues_number(j + 1):
            return None
        j += 1
        if self.glued(j) and self.word(j) in ORDINALS:
            j += 1
        raw = Raw(i, j, "month day", "date", None, int(found[1]), day)
        self.year(raw)
        return raw if raw.year is not None or _real(2000, raw.month, day) else None

    def after_month(self, j: int, month: int) -> int:
        """Past an abbreviation's full stop and a second name ("كانون الثاني/يناير")."""
        if self.mark(j, ".") and self.glued(j):
            j += 1
        if self.mark(j, "/(") and self.tok(j + 1) is not None:
            again = MONTH_NAMES.match(self.tokens, j + 1)
            if again is not None and int(again[1]) == month:
                j += 1 + again[0]
                j += 1 if self.mark(j, ")") else 0
        return j

    def year(self, raw: Raw) -> None:
        """The year after a day and month, with its commas, "de" and suffix ("2017 р.")."""
        j = raw.last
        j += 1 if self.mark(j, ",") else 0
        j += 1 if self.word(j) in ("de", "del") else 0
        year = self.num(j, digits=(4,))
        if year is None or not MIN_YEAR <= year <= MAX_YEAR or self.continues_number(j + 1):
            return
        if not _real(year, raw.month, raw.day):
            raw.month = 0  # refused: the day does not exist in that year
            return
        raw.year, raw.last = year, j + 1
        raw.pattern += " year"
        if self.word(raw.last) in YEAR_SUFFIXES:
            raw.last += 1
            if self.mark(raw.last, ".") and self.glued(raw.last):
                raw.last += 1

    def time(self, i: int, *, allow_dot: bool) -> Raw | None:
        """14:05, 14:05:30, 8:04 am, 10.05 (weak), 14h05, with a zone: UTC+3, GMT, +03:00."""
        hour = self.num(i)
        if hour is None or hour > 23 or self.inside_number(i) or not self.glued(i + 1):
            return None
        sep = self.mark(i + 1, ":.") or ("h" if self.word(i + 1) == "h" else None)
        minute = self.num(i + 2, digits=(2,))
        if sep is None or minute is None or minute > 59 or not self.glued(i + 2):
            return None
        if sep == "." and not allow_dot:
            return None
        raw = Raw(i, i + 3, "time", "time", hour=hour, minute=minute, weak=sep == ".")
        if self.mark(raw.last, ":") and self.glued(raw.last):
            second = self.num(raw.last + 1, digits=(2,))
            if second is not None and second <= 59 and self.glued(raw.last + 1):
                raw.second, raw.last = second, raw.last + 2
                if self.mark(raw.last, ".,") and self.glued(raw.last) and self.glued(raw.last + 1):
                    fraction = self.num(raw.last + 1, digits=_FRACTION_DIGITS)
                    raw.last += 2 if fraction is not None else 0
        if self.continues_number(raw.last):
            return None
        if not self.meridiem(raw):
            return None
        self.zone(raw)
        return raw

    def meridiem(self, raw: Raw) -> bool:
        """am/pm, a.m./p.m.: False when the hour cannot be on a twelve-hour clock."""
        j, key = raw.last, self.word(raw.last)
        if key in ("am", "pm"):
            raw.last = j + 1
        elif key in ("a", "p") and self.mark(j + 1, ".") and self.word(j + 2) == "m":
            raw.last = j + 3 + (1 if self.mark(j + 3, ".") else 0)
        else:
            return True
        if raw.hour is None or not 1 <= raw.hour <= 12:
            return False
        raw.hour = raw.hour % 12 + (12 if key.startswith("p") else 0)
        return True

    def zone(self, raw: Raw) -> None:
        """A zone name and/or an offset after a time."""
        j = raw.last
        opened = self.mark(j, "(") is not None
        j += 1 if opened else 0
        token = self.tok(j)
        named = None
        if token is not None and token.kind == "word":
            named = ZONES.get(token.text) if token.text.isupper() else LOWER_ZONES.get(token.key)
        if named is not None:
            j += 1
        elif not (self.glued(j) and self.mark(j, _SIGN_MARKS)):
            return
        offset = self.offset(j)
        if offset is not None:
            shift, j = offset
            named = (named or 0) + shift
        if named is None or abs(named) > 14 * 60:
            return
        if opened:
            if not self.mark(j, ")"):
                return
            j += 1
        raw.offset, raw.last = named, j

    def offset(self, j: int) -> tuple[int, int] | None:
        """("+3", "+03:00", "+0300") at tokens[j] as (minutes, index after)."""
        sign = self.mark(j, _SIGN_MARKS)
        if sign is None:
            return None
        hours = self.num(j + 1, digits=(1, 2))
        if hours is not None and self.glued(j + 1):
            minutes, stop = 0, j + 2
            if self.mark(stop, ":") and self.glued(stop) and self.glued(stop + 1):
                found = self.num(stop + 1, digits=(2,))
                if found is not None:
                    minutes, stop = found, stop + 2
            return _SIGNS[sign] * (hours * 60 + minutes), stop
        packed = self.num(j + 1, digits=(4,))
        if packed is not None and self.glued(j + 1):
            return _SIGNS[sign] * (packed // 100 * 60 + packed % 100), j + 2
        return None

    def relative(self, i: int) -> Raw | None:
        """7 months ago, 5 дней назад, vor 2 Stunden, منذ ساعتين, yesterday, вчера, dün."""
        token = self.tok(i)
        if token is None or token.kind == "mark":
            return None
        back = DAYS_BACK.match(self.tokens, i)
        if back is not None:
            return Raw(i, i + back[0], "relative day", "relative", unit="day", count=int(back[1]))
        before = AGO.match(self.tokens, i)
        if before is not None and before[1] == "before":
            return self.count_unit(i, i + before[0], need_after=False)
        return self.count_unit(i, i, need_after=True)

    def count_unit(self, first: int, j: int, *, need_after: bool) -> Raw | None:
        count = self.num(j, digits=(1, 2, 3))
        if count is None and self.word(j) in ONE:
            count = 1
        if count is not None:
            j += 1
        unit = UNITS.get(self.word(j) or "")
        if unit is None or (count is None and unit[1] == 0 and need_after):
            return None
        count = unit[1] or count or 1
        j += 1
        if need_after:
            after = AGO.match(self.tokens, j) if self.tok(j) is not None else None
            if after is None or after[1] != "after":
                return None
            j += after[0]
        return Raw(first, j, "relative", "relative", unit=unit[0], count=count)

    def label(self, i: int) -> tuple[int, str] | None:
        found = FILLERS.match(self.tokens, i)
        if found is not None and found[1] in ("published", "updated"):
            return found
        return None


def _real(year: int, month: int, day: int) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _take_time(raw: Raw, time: Raw) -> None:
    raw.hour, raw.minute, raw.second, raw.offset = time.hour, time.minute, time.second, time.offset
    raw.first, raw.last = min(raw.first, time.first), max(raw.last, time.last)


def scan(tokens: list[Token]) -> tuple[list[Raw], int]:
    """Every hit in a token list, times joined to their dates; and the token reads it took."""
    reader = _Scan(tokens)
    raws: list[Raw] = []
    label: tuple[int, str] | None = None  # (token index after the label, which label)
    i = 0
    while i < len(tokens):
        raw = (
            reader.numeric(i)
            or reader.day_month(i)
            or reader.month_day(i)
            or reader.time(i, allow_dot=True)
            or reader.relative(i)
        )
        if raw is None or (raw.kind == "date" and raw.month == 0):
            found = reader.label(i)
            if found is not None:
                label = (i + found[0], found[1])
                i += found[0]
            else:
                i += 1
            continue
        if label is not None and only_filler(tokens, label[0], raw.first):
            raw.label = label[1]
        raws.append(raw)
        i = raw.last
    return _join_times(tokens, raws), reader.reads


def only_filler(tokens: list[Token], start: int, stop: int, *, gap: int | None = MAX_GAP) -> bool:
    """tokens[start:stop] are marks, weekdays, labels and connector words (at most `gap`)."""
    if gap is not None and stop - start > gap:
        return False
    i = start
    while i < stop:
        if tokens[i].kind == "mark":
            i += 1
            continue
        found = FILLERS.match(tokens, i)
        if found is None:
            return False
        i += found[0]
    return True


def _join_times(tokens: list[Token], raws: list[Raw]) -> list[Raw]:
    """A time beside a date (or "yesterday") becomes that date's time; lone weak times go."""
    out: list[Raw] = []
    for raw in raws:
        previous = out[-1] if out else None
        if previous is not None and only_filler(tokens, previous.last, raw.first):
            if raw.kind == "time" and previous.kind != "time" and previous.hour is None:
                _take_time(previous, raw)
                continue
            if previous.kind == "time" and raw.kind != "time" and raw.hour is None:
                _take_time(raw, previous)
                raw.label = raw.label or previous.label
                out[-1] = raw
                continue
        out.append(raw)
    return [raw for raw in out if not (raw.kind == "time" and raw.weak)]
