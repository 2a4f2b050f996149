"""Reads for the timeline: querysets with the joins their pages need, and the timeline itself.

Every page reads a fixed number of queries whatever the number of records: lists are
fetched with ``select_related``/``Prefetch`` and combined in Python, never one query
per row (tests assert it with ``django_assert_num_queries`` at two data sizes).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, F, Q, QuerySet, Sum

from sources.selectors import citations_prefetch
from transfers.models import Project, Transfer

from .models import Actor, Analysis, Event, Figure, Period, PolicyOption

# -- plain querysets ------------------------------------------------------------------


def period_list() -> QuerySet[Period]:
    return Period.objects.all()


def event_list() -> QuerySet[Event]:
    return Event.objects.select_related("period").prefetch_related("actors").with_citations()


def figure_list() -> QuerySet[Figure]:
    return Figure.objects.select_related("period").with_citations()


def actor_list() -> QuerySet[Actor]:
    return Actor.objects.select_related("country").prefetch_related(citations_prefetch())


def analysis_list() -> QuerySet[Analysis]:
    return Analysis.objects.select_related("period", "made_by").prefetch_related("made_by_others", "actors")


def policy_option_list() -> QuerySet[PolicyOption]:
    return PolicyOption.objects.prefetch_related(citations_prefetch())


# -- periods with their computed counts ------------------------------------------------


def _counts_by_period(queryset: QuerySet, **aggregates) -> dict[int, dict]:
    """``aggregates`` of ``queryset`` per period id: one pass over the table."""
    rows = queryset.order_by().values("period").annotate(**aggregates)
    return {row.pop("period"): row for row in rows}


def period_summaries() -> list[Period]:
    """Periods with the counts and values computed from their records.

    These are the application's own counts of its records, kept apart from the report's
    figures. One grouped query per record table (conditional counts in one pass), not
    a correlated subquery per period and count: at a million transfers the subqueries
    scanned each period's rows eleven times, 4.3 s against 0.3 s.
    """
    dated = Q(date_start__isnull=False)
    per_table = {
        Event: {"n_events": Count("pk"), "n_events_dated": Count("pk", filter=dated)},
        Transfer: {
            "n_transfers": Count("pk"),
            "n_transfers_dated": Count("pk", filter=dated),
            "n_transfers_ru_cn": Count("pk", filter=Q(direction=Transfer.Direction.RU_CN)),
            "n_transfers_cn_ru": Count("pk", filter=Q(direction=Transfer.Direction.CN_RU)),
            "n_transfers_valued": Count("pk", filter=Q(value_usd__isnull=False)),
            "transfers_value_usd": Sum("value_usd"),
        },
        Project: {"n_projects": Count("pk"), "n_projects_dated": Count("pk", filter=dated)},
        Figure: {"n_figures": Count("pk")},
    }
    zero = {name: 0 for aggregates in per_table.values() for name in aggregates}
    counted = [_counts_by_period(model.objects.all(), **aggregates) for model, aggregates in per_table.items()]
    periods = list(Period.objects.all())
    for period in periods:
        values = dict(zero)
        for counts in counted:
            values.update({k: v for k, v in counts.get(period.pk, {}).items() if v is not None})
        for name, value in values.items():
            setattr(period, name, value)
    return periods


def figures_by_period() -> dict[int | None, list[Figure]]:
    """The report's figures grouped by period id (``None``: figures outside the periods)."""
    grouped: dict[int | None, list[Figure]] = defaultdict(list)
    for figure in Figure.objects.prefetch_related(citations_prefetch()):
        grouped[figure.period_id].append(figure)
    return grouped


def transfer_categories(period: Period) -> list[dict]:
    """Transfers of ``period`` counted by category, largest first."""
    labels = dict(Transfer.Category.choices)
    rows = Transfer.objects.filter(period=period).values("category").annotate(n=Count("pk")).order_by("-n", "category")
    return [{"category": r["category"], "label": labels.get(r["category"], r["category"]), "n": r["n"]} for r in rows]


def event_kinds(period: Period) -> list[dict]:
    """Events of ``period`` counted by kind, largest first."""
    labels = dict(Event.Kind.choices)
    rows = Event.objects.filter(period=period).values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    return [{"kind": r["kind"], "label": labels.get(r["kind"], r["kind"]), "n": r["n"]} for r in rows]


