"""Query-string filters for the API lists of periods, actors, events, figures, analyses and policy options."""

from __future__ import annotations

import functools
from collections.abc import Callable

import django_filters
from django.db.models import Q, QuerySet

from ground.filtersets import FewRowsChoiceFilter
from ground.stable_ordering import StableOrderingFilter
from sources.filters import BooleanFilter, CitedRecordFilterSet, SearchFilterSet, SlugChoiceFilter, YearFilter
from systems.models import System

from .models import Actor, Analysis, Event, Figure, Period, PolicyOption
from .year_groups import grouped_count


class DatedFilterSet(CitedRecordFilterSet):
    """``from``/``to``: records whose date span touches those years; ``dated``; ``actor``.

    The same meanings as the timeline's filters (``timeline.filters``), from the same
    queryset methods: a record list and the timeline answer a filter alike.
    """

    dated = BooleanFilter(
        field_name="date_start",
        lookup_expr="isnull",
        exclude=True,
        label="true: only dated records; false: only undated ones.",
    )

    #: The filters whose counts the year groups hold (``periods.year_groups``), each with
    #: the ``selects`` keyword it is; ``ordering`` changes no count.
    GROUPED = {
        "period": "period_id",
        "category": "category",
        "direction": "direction",
        "from": "year_from",
        "to": "year_to",
        "dated": "dated",
    }

    def grouped_count(self) -> Callable[[], int] | None:
        """This filtering's count, read from the year groups (``grouped_count``), where
        every filter asked is one they hold; else None, and the list counts its rows.

        Why: a list's first count over a broad filter read every matching index entry
        (``direction=ru-cn`` at a million transfers: 800,000 entries, 0.3-2 s), once per
        filter and data version; the groups are read once per data version for all.
        Needs ``asked_only`` (the form then holds only the asked fields).
        """
        asked = set(self.form.fields) - {"ordering"}
        if not asked <= self.GROUPED.keys() or self.queryset.query.has_filters() or not self.is_valid():
            return None
        filters = {}
        for name in asked:
            value = self.form.cleaned_data.get(name)
            if value is not None and value != "":
                filters[self.GROUPED[name]] = value.pk if name == "period" else value
        return functools.partial(grouped_count, self.queryset.model, **filters)

    def filter_from(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.overlapping_years(start=value)

    def filter_to(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.overlapping_years(end=value)

    def filter_actor(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.involving(value)

    def filter_system(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.concerning(value)


def year_filters(filterset: type[DatedFilterSet]) -> type[DatedFilterSet]:
    """Add ``from`` and ``to`` (Python keywords, so added by name) to a dated FilterSet."""
    for name, label in (("from", "Records whose dates touch this year or later."), ("to", "... or earlier.")):
        year = YearFilter(method=f"filter_{name}", label=label)
        filterset.declared_filters[name] = year
        filterset.base_filters[name] = year
    return filterset


def actor_involved_filter() -> django_filters.ModelChoiceFilter:
    return SlugChoiceFilter(
        queryset=Actor.objects.all(),
        method="filter_actor",
        label="Records naming this actor (slug), or for a state also its organisations and people.",
    )


def system_filter() -> django_filters.ModelChoiceFilter:
    return SlugChoiceFilter(
        queryset=System.objects.all(),
        method="filter_system",
        label="Records concerning this weapon system (slug, e.g. s-400), as on the timeline.",
    )


def period_filter() -> django_filters.ModelChoiceFilter:
    return FewRowsChoiceFilter(
        field_name="period", to_field_name="slug", queryset=Period.objects.all(), label="The period's slug."
    )


def actor_filter(field_name: str, label: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name, to_field_name="slug", queryset=Actor.objects.all(), label=label
    )


class PeriodFilterSet(SearchFilterSet):
    search_kind = "period"
    year = YearFilter(method="filter_year", label="Periods covering this year.")
    ordering = StableOrderingFilter(fields=("order", "start_year", "slug"))

    class Meta:
        model = Period
        fields = ["q"]

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(Q(start_year__lte=value), Q(end_year__isnull=True) | Q(end_year__gte=value))


class ActorFilterSet(CitedRecordFilterSet):
    country = actor_filter("country", "Slug of the state the actor belongs to.")
    ordering = StableOrderingFilter(fields=("name", "slug", "kind"))

    class Meta:
        model = Actor
        fields = ["kind", "country", "q"]


@year_filters
class EventFilterSet(DatedFilterSet):
    period = period_filter()
    actor = actor_involved_filter()
    system = system_filter()
    ordering = StableOrderingFilter(fields=(("date_start", "date"), "slug", "title", "kind"))

    class Meta:
        model = Event
        fields = ["kind", "period", "q"]


@year_filters
class FigureFilterSet(DatedFilterSet):
    period = period_filter()
    system = system_filter()
    ordering = StableOrderingFilter(fields=(("date_start", "date"), "slug", "value", "unit"))

    class Meta:
        model = Figure
        fields = ["unit", "period", "q"]


@year_filters
class AnalysisFilterSet(DatedFilterSet):
    period = period_filter()
    made_by = actor_filter("made_by", "Claims made by this author (actor slug); see also the_report.")
    the_report = BooleanFilter(
        field_name="made_by", lookup_expr="isnull", label="true: the report's own claims; false: quoted authors'."
    )
    actor = actor_involved_filter()
    ordering = StableOrderingFilter(fields=(("date_start", "date"), "slug", "title", "kind"))

    class Meta:
        model = Analysis
        fields = ["kind", "period", "made_by", "actor", "q"]


class PolicyOptionFilterSet(CitedRecordFilterSet):
    ordering = StableOrderingFilter(fields=("order", "slug", "title"))

    class Meta:
        model = PolicyOption
        fields = ["q"]
