"""The merged timeline: one selector for the home page, the API, every export and citing.

``timeline_querysets(query)`` applies a ``TimelineQuery`` to each record type with the
types' own queryset methods; ``MergedTimeline`` reads them as one chronological
sequence a page at a time (a COUNT per type, the page's keys in one query, then the
page's rows of each type), so a page costs a fixed number of queries at any table size.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import heapq
from collections import Counter
from collections.abc import Iterator

from django.db import connections
from django.db.models import Count, Max, Min, Model, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.functions import ExtractYear

from ground.fragment_cache import per_data_version
from ground.statements import int_markers, join_paths, read_joined, row_builder, text_markers, with_related
from periods.models import Period
from periods.year_groups import YearGroup, selects
from periods.year_groups import year_groups as groups_of

from .filters import TimelineQuery
from .record_types import RECORD_TYPES
from .unions import serial, union_all


def timeline_querysets(query: TimelineQuery, *, joins: bool = True, citations: bool = True) -> dict[str, QuerySet]:
    """One filtered queryset per record type the query can match (nothing is fetched here);
    with ``joins``, the related rows an entry shows, and with ``citations`` too, its
    citations as instances (``entries_for`` reads them as keys instead)."""
    querysets: dict[str, QuerySet] = {}
    for kind in query.kinds:
        qs = RECORD_TYPES[kind].model.objects.all()
        if joins:
            # The joins a timeline entry shows, not the many-to-many lists a record page does.
            qs = qs.with_joins().prefetch_related(None)
            qs = qs.with_citations() if citations else qs
        if not query.undated:
            qs = qs.dated()
        if query.period is not None:
            qs = qs.in_period(query.period)
        if query.category:
            qs = qs.of_category(query.category)
        if query.direction:
            qs = qs.in_direction(query.direction)
        qs = qs.overlapping_years(query.year_from, query.year_to)
        if query.actor is not None:
            qs = qs.involving(query.actor)
        if query.system is not None:
            qs = qs.concerning(query.system)
        if query.endnote is not None:
            qs = qs.citing(query.endnote)
        querysets[kind] = qs.matching(query.q)
    return querysets


def _sort_key(record: Model) -> tuple:
    """The merged order: start, end (undated and open ends last), type, slug."""
    far = datetime.date.max
    return (record.date_start or far, record.date_end or far, RECORD_TYPES[record.timeline_type].order, record.slug)


@functools.total_ordering
class _Reversed:
    """A value that sorts the other way round (dates and slugs cannot be negated)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other) -> bool:
        return self.value == other.value

    def __lt__(self, other) -> bool:
        return other.value < self.value


def _sort_key_descending(record: Model) -> tuple:
    """The newest first: ``_sort_key`` reversed, but undated records still last, as each
    type's ``chronological(descending=True)`` reads them."""
    start = record.date_start
    return (
        start is None,
        _Reversed(start),
        _Reversed(record.date_end or datetime.date.max),
        -RECORD_TYPES[record.timeline_type].order,
        _Reversed(record.slug),
    )