# -- the timeline ----------------------------------------------------------------------

KIND_LABELS = {"event": "Event", "transfer": "Arms transfer", "project": "Joint project", "analysis": "Analysis"}
KIND_ORDER = {"event": 0, "transfer": 1, "project": 2, "analysis": 3}


@dataclass(frozen=True)
class TimelineFilters:
    """Validated timeline filters; empty values mean "no filter"."""

    period: Period | None = None
    kind: str = ""
    category: str = ""
    direction: str = ""
    year_from: int | None = None
    year_to: int | None = None
    actor: Actor | None = None
    undated: bool = False

    @property
    def kinds(self) -> tuple[str, ...]:
        """The record types these filters can match.

        Category and direction describe arms transfers only, so either one narrows the
        timeline to transfers rather than silently keeping undirected events.
        """
        kinds = ("transfer",) if (self.category or self.direction) else tuple(KIND_LABELS)
        return tuple(k for k in kinds if not self.kind or k == self.kind)

    def params(self) -> dict[str, str]:
        """The filters as query-string parameters (only those set), in form order."""
        values = {
            "period": self.period.slug if self.period else "",
            "type": self.kind,
            "category": self.category,
            "direction": self.direction,
            "from": "" if self.year_from is None else str(self.year_from),
            "to": "" if self.year_to is None else str(self.year_to),
            "actor": self.actor.slug if self.actor else "",
            "undated": "1" if self.undated else "",
        }
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        """Whether any filter narrows the records (showing undated ones is not a filter)."""
        return bool({k for k in self.params() if k != "undated"})


@dataclass(frozen=True)
class EndnoteRef:
    number: int
    url: str
    pinpoint: str = ""


@dataclass
class TimelineEntry:
    """One dated or undated record of the timeline, whatever its model."""

    kind: str
    record: Event | Transfer | Project | Analysis
    subtype: str
    title: str
    summary: str
    direction: str = ""
    direction_label: str = ""

    @cached_property
    def endnotes(self) -> list[EndnoteRef]:
        """The endnotes the record cites; read only where shown, so entries listed
        without them (a record page's neighbours) need no citation query."""
        return [
            EndnoteRef(c.endnote.number, c.endnote.get_absolute_url(), c.pinpoint)
            for c in self.record.ordered_citations
        ]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def url(self) -> str:
        return self.record.get_absolute_url()

    @property
    def slug(self) -> str:
        return self.record.slug

    @property
    def date_text(self) -> str:
        return self.record.date_display

    @property
    def date_start(self) -> datetime.date | None:
        return self.record.date_start

    @property
    def year(self) -> int | None:
        return self.record.date_start.year if self.record.date_start else None

    @property
    def period_id(self) -> int:
        return self.record.period_id

    @property
    def sort_key(self) -> tuple:
        start = self.record.date_start or datetime.date.max
        end = self.record.date_end or datetime.date.max
        return (start, end, KIND_ORDER[self.kind], self.record.slug)


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _event_entry(event: Event) -> TimelineEntry:
    return TimelineEntry(
        kind="event",
        record=event,
        subtype=event.get_kind_display(),
        title=event.title,
        summary=_one_line(event.description),
    )


def _transfer_entry(transfer: Transfer) -> TimelineEntry:
    return TimelineEntry(
        kind="transfer",
        record=transfer,
        subtype=transfer.get_category_display(),
        title=f"{transfer.designation}: {transfer.description}",
        summary=_one_line(transfer.notes),
        direction=transfer.direction,
        direction_label=transfer.get_direction_display() if transfer.direction != Transfer.Direction.OTHER else "",
    )


def _project_entry(project: Project) -> TimelineEntry:
    return TimelineEntry(
        kind="project",
        record=project,
        subtype=project.get_status_display(),
        title=project.name,
        summary=_one_line(project.description),
        direction="joint",
        direction_label="Joint",
    )


def _analysis_entry(analysis: Analysis) -> TimelineEntry:
    return TimelineEntry(
        kind="analysis",
        record=analysis,
        subtype=analysis.get_kind_display(),
        title=analysis.title,
        summary=_one_line(analysis.claim),
    )


