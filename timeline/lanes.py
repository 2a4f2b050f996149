"""The timeline chart: the records on a time axis, one lane per record type, as inline SVG.

A transfer is a span from its order to its last delivery (a point when one year is all
the report gives), a joint project a span, an event a point, the periods bands behind.
A record the report dates only by its period is drawn across that period, dashed, and
says so ("1992-2006 (the report gives no year)"): the first era's big purchases are
not hidden as undated. Every mark is a link to the record's page, focusable from the
keyboard, with its title; its short label sits beside it, and marks in a lane are
packed into rows so that no label covers another. Filters zoom the axis (a period, or
from/to years). The layout is plain arithmetic here; ``timeline.chart_markup`` writes
it as inline SVG, so the chart works without JavaScript.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model

from periods.models import Period

from .filters import TimelineQuery
from .record_types import RECORD_TYPES

WIDTH = 960  # CSS pixels: the SVG is drawn at this size (a phone scrolls it in its box)
PAD = 12
AXIS_TOP = 34  # band labels and year ticks above the lanes
LANE_HEADER = 22
ROW = 22
BAR = 12
CHAR_WIDTH = 6.9  # an upper estimate of a 12 px label character, for packing
LABEL_CHARS = 44


@dataclass
class Mark:
    href: str
    title: str  # what a screen reader and the tooltip say
    label: str  # the short text drawn beside it
    x: float
    x_end: float
    point: bool
    period_only: bool
    row: int = 0
    y: float = 0.0
    label_x: float = 0.0
    label_anchor: str = "start"
    label_inside: bool = False  # on its own bar (a bar across the whole axis), over a backing
    label_width: float = 0.0

    @property
    def width(self) -> float:
        return round(self.x_end - self.x, 2)

    @property
    def cy(self) -> float:
        return round(self.y + BAR / 2, 2)

    @property
    def label_y(self) -> float:
        return round(self.y + BAR - 1, 2)

    @property
    def backing_x(self) -> float:
        return round(self.label_x - 3, 2)

    @property
    def backing_y(self) -> float:
        return round(self.y - 1, 2)


@dataclass
class Lane:
    kind: str
    label: str
    y: float
    height: float
    marks: list[Mark]
    left_out: bool = False

    @property
    def label_y(self) -> float:
        return self.y + 15


@dataclass
class Band:
    period: Period
    x: float
    width: float
    number: int  # the period's place among all periods (its colour), whatever the zoom


@dataclass
class TimelineChart:
    first_year: int
    last_year: int
    lanes: list[Lane]
    bands: list[Band]
    ticks: list[tuple[int, float, str]]
    width: int = WIDTH
    height: float = 0.0
    left_out: list[str] = field(default_factory=list)

    @property
    def mark_count(self) -> int:
        return sum(len(lane.marks) for lane in self.lanes)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,:;") + "…"


def _label(record: Model, kind: str, title: str) -> str:
    """The short text beside a mark: a transfer by its system and quantity ("AL-31F (140 engines)")."""
    if kind == "transfer":
        ordered = record.quantity(record.number_ordered)
        return f"{record.designation} ({ordered})" if ordered else record.designation
    return title


def _span_dates(record: Model, kind: str) -> tuple[datetime.date, datetime.date] | None:
    """First and last day the mark covers, or None when the record has no date at all."""
    if kind == "transfer" and (record.year_ordered or record.delivery_years):
        years = [y for y in [record.year_ordered, *record.delivery_year_list] if y]
        if record.date_start:
            years.append(record.date_start.year)
        return datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)
    if record.date_start:
        return record.date_start, record.date_end or record.date_start
    return None


def _period_dates(period: Period, last_year: int) -> tuple[datetime.date, datetime.date]:
    """A period as its band draws it: periods share their boundary years (1992-2006,
    2006-2014), so a closed one runs to the start of its last year; an open one to the
    end of the last year the records reach."""
    if period.end_year and period.end_year > period.start_year:
        return datetime.date(period.start_year, 1, 1), datetime.date(period.end_year - 1, 12, 31)
    return datetime.date(period.start_year, 1, 1), datetime.date(max(period.end_year or last_year, last_year), 12, 31)


def _axis(query: TimelineQuery, periods: list[Period], spans: list[tuple[datetime.date, datetime.date]]):
    """The years the axis covers: the filters' years or period when set, else the data's."""
    data_years = [d.year for span in spans for d in span]
    last_data = max(data_years, default=datetime.date.today().year)
    if query.year_from is not None or query.year_to is not None:
        first = query.year_from if query.year_from is not None else min(data_years, default=query.year_to)
        last = query.year_to if query.year_to is not None else max(last_data, first)
        return first, last
    if query.period is not None:
        return query.period.start_year, query.period.end_year or max(last_data, query.period.start_year)
    years = data_years + [p.start_year for p in periods] + [p.end_year for p in periods if p.end_year]
    return (min(years), max(years)) if years else None


def _placed(marks, periods) -> dict[str, list[tuple[Model, datetime.date, datetime.date, bool]]]:
    """Each record with the days its mark covers and whether only its period dates it."""
    spans = {kind: [(record, _span_dates(record, kind)) for record in records] for kind, (records, _) in marks.items()}
    # An open period ("2014-present") runs to the last year the dated records reach.
    years = [d.year for rows in spans.values() for _, span in rows if span for d in span]
    last_known = max([*years, *(p.end_year or p.start_year for p in periods)], default=datetime.date.today().year)
    placed: dict[str, list[tuple[Model, datetime.date, datetime.date, bool]]] = {}
    for kind, rows in spans.items():
        placed[kind] = [
            (record, *(span or _period_dates(record.period, last_known)), span is None) for record, span in rows
        ]
    return placed


class _Axis:
    """Years to x positions on the chart's width."""

    def __init__(self, first: int, last: int):
        self.first, self.last = first, last
        self.scale = (WIDTH - 2 * PAD) / (last - first + 1)
        self.lo, self.hi = datetime.date(first, 1, 1), datetime.date(last, 12, 31)

    def year(self, year: int) -> float:
        return round(PAD + (year - self.first) * self.scale, 2)

    def day(self, day: datetime.date) -> float:
        day = min(max(day, self.lo), self.hi)
        return round(PAD + (day.year - self.first + (day.timetuple().tm_yday - 1) / 365.25) * self.scale, 2)

    def ticks(self) -> list[tuple[int, float, str]]:
        """Year labels (year, x, text-anchor); those at the edges are anchored inside the chart."""
        span = self.last - self.first
        step = 1 if span < 12 else 2 if span < 24 else 5
        ticks = []
        for y in range(self.first, self.last + 2):
            if y % step == 0:
                x = self.year(y)
                anchor = "start" if x < PAD + 20 else "end" if x > WIDTH - PAD - 20 else "middle"
                ticks.append((y, x, anchor))
        return ticks

    def bands(self, periods: list[Period]) -> list[Band]:
        bands = []
        for number, p in enumerate(periods, start=1):
            end_year = min(p.end_year, self.last + 1) if p.end_year else self.last + 1
            if p.start_year > self.last or end_year <= self.first:
                continue
            x = self.year(max(p.start_year, self.first))
            bands.append(Band(period=p, x=x, width=round(max(self.year(end_year) - x, 1), 2), number=number))
        return bands


def _mark(
    axis: _Axis, kind: str, url: Callable[..., str], record: Model, start: datetime.date, end: datetime.date,
    period_only: bool,
) -> Mark:  # fmt: skip
    title = RECORD_TYPES[kind].title(record)
    x, x_end = axis.day(start), axis.day(end + datetime.timedelta(days=1))
    point = not period_only and (kind == "event" or (end.year == start.year and kind != "project"))
    if point and kind != "event":
        x = x_end = round((x + x_end) / 2, 2)
    elif point:
        x_end = x
    label = _short(_label(record, kind, title))
    return Mark(
        href=url(slug=record.slug),
        title=f"{RECORD_TYPES[kind].label}: {title}, {record.date_display or 'the report gives no date'}",
        label=f"{label} (no year given)" if period_only else label,
        x=x,
        x_end=max(x_end, x + (0 if point else 3)),
        point=point,
        period_only=period_only,
    )


def _pack(marks: list[Mark]) -> int:
    """Put each mark in the first row where it and its label fit; returns the rows used.

    The rows' lowest end is kept: where even that row is too far right, no row fits and
    the mark opens one without looking at each. Dense selections (hundreds of marks at scale,
    labels wider than a year) put nearly every mark in a row of its own, and that look
    at every row made the packing quadratic: 4.6 ms of a chart's 11.
    """
    rows_end: list[float] = []
    lowest = math.inf
    for mark in marks:
        label_width = len(mark.label) * CHAR_WIDTH
        right = mark.x_end + (7 if mark.point else 4)
        left = mark.x - (7 if mark.point else 4)
        if right + label_width <= WIDTH - 2:
            mark.label_x, extent = right, (mark.x - 6, right + label_width)
        elif left - label_width >= 2:
            mark.label_x, mark.label_anchor, extent = left, "end", (left - label_width, mark.x_end + 6)
        else:  # a bar across the whole axis: its label sits on it
            mark.label_x, extent = mark.x + 6, (mark.x - 6, max(mark.x_end, mark.x + 6 + label_width) + 6)
            mark.label_inside, mark.label_width = True, round(label_width + 6, 2)
        if lowest + 6 <= extent[0]:  # some row fits: the first one
            mark.row = next(i for i, end_x in enumerate(rows_end) if end_x + 6 <= extent[0])
            rows_end[mark.row] = extent[1]
            lowest = min(rows_end)
        else:
            mark.row = len(rows_end)
            rows_end.append(extent[1])
            lowest = min(lowest, extent[1])
    return len(rows_end)


def timeline_chart(
    marks: dict[str, tuple[list[Model], bool]], periods: list[Period], query: TimelineQuery
) -> TimelineChart | None:
    """Lay out the chart for the records ``timeline_marks`` selected."""
    placed = _placed(marks, periods)
    years = _axis(query, periods, [(s, e) for rows in placed.values() for _, s, e, _ in rows])
    if years is None:
        return None
    axis = _Axis(*years)
    chart = TimelineChart(
        first_year=axis.first, last_year=axis.last, lanes=[], bands=axis.bands(periods), ticks=axis.ticks()
    )
    y = AXIS_TOP
    for kind, (_records, left_out) in marks.items():
        url = RECORD_TYPES[kind].page_urls()
        lane_marks = [
            _mark(axis, kind, url, record, start, end, period_only)
            for record, start, end, period_only in placed[kind]
            if end >= axis.lo and start <= axis.hi
        ]
        rows = _pack(lane_marks)
        for mark in lane_marks:
            mark.y = y + LANE_HEADER + mark.row * ROW + (ROW - BAR) / 2
        height = LANE_HEADER + max(rows, 1) * ROW + 6
        plural = RECORD_TYPES[kind].plural
        chart.lanes.append(Lane(kind=kind, label=plural, y=y, height=height, marks=lane_marks, left_out=left_out))
        if left_out:
            chart.left_out.append(plural.lower())
        y += height
    chart.height = y + 8
    return chart
