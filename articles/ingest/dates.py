"""Dates and times printed on news pages, in many formats and languages.

`find_dates(text)` reads every date, time and relative date ("7 months ago") in a text;
`is_date_line(line)` says whether a line is nothing but a date with its labels, weekday and
time; `publication_date(blocks, text)` picks the page's own publication date from its
furniture lines. Pure Python, no Django.

What one hit leaves open is settled from the other dates read with it, never from today's
clock: the year of "January 24, 15:30" (the nearest date that has one), the order of
"03/02/2017" (the page's unambiguous numeric dates, else its dates with month names), and the
day of "2 hours ago" (counted back from the latest date the page shows).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from .datepatterns import Raw, only_filler, scan
from .datewords import NO_DIGIT_HINTS, fold, tokenize
from .kinds import Kind
from .records import Block

MAX_DATE_LINE = 100  # characters: a longer line is story text, not a date line
MAX_WORDS_WITHOUT_DIGITS = 5  # "il y a une heure": the longest relative date without digits
_DIGIT_RE = re.compile(r"\d")
_PUNCTUATION = ".,:;!?()[]«»\"'“”‘’-–—|/"
_PRECISION = {
    "minute": "minute",
    "hour": "hour",
    "day": "day",
    "week": "day",
    "month": "month",
    "year": "year",
}


@dataclass(frozen=True, slots=True)
class DateHit:
    """One date, time or relative date found in a text."""

    span: tuple[int, int]  # code points in the text searched
    value: date | datetime | None  # None: a time alone, or a year/anchor the text never gave
    has_time: bool
    offset: int | None  # minutes east of UTC, when a zone or an offset is printed
    precision: str  # "second", "minute", "hour", "day", "month" or "year"
    pattern: str  # which pattern read it, and how anything left open was settled
    label: str = ""  # "published" or "updated" when such a label stands before it
    relative: bool = False


@dataclass(slots=True)
class _Found:
    """A raw hit with its span in the text, while the page's hits are settled together."""

    raw: Raw
    start: int
    end: int


def _read(text: str, start: int = 0, end: int | None = None) -> list[_Found]:
    tokens = tokenize(text, start, end)
    raws, _ = scan(tokens)
    return [_Found(raw, tokens[raw.first].start, tokens[raw.last - 1].end) for raw in raws]


def find_dates(text: str, *, reference: date | datetime | None = None) -> list[DateHit]:
    """Every date, time and relative date in `text`, in order.

    Relative dates are counted back from `reference` when given, else from the latest
    absolute date in the text; with neither they have no value.
    """
    return _settle(_read(text), reference)


