"""``?ordering=`` that pages without repeating or skipping rows.

django-filter's ``OrderingFilter`` replaces a list's order with the fields asked for, so
``?ordering=designation`` orders by designation alone. Rows that tie (a thousand deals
for one designation) then come back in whatever order the database finds them, which
may differ between the queries of page 2 and page 3: a reader paging through sees some
rows twice and others never. Here the list's own default order follows the asked-for
fields as tie-breakers (the primary key last, when nothing unique is in it yet), in the
direction of the first field, so every ordering is total and each ``(field, date, slug)``
order can be read off an index instead of sorting every matching row.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django_filters.constants import EMPTY_VALUES


def total_ordering(ordering: list[str], queryset: QuerySet) -> list[str]:
    """``ordering`` followed by the queryset's default order (and ``pk``) as tie-breakers."""
    model = queryset.model
    default = [f for f in (queryset.query.order_by or model._meta.ordering) if isinstance(f, str)]
    descending = ordering[0].startswith("-")
    named = {f.lstrip("-") for f in ordering}
    tail = [f.lstrip("-") for f in default if f.lstrip("-") not in named]
    result = ordering + [f"-{f}" if descending else f for f in tail]
    if not any(_is_unique(model, f.lstrip("-")) for f in result):
        result.append("-pk" if descending else "pk")
    return result


def _is_unique(model: type[Model], name: str) -> bool:
    if name in ("pk", "id"):
        return True
    try:
        return model._meta.get_field(name).unique
    except FieldDoesNotExist:  # a lookup through a relation (document__slug): not unique here
        return False


class StableOrderingFilter(django_filters.OrderingFilter):
    def filter(self, qs: QuerySet, value) -> QuerySet:
        ordering = [self.get_ordering_value(param) for param in value or () if param not in EMPTY_VALUES]
        if not ordering:  # nothing asked for (?ordering=, is a list of empty names): the list's own order
            return qs
        return qs.order_by(*total_ordering(ordering, qs))
