"""The timeline chart's inline SVG, written from its layout (``timeline.lanes``).

Why in Python rather than a template: the chart draws up to 100 marks per record type,
each a dozen values, and the template engine's lookups and escaping for them cost more
than laying the chart out and reading its records together (cProfile of the home page at
100k records: about a quarter of an uncached page). ``tests/timeline/test_chart_markup.py``
holds this output equal to the template it replaced (kept there as the markup's
reference) for the report's charts, filtered and not, with marks left out.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from ground.markup import escape as e

from .lanes import Lane, Mark, TimelineChart


def chart_svg(chart: TimelineChart, *, filtered: bool, mark_limit: int) -> SafeString:
    """The chart's ``<figure>``: bands, year ticks, one lane per type, a caption."""
    height = str(chart.height)
    out = [
        '<figure class="lanes" aria-labelledby="lanes-caption">\n'
        '  <div class="lanes__scroll" tabindex="0" role="region" aria-label="Timeline chart, '
        f'{chart.first_year} to {chart.last_year} (scrolls sideways on small screens)">\n'
        f'  <svg class="lanes__chart" width="{chart.width}" height="{height}" '
        f'viewBox="0 0 {chart.width} {height}" role="group" aria-labelledby="lanes-title">\n'
        f'    <title id="lanes-title">The records on a time axis, {chart.first_year} to {chart.last_year}: '
        "one lane per record type, the report’s periods behind</title>\n    "
    ]
    for band in chart.bands:
        out.append(
            f'\n    <rect class="band-bg band-bg--{band.number}" x="{band.x}" y="0" width="{band.width}" '
            f'height="{height}"></rect>\n'
            # The template's |add:4 added whole numbers: int() as Django's add filter does.
            f'    <text class="lanes__band-label" x="{int(band.x) + 4}" y="13">{e(band.period.years)}</text>\n    '
        )
    out.append("\n    ")
    for year, x, anchor in chart.ticks:
        out.append(
            f'\n    <line class="lanes__grid" x1="{x}" x2="{x}" y1="18" y2="{height}"></line>\n'
            f'    <text class="lanes__tick" x="{x}" y="30" text-anchor="{e(anchor)}">{year}</text>\n    '
        )
    out.append("\n    ")
    for lane in chart.lanes:
        out.append(_lane(lane, chart.width))
    caption = f"{chart.mark_count} record{'' if chart.mark_count == 1 else 's'}"
    caption += " matching the filters" if filtered else ""
    caption += (
        f", {chart.first_year}-{chart.last_year}. Bars run from order to last delivery (transfers) or start "
        'to end (projects); dots are single dates. <span class="lanes__key-period">Dashed bars</span> are '
        "records the report places only in a period, without a year."
    )
    if chart.left_out:
        left_out = ", ".join(e(kind) for kind in chart.left_out)
        caption += f" Only the first {mark_limit} {left_out} are drawn: narrow the filters to see the rest."
    out.append(f'\n  </svg>\n  </div>\n  <figcaption id="lanes-caption">{caption}</figcaption>\n</figure>\n')
    return mark_safe("".join(out))  # noqa: S308 - every text value above is escaped


def _lane(lane: Lane, width: int) -> str:
    more = ", more not drawn" if lane.left_out else ""
    out = [
        f'\n    <g class="lane lane--{e(lane.kind)}">\n'
        f'      <line class="lane__rule" x1="0" x2="{width}" y1="{lane.y}" y2="{lane.y}"></line>\n'
        f'      <text class="lane__label" x="4" y="{lane.label_y}">'
        f"{e(lane.label)} ({len(lane.marks)}{more})</text>\n      "
    ]
    out.extend(_mark(mark) for mark in lane.marks)
    out.append("\n    </g>\n    ")
    return "".join(out)


def _mark(mark: Mark) -> str:
    title = e(mark.title)
    if mark.point:
        shape = f'<circle class="tl-mark__shape" cx="{mark.x}" cy="{mark.cy}" r="5"></circle>\n        '
    else:
        shape = (
            f'<rect class="tl-mark__shape" x="{mark.x}" y="{mark.y}" width="{mark.width}" height="12" rx="3"></rect>'
        )
    backing = (
        f'<rect class="tl-mark__backing" x="{mark.backing_x}" y="{mark.backing_y}" width="{mark.label_width}" '
        'height="14" rx="2"></rect>'
        if mark.label_inside
        else ""
    )
    return (
        f'\n      <a class="tl-mark{" tl-mark--period" if mark.period_only else ""}" href="{e(mark.href)}" '
        f'aria-label="{title}">\n'
        f"        <title>{title}</title>\n"
        f"        {shape}\n"
        f"        {backing}\n"
        f'        <text class="tl-mark__label" x="{mark.label_x}" y="{mark.label_y}" '
        f'text-anchor="{e(mark.label_anchor)}">{e(mark.label)}</text>\n'
        "      </a>\n      "
    )
