"""Server-rendered SVG bar charts: geometry computed here, markup in a template.

Written by hand because the charts are a few stacked bars: a plotting package would
add a dependency (and usually JavaScript or a CDN) for what is a little arithmetic.
The template (``aggregates/statistics_chart.html``) gives every chart a ``<title>`` and
``<desc>``, every bar segment a tooltip, and the page puts a data table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Distinguishable for common colour-vision deficiencies and >= 3:1 against white.
PALETTE = ("#1f5fa8", "#c2580a", "#2a7d4f", "#7a4fb5", "#a3364a", "#4d5a66")

Format = Callable[[float], str]


def count(value: float) -> str:
    return f"{int(value):,}"


def usd(value: float) -> str:
    """Short US-dollar amounts for chart labels: $660 m, $5.5 bn; "none known" for 0."""
    if not value:
        return "none known"
    if value >= 1_000_000_000:
        return f"${value / 1_000_000_000:,.1f} bn".replace(".0 bn", " bn")
    if value >= 1_000_000:
        return f"${value / 1_000_000:,.0f} m"
    return f"${value:,.0f}"


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class Bar:
    label: str
    total: str
    label_x: float
    label_y: float
    total_x: float
    total_y: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    horizontal: bool
    bars: list[Bar]
    series: list[Series]
    axis: tuple[float, float, float, float]  # x1, y1, x2, y2 of the baseline


def _series(series: Sequence[tuple[str, str]]) -> list[Series]:
    return [Series(key, label, PALETTE[i % len(PALETTE)]) for i, (key, label) in enumerate(series)]


def _description(title: str, groups: Sequence[tuple[str, str]], totals: dict[str, float], fmt: Format) -> str:
    return f"{title}: " + "; ".join(f"{label}: {fmt(totals[key])}" for key, label in groups) + "."


def stacked_chart(
    *,
    chart_id: str,
    title: str,
    groups: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, str]],
    values: Callable[[str, str], float],
    fmt: Format = count,
    horizontal: bool = False,
) -> Chart:
    """Bars for ``groups`` (key, label), each stacked from ``series`` (key, label).

    ``values(group_key, series_key)`` gives each segment. Vertical columns suit a few
    groups in order (periods, years); horizontal bars suit long labels (categories).
    """
    # Colours follow the series' order (the same direction has the same colour in every
    # chart); series with nothing in any group would only clutter the legend.
    palette = [s for s in _series(series) if any(values(g, s.key) for g, _ in groups)]
    totals = {g: sum(values(g, s.key) for s in palette) for g, _ in groups}
    peak = max(totals.values(), default=0) or 1
    bars: list[Bar] = []
    if horizontal:
        row, label_w, width, top = 30, 190, 640, 8
        plot_w = width - label_w - 110
        height = top * 2 + row * len(groups)
        for i, (key, label) in enumerate(groups):
            y = top + i * row
            bar = Bar(label, fmt(totals[key]), label_w - 8, y + row / 2 + 5, 0, y + row / 2 + 5)
            x = float(label_w)
            for s in palette:
                w = plot_w * values(key, s.key) / peak
                if w > 0:
                    bar.segments.append(
                        Segment(x, y + 5, w, row - 10, s.colour, f"{label}, {s.label}: {fmt(values(key, s.key))}")
                    )
                    x += w
            bar.total_x = x + 6
            bars.append(bar)
        axis = (label_w, top, label_w, height - top)
    else:
        width, height, top, bottom, side = 640, 280, 28, 44, 16
        plot_h = height - top - bottom
        slot = (width - 2 * side) / max(len(groups), 1)
        bar_w = min(slot * 0.6, 90)
        for i, (key, label) in enumerate(groups):
            centre = side + slot * (i + 0.5)
            y = float(height - bottom)
            bar = Bar(label, fmt(totals[key]), centre, height - bottom + 20, centre, 0)
            for s in palette:
                h = plot_h * values(key, s.key) / peak
                if h > 0:
                    y -= h
                    bar.segments.append(
                        Segment(
                            centre - bar_w / 2, y, bar_w, h, s.colour, f"{label}, {s.label}: {fmt(values(key, s.key))}"
                        )
                    )
            bar.total_y = y - 6
            bars.append(bar)
        axis = (side, height - bottom, width - side, height - bottom)
    return Chart(
        id=chart_id,
        title=title,
        description=_description(title, groups, totals, fmt),
        width=width,
        height=height,
        horizontal=horizontal,
        bars=bars,
        series=palette if len(series) > 1 else [],
        axis=axis,
    )
