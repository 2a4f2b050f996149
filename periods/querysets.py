"""Chainable querysets shared by dated records: ``Event.objects.in_period(p).dated()``."""

from __future__ import annotations

import datetime

from django.db import models


class DatedQuerySet(models.QuerySet):
    def dated(self) -> DatedQuerySet:
        return self.filter(date_start__isnull=False)

    def in_period(self, period) -> DatedQuerySet:
        return self.filter(period=period)

    def overlapping_years(self, start: int | None = None, end: int | None = None) -> DatedQuerySet:
        """Records whose date interval touches [start, end] (inclusive years)."""
        qs = self
        if start is not None:
            qs = qs.filter(date_end__gte=datetime.date(start, 1, 1))
        if end is not None:
            qs = qs.filter(date_start__lte=datetime.date(end, 12, 31))
        return qs

    def with_citations(self) -> DatedQuerySet:
        from sources.selectors import citations_prefetch  # sources imports this module's app

        return self.prefetch_related(citations_prefetch())

    def chronological(self) -> DatedQuerySet:
        return self.order_by(models.F("date_start").asc(nulls_last=True), "slug")
