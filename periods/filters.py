"""Query-string filters for the API lists of periods, actors, events, figures, options, timeline."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import QuerySet

from sources.filters import BooleanFilter, CitedRecordFilterSet, SearchFilterSet, YearFilter

from .models import Actor, Analysis, Event, Figure, Period, PolicyOption


class DatedFilterSet(CitedRecordFilterSet):
    """``year__gte``/``year__lte``: records whose date interval touches those years; ``dated``."""

    year__gte = YearFilter(method="filter_year_gte", label="Dated in or after this year (date_end's year >= it).")
    year__lte = YearFilter(method="filter_year_lte", label="Dated in or before this year (date_start's year <= it).")
    dated = BooleanFilter(
        field_name="date_start",
        lookup_expr="isnull",
        exclude=True,
        label="true: only dated records; false: only undated ones.",
    )

    def filter_year_gte(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(date_end__gte=datetime.date(value, 1, 1))

    def filter_year_lte(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(date_start__lte=datetime.date(value, 12, 31))


def period_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name="period", to_field_name="slug", queryset=Period.objects.all(), label="The period's slug."
    )


def actor_filter(field_name: str, label: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name, to_field_name="slug", queryset=Actor.objects.all(), label=label
    )


class PeriodFilterSet(SearchFilterSet):
    search_fields = ("name", "heading", "summary")
    year = YearFilter(method="filter_year", label="Periods covering this year.")
    ordering = django_filters.OrderingFilter(fields=("order", "start_year", "slug"))

    class Meta:
        model = Period
        fields = ["q"]

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        from django.db.models import Q

        return queryset.filter(Q(start_year__lte=value), Q(end_year__isnull=True) | Q(end_year__gte=value))


class ActorFilterSet(CitedRecordFilterSet):
    search_fields = ("name", "description")
    country = actor_filter("country", "Slug of the state the actor belongs to.")
    ordering = django_filters.OrderingFilter(fields=("name", "slug", "kind"))

    class Meta:
        model = Actor
        fields = ["kind", "country", "q"]


class EventFilterSet(DatedFilterSet):
    search_fields = ("title", "description", "remarks")
    period = period_filter()
    actor = actor_filter("actors", "Events involving this actor (slug).")
    ordering = django_filters.OrderingFilter(fields=(("date_start", "date"), "slug", "title", "kind"))

    class Meta:
        model = Event
        fields = ["kind", "period", "q"]


class FigureFilterSet(DatedFilterSet):
    search_fields = ("statement", "scope", "qualifier", "remarks")
    period = period_filter()
    ordering = django_filters.OrderingFilter(fields=(("date_start", "date"), "slug", "value", "unit"))

    class Meta:
        model = Figure
        fields = ["unit", "period", "q"]


class AnalysisFilterSet(DatedFilterSet):
    search_fields = ("title", "claim", "remarks")
    period = period_filter()
    made_by = actor_filter("made_by", "Claims made by this author (actor slug); see also the_report.")
    the_report = BooleanFilter(
        field_name="made_by", lookup_expr="isnull", label="true: the report's own claims; false: quoted authors'."
    )
    actor = actor_filter("actors", "Claims about this actor (slug).")
    ordering = django_filters.OrderingFilter(fields=(("date_start", "date"), "slug", "title", "kind"))

    class Meta:
        model = Analysis
        fields = ["kind", "period", "made_by", "actor", "q"]


class PolicyOptionFilterSet(CitedRecordFilterSet):
    search_fields = ("title", "summary")
    ordering = django_filters.OrderingFilter(fields=("order", "slug", "title"))

    class Meta:
        model = PolicyOption
        fields = ["q"]


class TimelineFilterSet(DatedFilterSet):
    """Filters of the merged timeline; ``periods.timeline`` applies them to each kind."""

    type = django_filters.MultipleChoiceFilter(
        choices=[(t, t) for t in ("event", "transfer", "project", "figure", "analysis")],
        method="filter_noop",
        label="Only these kinds of record (repeat for several).",
    )
    period = period_filter()
    actor = actor_filter(
        "actors",
        "Records involving this actor (slug): events' actors, transfers' supplier or recipient, projects' partners, "
        "analyses' authors and subjects.",
    )
    ordering = django_filters.ChoiceFilter(
        choices=[("date", "date"), ("-date", "-date")], method="filter_noop", label="date (default) or -date."
    )
    search_fields = ("title", "description")
    dated = None  # the timeline holds dated records only

    class Meta:
        model = Event
        fields = ["period", "q"]

    def filter_noop(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset
