"""The overview chart: records per year on the whole year span, periods shaded behind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from periods.models import Period


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    x: float  # left edge of the bar
    y: float  # top edge of the bar
    width: float
    height: float
    href: str


@dataclass(frozen=True)
class Band:
    period: Period
    x: float
    width: float
    label_x: float


@dataclass
class Overview:
    """A records-per-year bar chart with the period bands behind (drawn as inline SVG)."""

    first_year: int
    last_year: int
    bars: list[YearBar]
    bands: list[Band]
    ticks: list[tuple[int, float, str]]  # year, x, text-anchor
    max_count: int
    width: int = 800
    height: int = 150
    plot_top: int = 24
    plot_bottom: int = 120

    @property
    def bar_width(self) -> float:
        return self.width / (self.last_year - self.first_year + 1)

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top


def overview(
    counts: Counter,
    periods: list[Period],
    span: tuple[int, int] | None,
    link_params: list[tuple[str, str]],
) -> Overview | None:
    """Lay out the overview chart: one bar per year of ``entries`` on the full year span.

    The axis always covers every record and period, so a filtered view keeps its place
    in the whole; each year with records links to the timeline filtered to that year.
    """
    years = [*(span or ()), *counts, *(p.start_year for p in periods)]
    years += [p.end_year for p in periods if p.end_year]
    if not years:
        return None
    first, last = min(years), max(years)
    chart = Overview(
        first_year=first, last_year=last, bars=[], bands=[], ticks=[], max_count=max(counts.values() or [0])
    )
    step = chart.bar_width
    for year in range(first, last + 1):
        n = counts.get(year, 0)
        if n:
            params = [(k, v) for k, v in link_params if k not in ("from", "to")] + [("from", year), ("to", year)]
            height = max(2.0, round(chart.plot_height * n / chart.max_count, 2))
            chart.bars.append(
                YearBar(
                    year=year,
                    count=n,
                    x=round((year - first + 0.1) * step, 2),
                    y=round(chart.plot_bottom - height, 2),
                    width=round(step * 0.8, 2),
                    height=height,
                    href="?" + urlencode(params) + "#timeline",
                )
            )
        if year % 5 == 0 or year in (first, last):
            chart.ticks.append((year, round((year - first + 0.5) * step, 2)))
    # Periods share their boundary years (1992-2006, 2006-2014): a band runs from the
    # start of its first year to the start of its last, and the open one to the end.
    for p in periods:
        start = max(p.start_year, first)
        end = p.end_year if p.end_year else last + 1
        x = round((start - first) * step, 2)
        width = round(max(end - start, 1) * step, 2)
        chart.bands.append(Band(period=p, x=x, width=width, label_x=round(x + 4, 2)))
    # Drop ticks that would collide with a neighbour (the first/last years).
    cleaned: list[tuple[int, float]] = []
    for year, x in chart.ticks:
        if cleaned and x - cleaned[-1][1] < 30:
            if year == last:
                cleaned[-1] = (year, x)
            continue
        cleaned.append((year, x))
    # The first and last labels are anchored at the chart's edges so they are not clipped.
    last_index = len(cleaned) - 1
    chart.ticks = [
        (year, 0, "start") if i == 0 else (year, chart.width, "end") if i == last_index else (year, x, "middle")
        for i, (year, x) in enumerate(cleaned)
    ]
    return chart
