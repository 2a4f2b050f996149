"""The timeline: every dated record (events, transfers, projects, figures) in one feed.

The four kinds live in four tables; the feed is read with a fixed number of queries
(a COUNT, then rows with their joins and their citations, per kind) and merged in
Python, a page at a time (``MergedTimeline``), so it stays cheap at a million rows.
"""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.db.models import Model, Q, QuerySet

from sources.selectors import citations_prefetch
from transfers.models import Project, Transfer

from .models import Actor, Analysis, Event, Figure, Period

TIMELINE_MODELS: dict[str, type[Model]] = {
    "event": Event,
    "transfer": Transfer,
    "project": Project,
    "figure": Figure,
    "analysis": Analysis,  # the report's analysis, where the report dates it
}

SEARCH_FIELDS = {
    "event": ("title", "description", "remarks"),
    "transfer": ("designation", "description", "notes", "remarks", "supplier__name", "recipient__name"),
    "project": ("name", "description", "division_of_labour", "remarks"),
    "figure": ("statement", "scope", "remarks"),
    "analysis": ("title", "claim", "remarks"),
}


def _base(kind: str) -> QuerySet:
    model = TIMELINE_MODELS[kind]
    qs = model.objects.dated().prefetch_related(citations_prefetch())
    if kind == "transfer":
        return qs.select_related("supplier", "recipient", "period")
    return qs.select_related("period")


def _actor_q(kind: str, actor: Actor) -> Q | None:
    return {
        "event": Q(actors=actor),
        "transfer": Q(supplier=actor) | Q(recipient=actor),
        "project": Q(partners=actor),
        "analysis": Q(actors=actor) | Q(made_by=actor),
    }.get(kind)


def timeline_querysets(
    *,
    types: list[str] | None = None,
    period: Period | None = None,
    year_gte: int | None = None,
    year_lte: int | None = None,
    endnote: int | None = None,
    actor: Actor | None = None,
    q: str = "",
) -> dict[str, QuerySet]:
    """One filtered queryset of dated records per kind (nothing is fetched here)."""
    querysets: dict[str, QuerySet] = {}
    for kind in types or list(TIMELINE_MODELS):
        qs = _base(kind)
        if period is not None:
            qs = qs.filter(period=period)
        if year_gte is not None:
            qs = qs.filter(date_end__gte=datetime.date(year_gte, 1, 1))
        if year_lte is not None:
            qs = qs.filter(date_start__lte=datetime.date(year_lte, 12, 31))
        if endnote is not None:
            qs = qs.filter(citations__endnote__number=endnote)
        if actor is not None:
            condition = _actor_q(kind, actor)
            if condition is None:  # figures name no actors
                continue
            qs = qs.filter(condition).distinct()
        for word in (q or "").split():
            qs = qs.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in SEARCH_FIELDS[kind])))
        querysets[kind] = qs
    return querysets


class MergedTimeline:
    """The kinds' querysets as one date-ordered sequence that pages without loading it all.

    Django's paginator asks for ``count()`` (one COUNT per kind) and one slice; a slice
    ``[a:b]`` fetches at most ``b`` rows of each kind, in the merged order restricted
    to that kind, merges and cuts them. A page therefore costs the same whatever the
    table size (deep pages cost more, in proportion to their depth).
    """

    def __init__(self, querysets: dict[str, QuerySet], *, descending: bool = False):
        self.querysets = querysets
        self.descending = descending

    def count(self) -> int:
        return sum(qs.order_by().count() for qs in self.querysets.values())

    def __len__(self) -> int:
        return self.count()

    def _ordered(self, qs: QuerySet) -> QuerySet:
        fields = ("date_start", "date_end", "slug")
        return qs.order_by(*(f"-{f}" if self.descending else f for f in fields))

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        records: list[Model] = []
        for kind, qs in self.querysets.items():
            ordered = self._ordered(qs)
            for record in ordered[:stop] if stop is not None else ordered:
                record.timeline_type = kind
                records.append(record)
        records.sort(key=lambda r: (r.date_start, r.date_end, r.timeline_type, r.slug), reverse=self.descending)
        return records[start:stop]

    def __iter__(self):
        return iter(self[0:None])