def _year_bounds(qs: QuerySet, filters: TimelineFilters) -> QuerySet:
    """A record belongs to the year its date starts in ("2011-2012" counts in 2011)."""
    if filters.year_from is not None:
        qs = qs.filter(date_start__gte=datetime.date(filters.year_from, 1, 1))
    if filters.year_to is not None:
        qs = qs.filter(date_start__lte=datetime.date(filters.year_to, 12, 31))
    return qs


def timeline_events(filters: TimelineFilters) -> QuerySet[Event]:
    qs = Event.objects.select_related("period").prefetch_related(citations_prefetch())
    if filters.period:
        qs = qs.filter(period=filters.period)
    if filters.actor:
        qs = qs.filter(Q(actors=filters.actor) | Q(actors__country=filters.actor)).distinct()
    return _year_bounds(qs, filters)


def timeline_transfers(filters: TimelineFilters) -> QuerySet[Transfer]:
    qs = Transfer.objects.select_related("period", "supplier", "recipient").prefetch_related(citations_prefetch())
    if filters.period:
        qs = qs.filter(period=filters.period)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    if filters.actor:
        a = filters.actor
        qs = qs.filter(Q(supplier=a) | Q(recipient=a) | Q(supplier__country=a) | Q(recipient__country=a))
    return _year_bounds(qs, filters)


def timeline_projects(filters: TimelineFilters) -> QuerySet[Project]:
    qs = Project.objects.select_related("period").prefetch_related(citations_prefetch())
    if filters.period:
        qs = qs.filter(period=filters.period)
    if filters.actor:
        qs = qs.filter(Q(partners=filters.actor) | Q(partners__country=filters.actor)).distinct()
    return _year_bounds(qs, filters)


def timeline_analyses(filters: TimelineFilters) -> QuerySet[Analysis]:
    """The report's analysis where it names the actor as author or subject."""
    qs = Analysis.objects.select_related("period").prefetch_related(citations_prefetch())
    if filters.period:
        qs = qs.filter(period=filters.period)
    if filters.actor:
        a = filters.actor
        qs = qs.filter(Q(made_by=a) | Q(actors=a) | Q(made_by__country=a) | Q(actors__country=a)).distinct()
    return _year_bounds(qs, filters)


TIMELINE_PAGE_SIZE = 200
# Record type -> (filtered queryset, timeline entry builder): one table for the page,
# its counts and its per-year overview.
TIMELINE_KINDS = {
    "event": (timeline_events, _event_entry),
    "transfer": (timeline_transfers, _transfer_entry),
    "project": (timeline_projects, _project_entry),
    "analysis": (timeline_analyses, _analysis_entry),
}


def _chronological(qs: QuerySet) -> QuerySet:
    """The order of ``TimelineEntry.sort_key`` within one record type."""
    return qs.order_by(F("date_start").asc(nulls_last=True), F("date_end").asc(nulls_last=True), "slug")


def timeline(
    filters: TimelineFilters | None = None, *, dated: bool = True, limit: int | None = None
) -> list[TimelineEntry]:
    """Events, transfers, projects and analyses matching ``filters``, in one chronological list.

    Two queries per record type (rows, then citations with their endnotes); types the
    filters exclude are not queried at all. With ``limit``, only the first ``limit``
    entries: each type contributes at most its own first ``limit`` rows (its order is
    the merged order restricted to it), so a page costs the same at any table size.
    """
    filters = filters or TimelineFilters()
    entries: list[TimelineEntry] = []
    for kind in filters.kinds:
        select, build = TIMELINE_KINDS[kind]
        qs = select(filters)
        if dated:
            qs = qs.dated()
        if limit is not None:
            qs = _chronological(qs)[:limit]
        entries.extend(build(record) for record in qs)
    entries.sort(key=lambda e: e.sort_key)
    return entries[:limit] if limit is not None else entries


def timeline_counts(filters: TimelineFilters) -> tuple[int, int]:
    """How many matching records are dated and undated: one COUNT per type and kind."""
    dated = undated = 0
    for kind in filters.kinds:
        qs = TIMELINE_KINDS[kind][0](filters).order_by()
        dated += qs.filter(date_start__isnull=False).count()
        if filters.year_from is None and filters.year_to is None:
            undated += qs.filter(date_start__isnull=True).count()
    return dated, undated