class MergedTimeline:
    """The types' querysets as one chronological sequence that pages without loading it all.

    Django's and DRF's paginators ask for ``count()`` (one COUNT per type) and one slice.
    A slice of one record type is that type's own ``LIMIT``/``OFFSET``; a slice of
    several is located by the database first (``_keyed_slice``), then only its rows are
    read whole.
    """

    #: From this row on, a slice of several types is located by the database. 0: every
    #: slice is; the tests raise it to compare with the merge in Python (``_merged``).
    DEEP_FROM = 0

    def __init__(self, querysets: dict[str, QuerySet], *, descending: bool = False, query: TimelineQuery | None = None):
        self.querysets = querysets
        self.query = query
        self.descending = descending
        self._key = _sort_key_descending if descending else _sort_key

    def count(self) -> int:
        """How many records: when the query is known, from its ``spans()``; otherwise a
        COUNT per type."""
        if not hasattr(self, "_count"):
            self._count = self._count_rows() if self.query is None else self.spans().count
        return self._count

    def spans(self) -> Spans:
        """The selection grouped by years (``selection_spans``), read once per instance:
        the home page counts and draws its overview from the same."""
        if not hasattr(self, "_spans"):
            self._spans = selection_spans(self.query, self.querysets)
        return self._spans

    def _count_rows(self) -> int:
        return sum(qs.order_by().count() for qs in self.querysets.values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if stop is None:
            return self._merged(start, stop)
        if len(self.querysets) == 1:
            ((kind, qs),) = self.querysets.items()
            skipped, after = self._page_year(start)
            if after is None:
                return []
            ordered = self._ordered(qs.filter(after))
            return self._tagged(kind, ordered[start - skipped : stop - skipped])
        if start >= self.DEEP_FROM:
            return self._keyed_slice(start, stop)
        return self._merged(start, stop)

    def _ordered(self, qs: QuerySet) -> QuerySet:
        """``qs`` in the timeline's order (``chronological``), told whether it can hold
        undated records, so that newest first is an index walk too."""
        return qs.chronological(descending=self.descending, undated=self._holds_undated)

    @property
    def _holds_undated(self) -> bool:
        """Whether the querysets can hold undated records (``timeline_querysets`` reads
        only dated ones unless the query asks for them)."""
        return self.query is None or self.query.undated

    def _page_year(self, start: int) -> tuple[int, Q | None]:
        """The year row ``start`` starts in, as how many of the selection's records start
        in years before it and the condition that reads from that year on (None: the
        selection ends before ``start``).

        Why: a deep page read every key before it (page 500 of the home page, 100,000
        keys of each type at a million records), and a year filter bounds only the end
        (``from=2020`` is ``date_end >= 2020-01-01``), so even page 1 walked the start
        index from the first record: 2.9 s for naval transfers from 2020 at a million,
        all 4,001 of which start in 2020. The selection's records per first year are
        known (``spans()``, which the page's count reads), so a page reads from its own
        year and skips only within it.

        Nothing is bounded where the selection lists undated records (they sort last in
        either direction, and ``OR date_start IS NULL`` is no index range), nor on page 1
        of a selection nobody counted, which would group the whole selection to save
        nothing (a period page's first entries).
        """
        if self.query is None or self.query.undated or (start == 0 and not hasattr(self, "_spans")):
            return 0, Q()
        per_year: Counter = Counter()
        for first, _, n in self.spans().dated:
            per_year[first] += n
        skipped = 0
        for year in sorted(per_year, reverse=self.descending):
            if skipped + per_year[year] > start:
                if self.descending:
                    return skipped, Q(date_start__lte=datetime.date(year, 12, 31))
                return skipped, Q(date_start__gte=datetime.date(year, 1, 1))
            skipped += per_year[year]
        return skipped, None

    @staticmethod
    def _tagged(kind: str, records: QuerySet) -> list[Model]:
        records = read_joined(records)
        for record in records:
            record.timeline_type = kind
        return records

    def _merged(self, start: int, stop: int | None) -> list[Model]:
        """The first ``stop`` rows of every type, whole, merged and cut in Python."""
        records: list[Model] = []
        for kind, qs in self.querysets.items():
            ordered = self._ordered(qs)
            records += self._tagged(kind, ordered[:stop] if stop is not None else ordered)
        records.sort(key=self._key)
        return records[start:stop]

    def _keyed_slice(self, start: int, stop: int) -> list[Model]:
        """Rows ``[start:stop]`` of several types, located by their sort keys first.

        Merging in Python needs ``stop`` whole rows of every type with their citations
        (the home page's first page of four types read 800 rows to show 200; page 500 at
        a million records, 100,000 rows of each type, 22 s and 700 MB). Here the
        database merges the types' sort keys alone: each type's keys from the page's first
        year on (``_page_year``), as many as reach the page's end, read in its own
        order from its index, in one ``UNION ALL`` of narrow rows, in the merged order of
        ``self._key``; it skips to the page, then each type's rows on the page are read
        whole. Django's ORM cannot order a union of different tables by shared columns,
        hence the SQL around its own subqueries.
        """
        skipped, after = self._page_year(start)
        if after is None:
            return []
        start, stop = start - skipped, stop - skipped
        union = union_all(
            self._ordered(qs.filter(after))
            .annotate(timeline_order=Value(RECORD_TYPES[kind].order))
            .values_list("date_start", "date_end", "timeline_order", "slug")[:stop]
            for kind, qs in self.querysets.items()
        )
        if union is None:
            return []
        merged, params = union
        # Each part's own order (``_ordered``), nulls placed alike, with the type between
        # end and slug: PostgreSQL then merges the parts as their indexes give them
        # (Merge Append) and sorts only runs of equal dates, reading no further than
        # the page. Nulls placed otherwise than the parts', it sorted every part's rows:
        # 240 ms for newest-first page 300 at a million records, 39 ms merged.
        order = "DESC" if self.descending else "ASC"
        if not self.descending:
            start_nulls = end_nulls = "NULLS LAST"
        else:
            start_nulls, end_nulls = "NULLS LAST" if self._holds_undated else "NULLS FIRST", "NULLS FIRST"
        sql = (
            f"SELECT timeline_order, slug FROM ({merged}) merged "  # noqa: S608
            f"ORDER BY date_start {order} {start_nulls}, date_end {order} {end_nulls}, "
            f"timeline_order {order}, slug {order} LIMIT %s OFFSET %s"
        )
        connection = connections[next(iter(self.querysets.values())).db]
        params = [*params, stop - start, start]

        def located() -> list[tuple[int, str]]:
            with connection.cursor() as cursor:
                cursor.execute(serial(sql, connection.vendor), params)
                return [(position, slug) for position, slug in cursor.fetchall()]

        # The located keys, once per data version and slice (the statement and its
        # parameters name it): a system page walks every type's date index, checking
        # each record's link to the system, until a page of the system's records is
        # found (45 ms of a 65 ms system page at a million records, where a system has
        # about 2% of them); its rows and citations are still read for every request.
        keys = per_data_version("timeline-slice", located, key=(connection.alias, sql, params))
        records, complete = self._read_keyed(keys)
        if not complete:  # a record gone since its keys were kept (a write racing this read)
            records, _ = self._read_keyed(located())  # a second race drops it rather than failing
        return records

    def _read_keyed(self, keys: list[tuple[int, str]]) -> tuple[list[Model], bool]:
        """The records ``keys`` name that are still selected, in their order, and whether
        that is all of them."""
        kinds = list(RECORD_TYPES)
        wanted: dict[str, list[str]] = {}
        for position, slug in keys:
            wanted.setdefault(kinds[position], []).append(slug)
        found = {}
        for kind, slugs in wanted.items():
            for record in self._tagged(kind, self.querysets[kind].filter(slug__in=slugs)):
                found[kind, record.slug] = record
        records = [found[kinds[position], slug] for position, slug in keys if (kinds[position], slug) in found]
        return records, len(records) == len(keys)

    def records(self) -> list[Model]:
        """Every selected record, in order, in one list (small selections only)."""
        return self[0:None]

    def iterator(self, chunk_size: int) -> Iterator[Model]:
        """Every selected record in order, read through one server-side cursor per type.

        For exports of the whole selection: memory holds one chunk per type, whatever
        the total. Each type is read in its chronological order, which is the merged
        order restricted to that type, so merging the streams gives the order of ``self[a:b]``.
        """

        def tagged(kind: str, qs: QuerySet) -> Iterator[Model]:
            for record in self._ordered(qs).iterator(chunk_size=chunk_size):
                record.timeline_type = kind
                yield record

        streams = [tagged(kind, qs) for kind, qs in self.querysets.items()]
        return heapq.merge(*streams, key=self._key)


def timeline(query: TimelineQuery, *, citations: bool = True) -> MergedTimeline:
    """The records ``query`` selects, in timeline order, ready to page or export; without
    ``citations`` for pages, which read them as keys (``entries.entries_for``)."""
    querysets = timeline_querysets(query, citations=citations)
    return MergedTimeline(querysets, descending=query.descending, query=query)


@dataclasses.dataclass(frozen=True)
class Spans:
    """A selection's records grouped by the years they span: what its count and the
    overview's bars both read, from one query."""

    #: (first year, last year or None for an open end, records), dated records only.
    dated: tuple[tuple[int, int | None, int], ...]
    #: The selection's records without a date (it lists them only with ``undated``).
    undated: int

    @property
    def count(self) -> int:
        return sum(n for _, _, n in self.dated) + self.undated

    def year_counts(self, year_from: int | None, year_to: int | None) -> Counter:
        """Dated records per year they touch (the year filters' meaning), for the overview.

        Each span is spread over its years, clipped to the year filters, so "2014-2018"
        counts in each of those years and a bar's count is what its link (``from=Y&to=Y``) lists.
        """
        counts: Counter = Counter()
        for first, last, n in self.dated:
            lo = max(first, year_from or first)
            hi = min(last or first, year_to or (last or first))
            for year in range(lo, hi + 1):
                counts[year] += n
        return counts


def selection_spans(query: TimelineQuery, querysets: dict[str, QuerySet]) -> Spans:
    """The records ``query`` selects (``querysets``, its ``timeline_querysets``: a search's
    matches are not read from the index again), grouped by (first year, last year), once
    per data version and query: every page of a selection, and the API's, share it.

    A selection by the columns every record's year groups carry (type, period, category,
    direction, years) is read from those groups (``year_groups``), not from its rows."""
    if query.q or query.actor is not None or query.system is not None or query.endnote is not None:
        compute = functools.partial(_selection_spans, querysets)
    else:
        compute = functools.partial(_spans_from_year_groups, query)
    return per_data_version("timeline-spans", compute, key=query.params())


def year_groups(kind: str) -> tuple[YearGroup, ...]:
    """Every record of ``kind`` grouped by the columns the timeline's filters compare
    (``periods.year_groups``), once per data version."""
    return groups_of(RECORD_TYPES[kind].model)


def _spans_from_year_groups(query: TimelineQuery) -> Spans:
    """``_selection_spans`` of a selection by period, category, direction and years, from
    the year groups: the same conditions at a year's grain (``overlapping_years`` compares
    whole years; an open end or no date is outside any year range)."""
    dated: Counter = Counter()
    undated = 0
    filters = {
        "period_id": query.period.pk if query.period is not None else None,
        "category": query.category,
        "direction": query.direction,
        "year_from": query.year_from,
        "year_to": query.year_to,
        "dated": None if query.undated else True,
    }
    for kind in query.kinds:
        for group in year_groups(kind):
            if not selects(group, **filters):
                continue
            *_, first, last, n = group
            if first is None:
                undated += n
            else:
                dated[first, last] += n
    return Spans(dated=tuple((first, last, n) for (first, last), n in dated.items()), undated=undated)


def _selection_spans(querysets: dict[str, QuerySet]) -> Spans:
    """One GROUP BY per type: a COUNT and the overview's year groups were two scans of
    the same rows (16 and 19 ms of a filtered home page at 100k transfers); the few
    distinct spans carry both."""
    dated: list[tuple[int, int | None, int]] = []
    undated = 0
    for qs in querysets.values():
        spans = (
            qs.order_by().select_related(None).prefetch_related(None)
            .values(first=ExtractYear("date_start"), last=ExtractYear("date_end"))
            # A filter through a many-valued relation (actors, citations) makes the
            # queryset distinct; only then can a record repeat, and COUNT(DISTINCT)
            # sorts every matching row (45 ms of 68 for one period at 100k transfers).
            # Otherwise COUNT(*): naming no column outside the filter indexes lets
            # PostgreSQL answer from the index alone (transfers.models.Transfer.Meta).
            .annotate(n=Count("pk", distinct=True) if qs.query.distinct else Count("*"))
            .values_list("first", "last", "n")
        )  # fmt: skip
        for first, last, n in spans:
            if first is None:
                undated += n
            else:
                dated.append((first, last, n))
    return Spans(dated=tuple(dated), undated=undated)


def undated_count(query: TimelineQuery) -> int:
    """How many records the query would add with ``undated`` (0 under a year range),
    once per data version and query."""
    return per_data_version("undated-count", lambda: _undated_count(query), key=query.params())


def _undated_count(query: TimelineQuery) -> int:
    if query.undated or query.year_from is not None or query.year_to is not None:
        return 0
    with_undated = dataclasses.replace(query, undated=True)
    return sum(qs.order_by().undated().count() for qs in timeline_querysets(with_undated, joins=False).values())


def year_span() -> tuple[int, int] | None:
    """First and last year any dated record starts in, once per data version (every
    timeline page draws its overview over the same span, whatever the filters)."""
    return per_data_version("year-span", _year_span, pinned=True)


def _year_span() -> tuple[int, int] | None:
    """One aggregate query per type."""
    years = []
    for record_type in RECORD_TYPES.values():
        agg = record_type.model.objects.aggregate(lo=Min("date_start"), hi=Max("date_start"))
        years += [d.year for d in agg.values() if d]
    return (min(years), max(years)) if years else None


# The chart draws at most this many marks per record type; past that (synthetic data at
# scale) it says it left some out and the filters narrow it. The report's busiest lanes
# have 38 (its events, its figures). Dense marks take a row each: at 400 a transfer lane
# was 8,870 px tall and 176 KB of SVG, a 30-39 ms layout for each new filter at 100k
# records; at 100, 2,270 px, 47 KB, 8-10 ms.
MARK_LIMIT = 100


#: What every mark reads: its dates (as printed and as bounds), address and period.
MARK_FIELDS = (
    "slug", "period", "date_text", "date_edtf", "date_start", "date_end", "date_precision", "date_approximate",
)  # fmt: skip


def timeline_marks(
    query: TimelineQuery, periods: list[Period], *, limit: int = MARK_LIMIT, spans: Spans | None = None
) -> dict[str, tuple[list[Model], bool]]:
    """The records the timeline chart draws: the query's records plus those the report
    dates only by their period (drawn across it), per type, each with its period
    (one of ``periods``, every period there is).

    One query per type (``limit + 1`` rows, to know whether some were left out), of the
    fields a mark shows alone (``RecordType.chart_fields``): reading 401 whole transfers
    with their periods joined was 30 of the 45 ms a filtered chart took at 100k records.
    The instances are loaded without ``Model.__init__`` (``ground.statements.row_builder``).
    The chart draws no more than ``limit`` of each. Returns type -> (records, whether
    some were left out). ``spans``: the selection's, where the caller has read them.
    """
    by_id = {period.pk: period for period in periods}
    with_period_dated = dataclasses.replace(query, undated=True)
    querysets = timeline_querysets(with_period_dated, joins=False)
    first_year = None
    if query.year_from is not None:  # else no year bound to lift, and no spans to read
        first_year = _first_year(spans or selection_spans(query, timeline_querysets(query, joins=False)))
    marks: dict[str, tuple[list[Model], bool]] = {}
    for kind, qs in querysets.items():
        drawable = qs.filter(Q(date_start__isnull=False) | Q(period__isnull=False))
        if first_year is not None:
            drawable = drawable.filter(date_start__gte=datetime.date(first_year, 1, 1))
        model = drawable.model
        attnames = [model._meta.get_field(name).attname for name in (*MARK_FIELDS, *RECORD_TYPES[kind].chart_fields)]
        values = drawable.chronological().values_list(*attnames)[: limit + 1]
        build = row_builder(model, drawable.db, attnames)
        rows = [build(row) for row in values]
        for record in rows:
            record.timeline_type = kind
            record.period = by_id.get(record.period_id)
        marks[kind] = (rows[:limit], len(rows) > limit)
    return marks


def _first_year(spans: Spans) -> int | None:
    """The first year a record of a selection starts in, where a ``from`` year bounds
    only the records' ends (``overlapping_years``) and so leaves a read in start order
    to walk every earlier record: the chart's 401 marks of transfers from 2011, 450 ms at
    a million. The selection's spans say it, and under a year filter no undated record
    is in the selection."""
    return min((first for first, _, _ in spans.dated), default=None)


def record_systems(record: Model) -> list[Model]:
    """``record.systems.all()`` (the weapon systems a record page lists), or [] for a type
    that links none, read by a prepared statement: PostgreSQL took 1.1 ms to plan the join
    and 0.25 ms to run it (``EXPLAIN ANALYZE`` at 100k records), a tenth of the page."""
    model = type(record)
    field = next((f for f in model._meta.many_to_many if f.name == "systems"), None)
    if field is None:
        return []
    system, reverse = field.related_model, field.related_query_name()
    return with_related(
        ("record-systems", model),
        system,
        [],
        lambda markers: system._default_manager.filter(**{reverse: markers[0]}),
        int_markers(1),
        [record.pk],
    )


def record_by_slug(model: type[Model], slug: str) -> Model | None:
    """One record for its page, with what ``model.objects.with_joins()`` joins and
    prefetches, or None: read by a prepared statement (``ground.statements.with_related``),
    since planning the joined query cost seven times running it."""
    joined = model._default_manager.with_joins()
    select_related = joined.query.select_related
    rows = with_related(
        ("record-by-slug", model),
        model,
        join_paths(select_related) if isinstance(select_related, dict) else [],
        lambda markers: model._default_manager.filter(slug=markers[0]),
        text_markers(1),
        [slug],
    )
    if rows and joined._prefetch_related_lookups:
        prefetch_related_objects(rows, *joined._prefetch_related_lookups)
    return rows[0] if rows else None
