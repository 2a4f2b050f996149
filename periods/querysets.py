"""Chainable querysets of the periods app: ``Event.objects.with_joins().in_period(p).dated()``.

``DatedQuerySet`` is what every dated record type (events and figures here; transfers
and projects above) answers; the timeline, the record lists and the citing selection
build their queries from these methods only, so a filter means the same everywhere.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q

from sources.querysets import CitedRecordQuerySet


class DatedQuerySet(CitedRecordQuerySet):
    # The one chronological order (start, end, slug; undated last), shared with the
    # composite indexes every dated table has in this order.
    ordering_fields = (F("date_start").asc(nulls_last=True), F("date_end").asc(nulls_last=True), "slug")

    def dated(self) -> DatedQuerySet:
        return self.filter(date_start__isnull=False)

    def undated(self) -> DatedQuerySet:
        return self.filter(date_start__isnull=True)

    def in_period(self, period) -> DatedQuerySet:
        return self.filter(period=period)

    def overlapping_years(self, start: int | None = None, end: int | None = None) -> DatedQuerySet:
        """Records whose date interval touches [start, end] (inclusive years).

        "2011-2012" is found from 2012 and to 2011; an undated record is never in a year range.
        """
        qs = self
        if start is not None:
            qs = qs.filter(date_end__gte=datetime.date(start, 1, 1))
        if end is not None:
            qs = qs.filter(date_start__lte=datetime.date(end, 12, 31))
        return qs

    def involving(self, actor) -> DatedQuerySet:
        """Records naming ``actor``, or an organisation or person of that state.

        The default: the record type names no actors, so nothing matches.
        """
        return self.none()

    def concerning(self, system) -> DatedQuerySet:
        """Records the curators linked to ``system`` (one join on the link table's index).

        One system: each record appears once (a record links a system at most once). A
        record type that links no systems (the report's analyses) has none.
        """
        if not any(f.name == "systems" for f in self.model._meta.many_to_many):
            return self.none()
        return self.filter(systems=system)

    def chronological(self, *, descending: bool = False, undated: bool = True) -> DatedQuerySet:
        """Oldest first, or with ``descending`` the same order reversed; undated records
        last either way.

        Why each direction is spelled so: each is a walk of the composite indexes (start,
        end, slug), forwards or backwards, so a page stops after its rows. Walked
        backwards, an index gives nulls first: a dated record's end is never null (an
        open-ended EDTF interval is refused, ``ground.fuzzy_dates``), and undated records
        are asked for last only where the queryset can hold any (``undated=False``: it
        is ``dated()``). Asked for anyway, PostgreSQL sorted every row (88 of 145 ms of
        the newest-first home page at 100k transfers).
        """
        if not descending:
            return self.order_by(*self.ordering_fields)
        start = F("date_start").desc(nulls_last=True) if undated else F("date_start").desc()
        return self.order_by(start, F("date_end").desc(nulls_first=True), F("slug").desc())


class EventQuerySet(DatedQuerySet):
    search_kind = "event"

    def with_joins(self) -> EventQuerySet:
        actors = self.model._meta.get_field("actors").related_model.objects.select_related("country")
        return self.select_related("period").prefetch_related(models.Prefetch("actors", queryset=actors))

    def involving(self, actor) -> EventQuerySet:
        return self.filter(Q(actors=actor) | Q(actors__country=actor)).distinct()


class FigureQuerySet(DatedQuerySet):
    search_kind = "figure"

    def with_joins(self) -> FigureQuerySet:
        return self.select_related("period")


class AnalysisQuerySet(DatedQuerySet):
    search_kind = "analysis"

    def with_joins(self) -> AnalysisQuerySet:
        actors = self.model._meta.get_field("actors").related_model.objects.select_related("country")
        return self.select_related("period", "made_by").prefetch_related(
            models.Prefetch("made_by_others", queryset=actors), models.Prefetch("actors", queryset=actors)
        )

    def involving(self, actor) -> AnalysisQuerySet:
        """Claims ``actor`` makes or is the subject of (or an organisation or person of that state)."""
        return self.filter(
            Q(made_by=actor) | Q(made_by__country=actor) | Q(actors=actor) | Q(actors__country=actor)
        ).distinct()


class ActorQuerySet(CitedRecordQuerySet):
    search_kind = "actor"
    ordering_fields = ("name", "slug")

    def with_joins(self) -> ActorQuerySet:
        return self.select_related("country")


class PolicyOptionQuerySet(CitedRecordQuerySet):
    search_kind = "policy-option"
    ordering_fields = ("order", "slug")