def year_counts(filters: TimelineFilters) -> Counter:
    """Dated records per start year, counted by the database (for the overview chart)."""
    from django.db.models.functions import ExtractYear

    counts: Counter = Counter()
    for kind in filters.kinds:
        rows = (
            TIMELINE_KINDS[kind][0](filters).order_by().dated().annotate(y=ExtractYear("date_start"))
            .values("y").annotate(n=Count("pk")).values_list("y", "n")
        )  # fmt: skip
        for year, n in rows:
            counts[year] += n
    return counts


@dataclass
class PeriodGroup:
    period: Period
    entries: list[TimelineEntry]


def _band_of(entry: TimelineEntry, periods: list[Period]) -> int:
    """The period band a timeline entry is drawn in: the era its date starts in.

    A record's ``period`` is the report section that tells it (periods/data/README.md),
    so a few are dated before their period (the GAZ Tigr assembly, 2011, is told among
    the 2014-present projects). The timeline is chronological, so its bands are years:
    such an entry sits in the band of its date and keeps its period on its own page.
    Undated entries, and dates outside ``periods`` (1989, 1991; any date when the page
    is filtered to one period), keep their period.
    """
    if entry.date_start is None:
        return entry.period_id
    year = entry.date_start.year
    containing = [p for p in periods if p.start_year <= year and (p.end_year is None or year <= p.end_year)]
    return max(containing, key=lambda p: p.start_year).pk if containing else entry.period_id


def group_by_period(entries: Iterable[TimelineEntry], periods: Iterable[Period]) -> list[PeriodGroup]:
    """Entries grouped under the period band of their date, in period order, keeping empty periods out."""
    periods = list(periods)
    by_period: dict[int, list[TimelineEntry]] = defaultdict(list)
    for entry in entries:
        by_period[_band_of(entry, periods)].append(entry)
    return [PeriodGroup(p, by_period[p.pk]) for p in periods if by_period.get(p.pk)]


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    x: float  # left edge of the bar
    y: float  # top edge of the bar
    width: float
    height: float
    href: str


@dataclass(frozen=True)
class Band:
    period: Period
    x: float
    width: float
    label_x: float


@dataclass
class Overview:
    """A records-per-year bar chart with the period bands behind (drawn as inline SVG)."""

    first_year: int
    last_year: int
    bars: list[YearBar]
    bands: list[Band]
    ticks: list[tuple[int, float, str]]  # year, x, text-anchor
    max_count: int
    width: int = 800
    height: int = 150
    plot_top: int = 24
    plot_bottom: int = 120

    @property
    def bar_width(self) -> float:
        return self.width / (self.last_year - self.first_year + 1)

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top


def year_span() -> tuple[int, int] | None:
    """First and last year any dated record starts in (three aggregate queries)."""
    from django.db.models import Max, Min

    years = []
    for model in (Event, Transfer, Project):
        agg = model.objects.aggregate(lo=Min("date_start"), hi=Max("date_start"))
        years += [d.year for d in agg.values() if d]
    return (min(years), max(years)) if years else None


