"""A story's timeline laid out for an inline SVG: one row per outlet, its articles placed by
publication time along a shared axis. Pure (no Django): the page's template draws the result.

Horizontal positions are percentages of the drawing's width, so the same SVG fills a phone's
390 px or a desktop column while its text stays at its own size (labels sit on their own line
above each row instead of in a column beside it). Articles published within one `bucket` of
each other in one outlet share a dot labelled with their number, so 500 articles stay readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

ROW_HEIGHT = 44  # px: label line, then the row of dots
TOP = 8
AXIS_HEIGHT = 34
MARGIN = 3.0  # percent kept free at each end, so a dot at the first or last day is whole
MAX_TICKS = 6


@dataclass(frozen=True)
class Item:
    key: str
    outlet: str
    when: datetime | None  # None: undated (listed apart, not drawn)
    title: str
    url: str


@dataclass(frozen=True)
class Dot:
    x: float  # percent of the width
    y: int
    items: tuple[Item, ...]

    @property
    def label(self) -> str:
        return str(len(self.items)) if len(self.items) > 1 else ""

    @property
    def radius(self) -> int:
        return 6 if len(self.items) == 1 else min(6 + 2 * len(self.items), 13)

    @property
    def title(self) -> str:
        parts = [
            f"{item.title} ({item.when:%-d %b %Y %H:%M})" if item.when else item.title
            for item in self.items
        ]
        return "; ".join(parts)

    @property
    def url(self) -> str:
        return self.items[0].url


@dataclass(frozen=True)
class Row:
    outlet: str
    label_y: int
    line_y: int
    dots: tuple[Dot, ...]
    count: int


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str  # "start" | "middle" | "end"


@dataclass(frozen=True)
class Timeline:
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    height: int
    axis_y: int
    undated: tuple[Item, ...]
    first: datetime | None
    last: datetime | None

    @property
    def empty(self) -> bool:
        return not self.rows


def _x(when: datetime, first: datetime, span: float) -> float:
    if span <= 0:
        return 50.0
    share = (when - first).total_seconds() / span
    return round(MARGIN + share * (100 - 2 * MARGIN), 2)


def _ticks(first: datetime, last: datetime) -> tuple[Tick, ...]:
    days = (last.date() - first.date()).days
    if days == 0:
        return (Tick(x=50.0, label=f"{first:%-d %b %Y}", anchor="middle"),)
    step = max(1, -(-days // (MAX_TICKS - 1)))
    span = (last - first).total_seconds()
    start = datetime.combine(first.date(), time(12, 0), tzinfo=first.tzinfo)
    ticks = []
    current = start
    while current.date() <= last.date():
        x = _x(max(min(current, last), first), first, span)
        ticks.append(Tick(x=x, label=f"{current:%-d %b}", anchor="middle"))
        current += timedelta(days=step)
    first_tick, last_tick = ticks[0], ticks[-1]
    ticks[0] = Tick(x=first_tick.x, label=f"{first:%-d %b %Y}", anchor="start")
    if len(ticks) > 1:
        ticks[-1] = Tick(x=last_tick.x, label=last_tick.label, anchor="end")
    return tuple(ticks)


def layout(items: Sequence[Item], *, bucket_percent: float = 2.0) -> Timeline:
    """Rows by outlet (the outlet with the earliest article first), dots by time."""
    dated = [item for item in items if item.when is not None]
    undated = tuple(item for item in items if item.when is None)
    if not dated:
        return Timeline((), (), 0, 0, undated, None, None)
    first = min(item.when for item in dated if item.when)
    last = max(item.when for item in dated if item.when)
    span = (last - first).total_seconds()
    by_outlet: dict[str, list[Item]] = {}
    for item in sorted(dated, key=lambda i: (i.when, i.key)):
        by_outlet.setdefault(item.outlet, []).append(item)
    rows = []
    y = TOP
    for outlet, members in by_outlet.items():
        line_y = y + 28
        dots: list[Dot] = []
        group: list[Item] = []
        group_x = 0.0
        for item in members:
            assert item.when is not None
            x = _x(item.when, first, span)
            if group and x - group_x > bucket_percent:
                dots.append(Dot(x=group_x, y=line_y, items=tuple(group)))
                group = []
            if not group:
                group_x = x
            group.append(item)
        if group:
            dots.append(Dot(x=group_x, y=line_y, items=tuple(group)))
        rows.append(
            Row(outlet=outlet, label_y=y + 12, line_y=line_y, dots=tuple(dots), count=len(members))
        )
        y += ROW_HEIGHT
    axis_y = y + 4
    return Timeline(
        rows=tuple(rows),
        ticks=_ticks(first, last),
        height=axis_y + AXIS_HEIGHT,
        axis_y=axis_y,
        undated=undated,
        first=first,
        last=last,
    )