@lru_cache(maxsize=4096)
def is_date_line(line: str) -> bool:
    """A line that holds a date, time or relative date and nothing else but labels, weekdays,
    connector words and punctuation: "Published: 23.01.2017 14:05", "7 months ago",
    "25 Ocak 2017 Çarşamba, 16:16", "FIRST AIRED: January 26, 2017"."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_DATE_LINE:
        return False
    if not _may_hold_date(stripped):
        return False
    tokens = tokenize(stripped)
    raws, _ = scan(tokens)
    if not raws:
        return False
    cursor = 0
    for raw in raws:
        if not only_filler(tokens, cursor, raw.first, gap=None):
            return False
        cursor = raw.last
    return only_filler(tokens, cursor, len(tokens), gap=None)


def _may_hold_date(text: str) -> bool:
    """Cheap test before tokenizing: only a short "yesterday" or "an hour ago" has no digit."""
    if _DIGIT_RE.search(text) is not None:
        return True
    words = text.split()
    return len(words) <= MAX_WORDS_WITHOUT_DIGITS and any(
        fold(word.strip(_PUNCTUATION)) in NO_DIGIT_HINTS for word in words
    )


# --- Settling what single hits leave open ---------------------------------------------------


def _settle(found: list[_Found], reference: date | datetime | None) -> list[DateHit]:
    """DateHits for the raw hits of one page, each completed from the others."""
    _order_numeric(found)
    anchors = [item for item in found if item.raw.kind == "date" and item.raw.year is not None]
    for item in found:
        if item.raw.kind == "date" and item.raw.year is None:
            _borrow_year(item, anchors)
    if reference is None:
        values = [_absolute(item.raw) for item in anchors]
        reference = max(values, key=_sort_key) if values else None
    return [_hit(item, reference) for item in found]


def _order_numeric(found: list[_Found]) -> None:
    """Choose day-first or month-first for numeric dates where both readings are real."""
    day_first = sum(
        1 for f in found if f.raw.pattern.startswith("numeric d") and not f.raw.readings
    )
    month_first = sum(
        1 for f in found if f.raw.pattern.startswith("numeric m") and not f.raw.readings
    )
    named = [
        date(f.raw.year, f.raw.month, f.raw.day)
        for f in found
        if f.raw.year is not None and not f.raw.pattern.startswith("numeric")
    ]
    for item in found:
        raw = item.raw
        if not raw.readings or raw.year is None:
            continue
        (dm_month, dm_day), (md_month, md_day) = raw.readings
        sep = raw.pattern[len("numeric d")]
        if day_first != month_first:
            pick_day_first = day_first > month_first
            why = "the page's other numeric dates"
        elif named:
            dm = min(abs((date(raw.year, dm_month, dm_day) - d).days) for d in named)
            md = min(abs((date(raw.year, md_month, md_day) - d).days) for d in named)
            pick_day_first, why = dm <= md, "the page's dates with month names"
        else:
            pick_day_first, why = True, "day first by default"
        raw.month, raw.day = (dm_month, dm_day) if pick_day_first else (md_month, md_day)
        order = f"d{sep}m{sep}y" if pick_day_first else f"m{sep}d{sep}y"
        raw.pattern = f"numeric {order} (order from {why})"
        raw.readings = []


def _borrow_year(item: _Found, anchors: list[_Found]) -> None:
    """A date printed without its year takes the year of the nearest date that has one."""
    raw = item.raw
    if not anchors:
        raw.pattern += " (year undecided)"
        return
    nearest = min(anchors, key=lambda a: abs(a.start - item.start))
    year = nearest.raw.year
    if year is None or not _is_real(year, raw.month, raw.day):
        raw.pattern += " (year undecided)"
        return
    raw.year = year
    raw.pattern += " (year from another date on the page)"


def _is_real(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _sort_key(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value, time())


def _absolute(raw: Raw) -> date | datetime:
    if raw.year is None:
        raise ValueError("a date without its year has no value")
    if raw.hour is None:
        return date(raw.year, raw.month, raw.day)
    zone = timezone(timedelta(minutes=raw.offset)) if raw.offset is not None else None
    return datetime(
        raw.year, raw.month, raw.day, raw.hour, raw.minute, raw.second or 0, tzinfo=zone
    )


def _hit(item: _Found, reference: date | datetime | None) -> DateHit:
    raw = item.raw
    span = (item.start, item.end)
    has_time = raw.hour is not None
    time_precision = "second" if raw.second is not None else "minute"
    if raw.kind == "time":
        return DateHit(span, None, True, raw.offset, time_precision, raw.pattern, raw.label)
    if raw.kind == "relative":
        value = _count_back(raw, reference)
        precision = time_precision if has_time else _PRECISION[raw.unit]
        if (
            value is not None
            and not isinstance(value, datetime)
            and precision in ("hour", "minute")
        ):
            precision = "day"
        pattern = raw.pattern + (" (no date on the page to count from)" if value is None else "")
        return DateHit(span, value, has_time, raw.offset, precision, pattern, raw.label, True)
    value = _absolute(raw) if raw.year is not None else None
    precision = time_precision if has_time else "day"
    return DateHit(span, value, has_time, raw.offset, precision, raw.pattern, raw.label)


def _count_back(raw: Raw, reference: date | datetime | None) -> date | datetime | None:
    """The date `raw` names, counted back from the page's own latest date."""
    if reference is None:
        return None
    day = reference.date() if isinstance(reference, datetime) else reference
    if raw.unit in ("minute", "hour"):
        if not isinstance(reference, datetime):
            return day
        return reference - timedelta(**{f"{raw.unit}s": raw.count})
    if raw.unit in ("day", "week"):
        day -= timedelta(days=raw.count * (7 if raw.unit == "week" else 1))
    else:
        months = raw.count * (12 if raw.unit == "year" else 1)
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        day = _clamped(year, month + 1, day.day)
    if raw.hour is not None:
        zone = timezone(timedelta(minutes=raw.offset)) if raw.offset is not None else None
        return datetime.combine(day, time(raw.hour, raw.minute, raw.second or 0, tzinfo=zone))
    return day