def overview(
    counts: Counter,
    periods: list[Period],
    span: tuple[int, int] | None,
    link_params: dict[str, str],
) -> Overview | None:
    """Lay out the overview chart: one bar per year of ``entries`` on the full year span.

    The axis always covers every record and period, so a filtered view keeps its place
    in the whole; each year with records links to the timeline filtered to that year.
    """
    from urllib.parse import urlencode

    years = [*(span or ()), *counts, *(p.start_year for p in periods)]
    years += [p.end_year for p in periods if p.end_year]
    if not years:
        return None
    first, last = min(years), max(years)
    chart = Overview(
        first_year=first, last_year=last, bars=[], bands=[], ticks=[], max_count=max(counts.values() or [0])
    )
    step = chart.bar_width
    for year in range(first, last + 1):
        n = counts.get(year, 0)
        if n:
            params = {k: v for k, v in link_params.items() if k not in ("from", "to")} | {"from": year, "to": year}
            height = max(2.0, round(chart.plot_height * n / chart.max_count, 2))
            chart.bars.append(
                YearBar(
                    year=year,
                    count=n,
                    x=round((year - first + 0.1) * step, 2),
                    y=round(chart.plot_bottom - height, 2),
                    width=round(step * 0.8, 2),
                    height=height,
                    href="?" + urlencode(params) + "#timeline",
                )
            )
        if year % 5 == 0 or year in (first, last):
            chart.ticks.append((year, round((year - first + 0.5) * step, 2)))
    # Periods share their boundary years (1992-2006, 2006-2014): a band runs from the
    # start of its first year to the start of its last, and the open one to the end.
    for p in periods:
        start = max(p.start_year, first)
        end = p.end_year if p.end_year else last + 1
        x = round((start - first) * step, 2)
        width = round(max(end - start, 1) * step, 2)
        chart.bands.append(Band(period=p, x=x, width=width, label_x=round(x + 4, 2)))
    # Drop ticks that would collide with a neighbour (the first/last years).
    cleaned: list[tuple[int, float]] = []
    for year, x in chart.ticks:
        if cleaned and x - cleaned[-1][1] < 30:
            if year == last:
                cleaned[-1] = (year, x)
            continue
        cleaned.append((year, x))
    # The first and last labels are anchored at the chart's edges so they are not clipped.
    last_index = len(cleaned) - 1
    chart.ticks = [
        (year, 0, "start") if i == 0 else (year, chart.width, "end") if i == last_index else (year, x, "middle")
        for i, (year, x) in enumerate(cleaned)
    ]
    return chart


# -- one record's neighbourhood --------------------------------------------------------


@dataclass
class Neighbourhood:
    previous: TimelineEntry | None
    next: TimelineEntry | None
    same_period: list[TimelineEntry]
    same_actor: list[TimelineEntry]
    same_system: list[TimelineEntry]


def _kind_of(record) -> str | None:
    name = type(record).__name__.lower()
    return name if name in TIMELINE_KINDS else None


def _neighbours(kind: str) -> QuerySet:
    """A record type's rows for neighbour lists: the joins an entry shows, no citations
    (``TimelineEntry.endnotes`` is not shown there)."""
    select, _ = TIMELINE_KINDS[kind]
    return select(TimelineFilters()).prefetch_related(None)


def _first_entries(querysets: dict[str, QuerySet], limit: int) -> list[TimelineEntry]:
    """The first ``limit`` entries, in timeline order, of several record types.

    Each type gives at most its own first ``limit`` rows, so the merge is exact and
    costs one small query per type (read in order from its chronological index).
    """
    entries = [TIMELINE_KINDS[kind][1](row) for kind, qs in querysets.items() for row in _chronological(qs)[:limit]]
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
    mine, theirs = KIND_ORDER[_kind_of(record)], KIND_ORDER[kind]
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
        for kind, (_, build) in TIMELINE_KINDS.items():
            condition = _steps_away(record, kind, after=after)[group]
            if condition is None:
                continue
            row = _neighbours(kind).filter(condition).order_by(*order).first()
            if row is not None:
                found.append(build(row))
        if found:
            return (min if after else max)(found, key=lambda e: e.sort_key)
    return None


def neighbourhood(record, *, actors: Iterable[Actor] = (), system: str = "", limit: int = 12) -> Neighbourhood:
    """Records around ``record``: previous/next on the timeline, same period, actor, system.

    "Same actor" uses the organisations and people the record names, not the states:
    nearly every record involves Russia and China, so sharing a state says nothing.
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
        _first_entries({kind: others(kind).filter(period_id=period_id) for kind in TIMELINE_KINDS}, limit)
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
    if system:
        by_system = {
            "event": others("event").filter(Q(title__icontains=system) | Q(description__icontains=system)),
            "transfer": others("transfer").filter(designation__iexact=system),
            "project": others("project").filter(Q(name__icontains=system) | Q(description__icontains=system)),
            "analysis": others("analysis").filter(Q(title__icontains=system) | Q(claim__icontains=system)),
        }
        same_system = _first_entries(by_system, limit)
    return Neighbourhood(
        previous=previous,
        next=nxt,
        same_period=same_period,
        same_actor=same_actor,
        same_system=same_system,
    )


def transfer_value_total(transfers: Iterable[Transfer]) -> Decimal:
    return sum((t.value_usd for t in transfers if t.value_usd is not None), Decimal(0))
