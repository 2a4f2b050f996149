"""Template filters for the statistics page."""

from django import template

from aggregates.charts import usd as usd_short

register = template.Library()


@register.filter
def usd(value) -> str:
    """A US-dollar sum, short: $660 m, $5.5 bn; an em dash for nothing known."""
    return usd_short(value) if value else "—"  # a table cell: a dash reads better than "none known"