def _clamped(year: int, month: int, day: int) -> date:
    """A month back from 31 March is the last of February: counting back may shorten a day."""
    for candidate in (day, 30, 29, 28):
        if candidate <= day:
            try:
                return date(year, month, candidate)
            except ValueError:
                continue
    return date(year, month, 28)


# --- The page's publication date ------------------------------------------------------------

TOP_BLOCKS = 25  # furniture lines looked at above the story when no paragraph is found
MAX_FURNITURE_WORDS = 12  # words: a longer line above the story must open with its date
DATELINE_REACH = 60  # characters into the first paragraph a dateline's date may start
_NOT_PAGE_DATE = frozenset({Kind.CAPTION, Kind.PROMO, Kind.COMMENT, Kind.SECONDARY, Kind.FOOTER})
_GLUE_MARKS = "|–—-•·"


@dataclass(slots=True)
class _Candidate:
    """A hit on a furniture line, with where that line stands."""

    found: _Found
    block: int
    place: str  # "date line", "byline", "dateline", "headline", "furniture", "below"
    hit: DateHit | None = None


def publication_date(blocks: Sequence[Block], text: str) -> tuple[date | datetime | None, str]:
    """The page's publication date and the rule that chose it; (None, "") when it shows none.

    Dates are read only from furniture lines: date lines, bylines and the dateline above or
    just under the headline, lines above the story, labelled date lines below it. Story
    sentences, captions, comments and related-story lists are never read. In order: a
    "published" label; a date line or byline above the story; the dateline's date; any other
    date above the story; an "updated" date; a "published" line below the story; a relative
    date counted back from the page's latest date.
    """
    story = next((i for i, b in enumerate(blocks) if b.kind is Kind.PARAGRAPH), None)
    top_end = story if story is not None else min(len(blocks), TOP_BLOCKS)
    title = next((i for i, b in enumerate(blocks[:top_end]) if b.kind is Kind.TITLE), None)
    candidates = _top_candidates(blocks, text, top_end)
    if story is not None:
        candidates += _dateline_candidates(blocks[story], text, story)
        candidates += _below_candidates(blocks, text, story)
    hits = _settle([c.found for c in candidates], None)
    for candidate, hit in zip(candidates, hits, strict=True):
        candidate.hit = hit
    chosen = _choose(candidates)
    if chosen is None or chosen.hit is None:
        return None, ""
    rule = _rule(chosen, blocks, title)
    timed = _same_day_with_time(chosen, candidates)
    if timed is not None and timed.hit is not None:
        return timed.hit.value, f"{rule}; its time from '{blocks[timed.block].text[:80]}'"
    return chosen.hit.value, rule


def _same_day_with_time(chosen: _Candidate, candidates: list[_Candidate]) -> _Candidate | None:
    """Another line above the story giving the chosen day with its time ("This Article is
    From Jan 22, 2017" over "By The Associated Press January 22, 2017 8:04 am")."""
    value = chosen.hit.value if chosen.hit is not None else None
    if value is None or isinstance(value, datetime):
        return None
    for candidate in candidates:
        hit = candidate.hit
        if (
            hit is not None
            and isinstance(hit.value, datetime)
            and not hit.relative
            and hit.label != "updated"
            and candidate.place not in ("below", "anchor", "headline")
            and hit.value.date() == value
        ):
            return candidate
    return None


def _top_candidates(blocks: Sequence[Block], text: str, top_end: int) -> list[_Candidate]:
    out: list[_Candidate] = []
    for index, block in enumerate(blocks[:top_end]):
        if block.kind in _NOT_PAGE_DATE or not _may_hold_date(block.text):
            continue
        found = _read(text, block.start, block.end)
        if not found:
            continue
        if block.kind in (Kind.TITLE, Kind.HEADING):
            # A date glued to a headline's end or start ("…with regimeJanuary 23, 2017").
            found = [f for f in found if _glued_edge(text, f, block)]
            place = "headline"
        elif is_date_line(block.text):
            place = "date line"
        elif block.kind is Kind.DATELINE:
            place = "dateline" if block.rule.startswith("dateline: place") else "byline"
        else:
            # A date inside a longer unclassified line (a caption, a teaser) is that line's
            # subject; only a short line, or one that opens with its date, is the page's.
            place = "furniture"
            if len(block.text.split()) > MAX_FURNITURE_WORDS:
                found = [f for f in found if f.start == block.start]
        out += [_Candidate(f, index, place) for f in found]
    return out


