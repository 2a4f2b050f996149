"""Query-string filters for the API lists of transfers and projects."""

from __future__ import annotations

from ground.stable_ordering import StableOrderingFilter
from periods.filters import (
    DatedFilterSet,
    actor_filter,
    actor_involved_filter,
    period_filter,
    system_filter,
    year_filters,
)
from sources.filters import IntegerFilter, YearFilter

from .models import Project, Transfer
from .serializers import MAX_USD


@year_filters
class TransferFilterSet(DatedFilterSet):
    period = period_filter()
    supplier = actor_filter("supplier", "The supplier's slug (e.g. russia).")
    recipient = actor_filter("recipient", "The recipient's slug (e.g. china).")
    actor = actor_involved_filter()
    system = system_filter()
    year_ordered = YearFilter(field_name="year_ordered")
    year_ordered__gte = YearFilter(field_name="year_ordered", lookup_expr="gte")
    year_ordered__lte = YearFilter(field_name="year_ordered", lookup_expr="lte")
    value_usd__gte = IntegerFilter(field_name="value_usd", lookup_expr="gte", max_value=MAX_USD)
    value_usd__lte = IntegerFilter(field_name="value_usd", lookup_expr="lte", max_value=MAX_USD)
    ordering = StableOrderingFilter(
        fields=(("date_start", "date"), "year_ordered", "value_usd", "designation", "slug", "category", "status")
    )

    class Meta:
        model = Transfer
        fields = ["category", "direction", "status", "q"]


@year_filters
class ProjectFilterSet(DatedFilterSet):
    period = period_filter()
    actor = actor_involved_filter()
    system = system_filter()
    ordering = StableOrderingFilter(fields=(("date_start", "date"), "name", "slug", "value_usd", "status"))

    class Meta:
        model = Project
        fields = ["status", "q"]
