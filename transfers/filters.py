"""Query-string filters for the API lists of transfers and projects."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from periods.filters import DatedFilterSet, actor_filter, period_filter
from periods.models import Actor
from sources.filters import IntegerFilter, YearFilter

from .models import Project, Transfer
from .serializers import MAX_USD


class TransferFilterSet(DatedFilterSet):
    search_fields = ("designation", "description", "notes", "remarks", "supplier__name", "recipient__name")
    period = period_filter()
    supplier = actor_filter("supplier", "The supplier's slug (e.g. russia).")
    recipient = actor_filter("recipient", "The recipient's slug (e.g. china).")
    actor = django_filters.ModelChoiceFilter(
        field_name="supplier",
        to_field_name="slug",
        queryset=Actor.objects.all(),
        method="filter_actor",
        label="Transfers where this actor (slug) is supplier or recipient.",
    )
    year_ordered = YearFilter(field_name="year_ordered")
    year_ordered__gte = YearFilter(field_name="year_ordered", lookup_expr="gte")
    year_ordered__lte = YearFilter(field_name="year_ordered", lookup_expr="lte")
    value_usd__gte = IntegerFilter(field_name="value_usd", lookup_expr="gte", max_value=MAX_USD)
    value_usd__lte = IntegerFilter(field_name="value_usd", lookup_expr="lte", max_value=MAX_USD)
    ordering = django_filters.OrderingFilter(
        fields=(("date_start", "date"), "year_ordered", "value_usd", "designation", "slug", "category", "status")
    )

    class Meta:
        model = Transfer
        fields = ["category", "direction", "status", "q"]

    def filter_actor(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(supplier=value) | Q(recipient=value))


class ProjectFilterSet(DatedFilterSet):
    search_fields = ("name", "description", "division_of_labour", "remarks")
    period = period_filter()
    actor = actor_filter("partners", "Projects with this partner (slug).")
    ordering = django_filters.OrderingFilter(fields=(("date_start", "date"), "name", "slug", "value_usd", "status"))

    class Meta:
        model = Project
        fields = ["status", "q"]