def _glued_edge(text: str, found: _Found, block: Block) -> bool:
    """The hit ends the line and touches the word before it (or a separator), or it opens
    the line and touches the word after it: a date the copy glued to the headline."""
    if found.end == block.end:
        before = text[found.start - 1] if found.start > block.start else " "
        lead = text[block.start : found.start].rstrip()
        return not before.isspace() or lead[-1:] in _GLUE_MARKS
    if found.start == block.start:
        after = text[found.end]
        return not after.isspace() or text[found.end : block.end].lstrip()[:1] in _GLUE_MARKS
    return False


def _dateline_candidates(block: Block, text: str, index: int) -> list[_Candidate]:
    """ "ASTANA, January 24. /TASS/. …": a date right after a place in capitals and a comma."""
    comma = text.find(",", block.start, min(block.end, block.start + DATELINE_REACH))
    letters = [c for c in text[block.start : comma] if c.isalpha()] if comma > 0 else []
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return []
    found = _read(text, comma + 1, min(block.end, comma + 1 + DATELINE_REACH))
    if not found or text[comma + 1 : found[0].start].strip():
        return []
    return [_Candidate(found[0], index, "dateline")]


def _below_candidates(blocks: Sequence[Block], text: str, story: int) -> list[_Candidate]:
    """Date lines below the story's first paragraph: up to the comments or the next story they
    may be its date ("below"); after that they only tell the page's latest date ("anchor")."""
    out: list[_Candidate] = []
    place = "below"
    for index in range(story + 1, len(blocks)):
        block = blocks[index]
        if block.kind in (Kind.COMMENT, Kind.SECONDARY):
            place = "anchor"
        if (block.kind is Kind.DATELINE or place == "anchor") and is_date_line(block.text):
            out += [_Candidate(f, index, place) for f in _read(text, block.start, block.end)]
    return out


def _choose(candidates: list[_Candidate]) -> _Candidate | None:
    """The first candidate of the best tier (see `publication_date`)."""
    valued = [c for c in candidates if c.hit is not None and c.hit.value is not None]
    above = [c for c in valued if c.place not in ("below", "anchor")]
    absolute = [c for c in above if c.hit is not None and not c.hit.relative]
    tiers: list[list[_Candidate]] = [
        [c for c in absolute if _label(c) == "published"],
        [c for c in absolute if c.place in ("date line", "byline") and _label(c) != "updated"],
        [c for c in absolute if c.place == "dateline"],
        [c for c in absolute if c.place in ("headline", "furniture") and _label(c) != "updated"],
        [c for c in absolute if _label(c) == "updated"],
        [c for c in valued if c.place == "below" and _label(c) == "published"],
        [c for c in above if c.hit is not None and c.hit.relative],
    ]
    return next((tier[0] for tier in tiers if tier), None)


def _label(candidate: _Candidate) -> str:
    return candidate.hit.label if candidate.hit is not None else ""


_PLACES = {
    "byline": "the byline's date",
    "dateline": "date in the dateline",
    "headline": "date glued to the headline",
    "furniture": "date in the page furniture above the story",
    "below": "a 'published' date line below the story",
}


def _rule(chosen: _Candidate, blocks: Sequence[Block], title: int | None) -> str:
    hit = chosen.hit
    assert hit is not None
    line = blocks[chosen.block].text
    quoted = line if len(line) <= 80 else line[:79] + "…"
    if hit.relative:
        where = "relative date counted back from the page's latest date"
    elif hit.label == "published" and chosen.place != "below":
        where = "a 'published' label above the story"
    elif hit.label == "updated":
        where = "an 'updated' date (no other date above the story)"
    elif chosen.place == "date line":
        side = "under" if title is not None and chosen.block > title else "above"
        where = f"date line {side} the headline"
    else:
        where = _PLACES[chosen.place]
    notes = [part.rstrip(")") for part in hit.pattern.split(" (")[1:]]
    return f"{where}: '{quoted}'" + "".join(f" ({note})" for note in notes)
