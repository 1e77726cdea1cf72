"""An article's metadata: what extraction decided, what a curator set, and how pages show it.

Each piece of metadata (headline, publication date, byline, dateline, language, suggested
outlet) is stored with the rule that decided it. A curator's edit in the admin sets that rule
to "curator: set by <user>", and running extraction again (or importing changed bytes) then
leaves the piece alone: only pieces whose rule is not a curator's are read off the page again.

The publication date is three fields, as the page gives it: the day, the local time as
printed, and the zone as minutes east of UTC when the page prints one. Pages show it in one
fixed, locale-independent form ("24 January 2017, 15:30 UTC+3") inside
`<time datetime="2017-01-24T15:30+03:00">`.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf.locale import LANG_INFO

from .ingest import Extraction

if TYPE_CHECKING:
    from .models import Article

CURATOR_PREFIX = "curator:"
MAX_OFFSET = 18 * 60  # minutes; the widest zone offsets in use are ±14 h
DIRECTIONS = ("ltr", "rtl")

# Each rule field and the fields whose values it decided (the admin shows them together).
GROUPS: dict[str, tuple[str, ...]] = {
    "title_rule": ("title", "title_derived"),
    "published_rule": ("published_date", "published_time", "published_offset"),
    "byline_rule": ("byline", "authors"),
    "dateline_rule": ("dateline", "dateline_agency"),
    "language_rule": ("language", "direction"),
    "outlet_suggestion_rule": ("outlet_suggestion",),
}
FIELDS: frozenset[str] = frozenset(name for names in GROUPS.values() for name in names)
RULE_OF: dict[str, str] = {name: rule for rule, names in GROUPS.items() for name in names}

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def is_curated(rule: str) -> bool:
    """Whether a rule says a curator set the value (extraction then leaves it alone)."""
    return rule.startswith(CURATOR_PREFIX)


def curator_rule(username: str) -> str:
    return f"{CURATOR_PREFIX} set by {username}"[:300]


def published_parts(value: datetime | date | None) -> tuple[date | None, time | None, int | None]:
    """(day, local time as printed, minutes east of UTC) of what extraction found: a date
    gives the day only, a naive datetime the day and time, an aware one its offset too. An
    offset no zone has (beyond ±18 h) is dropped rather than stored."""
    if value is None:
        return None, None, None
    if not isinstance(value, datetime):
        return value, None, None
    offset = value.utcoffset()
    minutes = None if offset is None else int(offset.total_seconds() // 60)
    if minutes is not None and abs(minutes) > MAX_OFFSET:
        minutes = None
    return value.date(), value.time().replace(tzinfo=None), minutes


def _text(value: str, limit: int) -> str:
    return " ".join(value.split())[:limit]


def _authors(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(_text(n, 200) for n in names if isinstance(n, str) and n.strip()))


def extracted_values(extraction: Extraction) -> dict[str, Any]:
    """Every metadata field and rule field of Article as extraction decided it, cut to fit."""
    day, clock, offset = published_parts(extraction.published)
    return {
        "title": extraction.title[:500],
        "title_derived": extraction.title_derived,
        "title_rule": extraction.title_rule[:300],
        "published_date": day,
        "published_time": clock,
        "published_offset": offset,
        "published_rule": extraction.published_rule[:300],
        "byline": _text(extraction.byline, 500),
        "authors": _authors(extraction.authors),
        "byline_rule": extraction.byline_rule[:300],
        "dateline": extraction.dateline[:200],
        "dateline_agency": _text(extraction.dateline_agency, 100),
        "dateline_rule": getattr(extraction, "dateline_rule", "")[:300],
        "language": extraction.language[:8],
        "direction": extraction.direction if extraction.direction in DIRECTIONS else "ltr",
        "language_rule": extraction.language_rule[:300],
        "outlet_suggestion": _text(extraction.outlet_suggestion, 200),
        "outlet_suggestion_rule": extraction.outlet_suggestion_rule[:300],
    }


def metadata_apply(article: "Article", extraction: Extraction) -> list[str]:
    """Set the article's metadata from extraction, except the pieces a curator set; returns
    the names of the fields that changed (nothing is saved)."""
    values = extracted_values(extraction)
    changed = []
    for rule, names in GROUPS.items():
        if is_curated(getattr(article, rule)):
            continue
        for name in (*names, rule):
            if getattr(article, name) != values[name]:
                setattr(article, name, values[name])
                changed.append(name)
    return changed


def language_label(code: str) -> str:
    """ "Ukrainian (uk)" for a language code Django knows, else the code itself."""
    info = LANG_INFO.get(code.lower()) if code else None
    if info is None or "name" not in info:
        return code
    return f"{info['name']} ({code})"


# --- Showing the publication date ------------------------------------------------------------


def _zone(offset: int) -> str:
    """UTC, UTC+3, UTC-5, UTC+5:30."""
    if offset == 0:
        return "UTC"
    sign = "+" if offset > 0 else "-"
    hours, minutes = divmod(abs(offset), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def publication_label(day: date | None, clock: time | None, offset: int | None) -> str:
    """ "24 January 2017", "24 January 2017, 15:30" or "24 January 2017, 15:30 UTC+3";
    the same in every locale. Empty when there is no day."""
    if day is None:
        return ""
    label = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if clock is not None:
        label += f", {clock.hour:02d}:{clock.minute:02d}"
        if offset is not None:
            label += f" {_zone(offset)}"
    return label


def publication_iso(day: date | None, clock: time | None, offset: int | None) -> str:
    """The value of `<time datetime>`: a date, a local date and time, or a global one."""
    if day is None:
        return ""
    if clock is None:
        return day.isoformat()
    text = f"{day.isoformat()}T{clock.hour:02d}:{clock.minute:02d}"
    if clock.second:
        text += f":{clock.second:02d}"
    if offset is not None:
        sign = "+" if offset >= 0 else "-"
        text += f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    return text


def publication_instant(
    day: date | None, clock: time | None, offset: int | None
) -> datetime | None:
    """When it was published, for ordering coverage in time: the UTC instant when the page
    gives a zone; otherwise the local time (or the start of the day) read as UTC, the best
    guess there is. None when there is no day."""
    if day is None:
        return None
    moment = datetime.combine(day, clock or time(0), tzinfo=UTC)
    try:
        return moment - timedelta(minutes=offset or 0)
    except OverflowError:  # within a day of the first or last day there is
        return moment


def chronological[T: "Article"](articles: Iterable[T]) -> list[T]:
    """The articles in order of publication where known, earliest first; those with no date
    after them, in the order given (the sort is stable)."""
    far = datetime.max.replace(tzinfo=UTC)

    def key(article: "Article") -> tuple[bool, datetime]:
        instant = publication_instant(
            article.published_date, article.published_time, article.published_offset
        )
        return instant is None, instant or far

    return sorted(articles, key=key)
