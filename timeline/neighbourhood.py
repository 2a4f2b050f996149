"""One record's neighbourhood: previous/next on the timeline, same period, actor and system."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Value
from django.utils.safestring import SafeString

from ground import fragment_cache
from ground.statements import date_markers, instances, int_markers, prepared, text_markers
from periods.models import Actor, Period

from .entries import TimelineEntry, entry_for
from .record_types import RECORD_TYPES
from .unions import union_all


@dataclass(frozen=True)
class Related:
    """A record as a group list shows it: its key and its list item (``related_html``).

    What a group list keeps per data version, rather than the entries: a small value to
    store and read back, with no model instances to unpickle on every record page."""

    kind: str
    pk: int
    html: SafeString

    @classmethod
    def of(cls, entry: TimelineEntry) -> Related:
        return cls(entry.kind, entry.record.pk, entry.related_html)


@dataclass
class Neighbourhood:
    previous: TimelineEntry | None
    next: TimelineEntry | None
    same_period: list[Related]
    same_actor: list[Related]
    same_system: list[Related]


def _kind_of(record) -> str | None:
    return next((slug for slug, rt in RECORD_TYPES.items() if isinstance(record, rt.model)), None)


def _neighbours(kind: str) -> QuerySet:
    """A record type's rows, for the parts of a neighbourhood's keys statement."""
    return RECORD_TYPES[kind].model.objects.all()


def _steps_away(place: _Place, kind: str, *, after: bool) -> list[Q | None]:
    """Rows of ``kind`` after (or before) the record at ``place`` in ``TimelineEntry.sort_key``
    order, in groups, nearest first: the same start and end (then type order and slug), the
    same start with a later (earlier) end (a later one: a known end, then an open one),
    a later (earlier) start. Each group is one range of the chronological index (a
    year-precise start is shared by a twelfth of a million transfers, so a group that
    bounded only the start read them all); ``None`` where a group cannot hold any row.
    """
    start, end, slug = place.start, place.end, place.slug
    side = "gt" if after else "lt"
    mine, theirs = RECORD_TYPES[place.shape.own_kind].order, RECORD_TYPES[kind].order
    same_end = Q(date_end__isnull=True) if place.shape.open_end else Q(date_end=end)
    if theirs == mine:
        tie = Q(date_start=start) & same_end & Q(**{f"slug__{side}": slug})
    else:
        tie = Q(date_start=start) & same_end if (theirs > mine) == after else None
    if place.shape.open_end:  # an open end sorts after every known end
        other_ends = [None if after else Q(date_start=start, date_end__isnull=False)]
    elif after:  # two ranges: OR-ed, the index would bound the start only
        other_ends = [Q(date_start=start, date_end__gt=end), Q(date_start=start, date_end__isnull=True)]
    else:
        other_ends = [Q(date_start=start, date_end__lt=end)]
    return [tie, *other_ends, Q(**{f"date_start__{side}": start})]


def _adjacent_parts(place: _Place, *, after: bool) -> list[tuple[str, QuerySet]]:
    """Each record type's nearest dated rows after (or before) ``place``: one LIMIT 1 per
    group of ``_steps_away``, each group one range of the chronological index (the nearest
    of them all is the neighbour).

    One part per group, not the groups OR-ed into one condition: OR-ed, the index bounds
    only the start, and PostgreSQL filtered every row sharing the record's start before the
    first match (2,055 rows for a month's transfers at 100k records, ten times that at 1M).
    """
    if after:
        order = [F("date_start").asc(), F("date_end").asc(nulls_last=True), F("slug").asc()]
    else:
        order = [F("date_start").desc(), F("date_end").desc(nulls_first=True), F("slug").desc()]
    return [
        (kind, _neighbours(kind).filter(group).order_by(*order)[:1])
        for kind in RECORD_TYPES
        for group in _steps_away(place, kind, after=after)
        if group is not None
    ]


def _semi_join(kind: str, condition: Q) -> Q:
    """Rows of ``kind`` with at least one related row matching ``condition``, each once
    (a semi-join: a DISTINCT would forbid ordering by columns not selected)."""
    return Q(pk__in=RECORD_TYPES[kind].model.objects.filter(condition).values("pk"))


@dataclass(frozen=True)
class _Shape:
    """What a neighbourhood's SQL depends on: records of one shape share one statement."""

    own_kind: str | None
    dated: bool
    open_end: bool
    period: bool
    people: int
    systems: int
    limit: int


@dataclass(frozen=True)
class _Place:
    """Where a record stands: the values its neighbourhood's statement is run with (or,
    once per shape, the statement's markers)."""

    shape: _Shape
    start: datetime.date | None
    end: datetime.date | None
    slug: str
    period_id: int | None
    people: tuple[int, ...]
    systems: tuple[int, ...]

    def values(self) -> list:
        return [self.start, self.end, self.slug, self.period_id, *self.people, *self.systems]

    @classmethod
    def markers(cls, shape: _Shape) -> _Place:
        dates, ints = date_markers(2), int_markers(1 + shape.people + shape.systems)
        people, systems = ints[1 : 1 + shape.people], ints[1 + shape.people :]
        return cls(shape, *dates, text_markers(1)[0], ints[0], tuple(people), tuple(systems))


def _parts(place: _Place) -> dict[str, list[tuple[str, QuerySet]]]:
    """Each list's parts: per record type, its first rows of the list (see ``neighbourhood``).

    The group lists (same period, actor, system) are read whole, the record itself
    included, one row longer than shown: the same rows serve every record of the group,
    each dropping itself (``neighbourhood``), so they are cached per group and data version.
    """
    shape = place.shape

    def first(querysets: dict[str, QuerySet]) -> list[tuple[str, QuerySet]]:
        return [(kind, qs.chronological()[: shape.limit + 1]) for kind, qs in querysets.items()]

    parts: dict[str, list[tuple[str, QuerySet]]] = {}
    if shape.dated:
        parts["previous"] = _adjacent_parts(place, after=False)
        parts["next"] = _adjacent_parts(place, after=True)
    if shape.period:
        in_period = {kind: _neighbours(kind).filter(period_id=place.period_id) for kind in RECORD_TYPES}
        parts["same_period"] = first(in_period)
    if shape.people:
        people = list(place.people)
        parts["same_actor"] = first(
            {
                "event": _neighbours("event").filter(_semi_join("event", Q(actors__in=people))),
                "transfer": _neighbours("transfer").filter(Q(supplier__in=people) | Q(recipient__in=people)),
                "project": _neighbours("project").filter(_semi_join("project", Q(partners__in=people))),
                "analysis": _neighbours("analysis").filter(
                    _semi_join("analysis", Q(made_by__in=people) | Q(actors__in=people))
                ),
            }
        )
    if shape.systems:
        # Only the record types that link systems (the report's analyses do not); a
        # record sharing several of them is listed once.
        systems = list(place.systems)
        parts["same_system"] = first(
            {
                kind: _neighbours(kind).filter(_semi_join(kind, Q(systems__in=systems)))
                for kind, rt in RECORD_TYPES.items()
                if any(f.name == "systems" for f in rt.model._meta.many_to_many)
            }
        )
    return parts


def _keys_statement(place: _Place) -> tuple[str, list] | None:
    """The ``UNION ALL`` of every part's sort keys, each row labelled with its list and type."""
    return union_all(
        qs.annotate(neighbour_branch=Value(f"{name}:{kind}")).values_list(
            "neighbour_branch", "pk", "date_start", "date_end", "slug"
        )
        for name, kind_parts in _parts(place).items()
        for kind, qs in kind_parts
    )


def _read(place: _Place, keep: dict[str, slice]) -> dict[str, list[TimelineEntry]]:
    """Every list's entries, in timeline order, in two steps whatever the number of lists.

    One statement reads the sort keys of every part (a ``UNION ALL`` of each part's first
    rows, from its chronological index), compiled once per shape (``ground.statements``:
    building and compiling its forty-odd parts was two thirds of a record page); the lists
    are merged and cut (``keep``) on those keys, and only the rows shown are then read
    whole, one query per record type.
    """
    marked = _Place.markers(place.shape)
    statement = prepared(
        ("neighbourhood", place.shape),
        RECORD_TYPES["transfer"].model,
        lambda _: _keys_statement(marked),
        marked.values(),
    )
    rows = statement.tuples(place.values()) if statement is not None else []
    listed: dict[str, list[tuple]] = {name: [] for name in keep}
    for branch, pk, start, end, slug in rows:
        name, kind = branch.split(":")
        listed[name].append(
            (start or datetime.date.max, end or datetime.date.max, RECORD_TYPES[kind].order, slug, kind, pk)
        )
    wanted: dict[str, set[int]] = {}
    for name, keys in listed.items():
        keys.sort()
        listed[name] = keys[keep[name]]
        for *_, kind, pk in listed[name]:
            wanted.setdefault(kind, set()).add(pk)
    rows = {kind: instances(RECORD_TYPES[kind].model, sorted(pks)) for kind, pks in wanted.items()}
    # Their periods in one more query (a record dated only by its period shows it).
    period_ids = sorted({row.period_id for kind_rows in rows.values() for row in kind_rows if row.period_id})
    periods = {period.pk: period for period in instances(Period, period_ids)}
    entries = {}
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            if row.period_id:
                row.period = periods[row.period_id]
            entries[kind, row.pk] = entry_for(row, kind)
    return {name: [entries[kind, pk] for *_, kind, pk in keys] for name, keys in listed.items()}


def neighbourhood(record, *, actors: Iterable[Actor] = (), systems: Iterable = (), limit: int = 12) -> Neighbourhood:
    """Records around ``record``: previous/next on the timeline, same period, actor, system.

    "Same actor" uses the organisations and people the record names, not the states:
    nearly every record involves Russia and China, so sharing a state says nothing.
    "Same system" follows the curated links to the record's systems (``systems``), so
    it finds the S-400's sanctions as well as its deliveries, whatever name they use.
    Every group list asks each record type for its first ``limit + 1`` rows, the record
    itself included (so merging them and dropping it is exact), and previous/next for one
    row per type; their keys are read in one statement, then the rows shown in one query
    per type: a record page costs the same few queries at a hundred records or a million.
    A group's list is kept per data version (``fragment_cache``), so the next record of
    the same period, actors or systems reads only its previous and next.
    """
    own_kind = _kind_of(record)
    me = (own_kind, record.pk)
    dated = own_kind is not None and record.date_start is not None
    period_id = getattr(record, "period_id", None)
    groups = {
        "same_period": period_id,
        "same_actor": tuple(sorted(a.pk for a in actors if a.kind != Actor.Kind.STATE)),
        "same_system": tuple(sorted(s.pk for s in systems)),
    }
    # A group's list is the same for all its records (each drops itself): cached per
    # group and data version, so most record pages read only their previous and next.
    cached = {name: fragment_cache.lookup(f"neighbours-{name}", (key, limit)) for name, key in groups.items() if key}
    wanted = {name: key for name, key in groups.items() if key and cached[name] is fragment_cache.MISSING}
    shape = _Shape(
        own_kind=own_kind if dated else None,
        dated=dated,
        open_end=dated and record.date_end is None,
        period="same_period" in wanted,
        people=len(wanted.get("same_actor", ())),
        systems=len(wanted.get("same_system", ())),
        limit=limit,
    )
    place = _Place(
        shape,
        start=record.date_start if dated else None,
        end=record.date_end if dated else None,
        slug=record.slug,
        period_id=period_id if shape.period else None,
        people=wanted.get("same_actor", ()),
        systems=wanted.get("same_system", ()),
    )
    # Merged on their sort keys: the nearest before is the last, the nearest after the first.
    keep = {"previous": slice(-1, None), "next": slice(0, 1)} if dated else {}
    keep.update({name: slice(0, limit + 1) for name in wanted})
    found = _read(place, keep) if keep else {}
    for name, key in wanted.items():
        cached[name] = [Related.of(entry) for entry in found[name]]
        fragment_cache.store(f"neighbours-{name}", cached[name], (key, limit))

    def shown(name: str) -> list[Related]:
        listed = cached.get(name, fragment_cache.MISSING)
        if listed is fragment_cache.MISSING:
            return []
        return [r for r in listed if (r.kind, r.pk) != me][:limit]

    previous, nxt = found.get("previous"), found.get("next")
    return Neighbourhood(
        previous=previous[-1] if previous else None,
        next=nxt[0] if nxt else None,
        same_period=shown("same_period"),
        same_actor=shown("same_actor"),
        same_system=shown("same_system"),
    )
