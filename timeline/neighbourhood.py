"""One record's neighbourhood: previous/next on the timeline, same period, actor and system."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from periods.models import Actor

from .entries import TimelineEntry, entry_for
from .record_types import RECORD_TYPES


@dataclass
class Neighbourhood:
    previous: TimelineEntry | None
    next: TimelineEntry | None
    same_period: list[TimelineEntry]
    same_actor: list[TimelineEntry]
    same_system: list[TimelineEntry]


def _kind_of(record) -> str | None:
    return next((slug for slug, rt in RECORD_TYPES.items() if isinstance(record, rt.model)), None)


def _neighbours(kind: str) -> QuerySet:
    """A record type's rows for neighbour lists: the joins an entry shows, no citations
    (``TimelineEntry.endnotes`` is not shown there)."""
    return RECORD_TYPES[kind].model.objects.with_joins().prefetch_related(None)


def _first_entries(querysets: dict[str, QuerySet], limit: int) -> list[TimelineEntry]:
    """The first ``limit`` entries, in timeline order, of several record types.

    Each type gives at most its own first ``limit`` rows, so the merge is exact and
    costs one small query per type (read in order from its chronological index).
    """
    entries = [entry_for(row, kind) for kind, qs in querysets.items() for row in qs.chronological()[:limit]]
    entries.sort(key=lambda e: e.sort_key)
    return entries[:limit]


def _steps_away(record, kind: str, *, after: bool) -> list[Q | None]:
    """Rows of ``kind`` after (or before) ``record`` in ``TimelineEntry.sort_key`` order,
    in three groups, nearest first: the same start and end (then type order and slug),
    the same start with a later (earlier) end, a later (earlier) start. Each group is
    one range of the chronological index; ``None`` where a group cannot hold any row.
    """
    start, end, slug = record.date_start, record.date_end, record.slug
    side = "gt" if after else "lt"
    mine, theirs = RECORD_TYPES[_kind_of(record)].order, RECORD_TYPES[kind].order
    same_end = Q(date_end=end) if end is not None else Q(date_end__isnull=True)
    if theirs == mine:
        tie = Q(date_start=start) & same_end & Q(**{f"slug__{side}": slug})
    else:
        tie = Q(date_start=start) & same_end if (theirs > mine) == after else None
    if end is None:  # an open end sorts after every known end
        other_end = None if after else Q(date_start=start, date_end__isnull=False)
    elif after:
        other_end = Q(date_start=start) & (Q(date_end__gt=end) | Q(date_end__isnull=True))
    else:
        other_end = Q(date_start=start, date_end__lt=end)
    return [tie, other_end, Q(**{f"date_start__{side}": start})]


def _adjacent(record, *, after: bool) -> TimelineEntry | None:
    """The dated entry just after (or before) ``record``: at most one LIMIT 1 query per
    record type and group, stopping at the first group that holds one."""
    if after:
        order = [F("date_start").asc(), F("date_end").asc(nulls_last=True), F("slug").asc()]
    else:
        order = [F("date_start").desc(), F("date_end").desc(nulls_first=True), F("slug").desc()]
    for group in range(3):
        found = []
        for kind in RECORD_TYPES:
            condition = _steps_away(record, kind, after=after)[group]
            if condition is None:
                continue
            row = _neighbours(kind).filter(condition).order_by(*order).first()
            if row is not None:
                found.append(entry_for(row, kind))
        if found:
            return (min if after else max)(found, key=lambda e: e.sort_key)
    return None


def neighbourhood(record, *, actors: Iterable[Actor] = (), systems: Iterable = (), limit: int = 12) -> Neighbourhood:
    """Records around ``record``: previous/next on the timeline, same period, actor, system.

    "Same actor" uses the organisations and people the record names, not the states:
    nearly every record involves Russia and China, so sharing a state says nothing.
    "Same system" follows the curated links to the record's systems (``systems``), so
    it finds the S-400's sanctions as well as its deliveries, whatever name they use.
    Every list asks each record type for its first rows only, and previous/next for
    one row per type, each read from a chronological index: a record page costs a
    bounded number of small queries at a hundred records or a million.
    """
    own_kind = _kind_of(record)

    def others(kind: str) -> QuerySet:
        qs = _neighbours(kind)
        return qs.exclude(pk=record.pk) if kind == own_kind else qs

    previous = nxt = None
    if own_kind and record.date_start is not None:
        previous, nxt = _adjacent(record, after=False), _adjacent(record, after=True)

    period_id = getattr(record, "period_id", None)
    same_period = (
        _first_entries({kind: others(kind).filter(period_id=period_id) for kind in RECORD_TYPES}, limit)
        if period_id is not None
        else []
    )

    people = [a.pk for a in actors if a.kind != Actor.Kind.STATE]
    same_actor: list[TimelineEntry] = []
    if people:
        by_actor = {
            "event": others("event").filter(actors__in=people).distinct(),
            "transfer": others("transfer").filter(Q(supplier__in=people) | Q(recipient__in=people)),
            "project": others("project").filter(partners__in=people).distinct(),
            "analysis": others("analysis").filter(Q(made_by__in=people) | Q(actors__in=people)).distinct(),
        }
        same_actor = _first_entries(by_actor, limit)

    same_system: list[TimelineEntry] = []
    system_ids = [s.pk for s in systems]
    if system_ids:
        # One system: a plain join on the link table (a record links a system once);
        # several: DISTINCT, as a record may share more than one of them. Only the
        # record types that link systems (the report's analyses do not).
        by_system = {
            kind: others(kind).filter(systems__in=system_ids)
            for kind, rt in RECORD_TYPES.items()
            if any(f.name == "systems" for f in rt.model._meta.many_to_many)
        }
        if len(system_ids) > 1:
            by_system = {kind: qs.distinct() for kind, qs in by_system.items()}
        same_system = _first_entries(by_system, limit)
    return Neighbourhood(
        previous=previous,
        next=nxt,
        same_period=same_period,
        same_actor=same_actor,
        same_system=same_system,
    )
