"""Every record of a dated type counted by the columns its filters compare: the period,
category, direction and the years it spans, once per data version.

Why: at a million transfers, a broad filter's count or year bars read hundreds of
thousands of index entries (a filtered list's first count, 0.3-1.6 s; 61 ms a filtered
home page on average), while the groups of every record are a few thousand rows from
which each filter by these columns takes its own in Python. One GROUP BY over the table
(about half a second at a million) when the data changes, shared through the fragment
cache by the timeline (``timeline.selectors``) and the API lists' counts.
"""

from __future__ import annotations

import functools

from django.db.models import Count, F, Model, Value
from django.db.models.functions import ExtractYear

from ground.fragment_cache import per_data_version

#: (period id, category, direction, first year, last year, records); "" where the type
#: has no such column, None years where it has no date.
YearGroup = tuple[int | None, str, str, int | None, int | None, int]


def year_groups(model: type[Model]) -> tuple[YearGroup, ...]:
    """Every record of ``model`` grouped, read once per data version."""
    return per_data_version(
        "year-groups", functools.partial(_year_groups, model), key=model._meta.label_lower, pinned=True
    )


def _year_groups(model: type[Model]) -> tuple[YearGroup, ...]:
    columns = {field.name for field in model._meta.concrete_fields}
    labels = {name: F(name) if name in columns else Value("") for name in ("category", "direction")}
    rows = (
        model.objects.order_by()
        .values(group_period=F("period_id"), **{f"group_{name}": value for name, value in labels.items()})
        .annotate(first=ExtractYear("date_start"), last=ExtractYear("date_end"))
        .values("group_period", "group_category", "group_direction", "first", "last")
        .annotate(n=Count("*"))
        .values_list("group_period", "group_category", "group_direction", "first", "last", "n")
    )
    return tuple(rows)


def selects(
    group: YearGroup,
    *,
    period_id: int | None = None,
    category: str = "",
    direction: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    dated: bool | None = None,
) -> bool:
    """Whether a group's records pass these filters, as their querysets filter rows:
    ``overlapping_years`` compares whole years (an end of 2011-03 is in "from 2011"), so
    a year's grain decides it exactly; an open end or no date is outside any year range.
    """
    period, group_category, group_direction, first, last, _ = group
    return not (
        (period_id is not None and period != period_id)
        or (category and group_category != category)
        or (direction and group_direction != direction)
        or (dated is not None and (first is not None) != dated)
        or (year_from is not None and (last is None or last < year_from))
        or (year_to is not None and (first is None or first > year_to))
    )


def grouped_count(model: type[Model], **filters) -> int:
    """How many records of ``model`` the filters (``selects``) select, undated ones
    included unless a filter leaves them out: a list's ``COUNT(*)``, read from the groups."""
    return sum(group[-1] for group in year_groups(model) if selects(group, **filters))
