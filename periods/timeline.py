"""The timeline: every dated record (events, transfers, projects, figures) in one feed.

The four kinds live in four tables; the feed is read with a fixed number of queries
(two per kind: rows with their joins, then their citations) and merged in Python,
which is cheap at the knowledge base's size (hundreds of dated records).
"""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.db.models import Model, Prefetch, Q, QuerySet

from sources.models import Citation
from transfers.models import Project, Transfer

from .models import Actor, Event, Figure, Period

TIMELINE_MODELS: dict[str, type[Model]] = {"event": Event, "transfer": Transfer, "project": Project, "figure": Figure}

SEARCH_FIELDS = {
    "event": ("title", "description", "remarks"),
    "transfer": ("designation", "description", "notes", "remarks", "supplier__name", "recipient__name"),
    "project": ("name", "description", "division_of_labour", "remarks"),
    "figure": ("statement", "scope", "remarks"),
}


def _base(kind: str) -> QuerySet:
    citations = Prefetch("citations", queryset=Citation.objects.select_related("endnote__document"))
    model = TIMELINE_MODELS[kind]
    qs = model.objects.dated().prefetch_related(citations)
    if kind == "transfer":
        return qs.select_related("supplier", "recipient", "period")
    return qs.select_related("period")


def _actor_q(kind: str, actor: Actor) -> Q | None:
    return {
        "event": Q(actors=actor),
        "transfer": Q(supplier=actor) | Q(recipient=actor),
        "project": Q(partners=actor),
    }.get(kind)


def timeline_records(
    *,
    types: list[str] | None = None,
    period: Period | None = None,
    year_gte: int | None = None,
    year_lte: int | None = None,
    endnote: int | None = None,
    actor: Actor | None = None,
    q: str = "",
    descending: bool = False,
) -> list[Model]:
    """Dated records matching every given filter, in date order; each has ``timeline_type``."""
    records: list[Model] = []
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
        for record in qs:
            record.timeline_type = kind
            records.append(record)
    records.sort(key=lambda r: (r.date_start, r.date_end, r.timeline_type, r.slug), reverse=descending)
    return records
