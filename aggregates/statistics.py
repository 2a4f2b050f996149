"""Aggregate statistics: the rebuild service and the reads pages and the API use.

What is computed (one ``StatisticsSnapshot.data`` document)::

    {
      "transfers": {                        # arms transfers
        "all":    {"total": M, "direction": {"ru-cn": M, ...}, "category": {...},
                   "status": {...}, "unit": {"engines": M, ...}},
        "period": {"<period slug>": {same keys}},
        "year":   {"2015": {same keys}, ..., "undated": {same keys}},
      },
      "projects": {same scopes; dimensions "total" and "status"},
      "events":   {same scopes; dimensions "total" and "kind"},
      "citations": {
        "records_per_endnote": {"<document slug>": {"<number>": records citing it}},
        "endnotes_per_source": {"<source slug>": endnotes citing the work},
        "records": {"<app_label.model>": {"records": n, "uncited": n, "uncited_explained": n}},
      },
    }

M is ``{"count", "value_usd", "with_value", "without_value", "value_estimated",
"number_ordered", "number_delivered"}``: ``value_usd`` sums the values the report gives
(``value_usd``, exact or estimated; ranges alone are not a known value), ``without_value``
counts rows with none, ``value_estimated`` how many of the summed values the report
hedges. Numbers ordered/delivered are the sums of the numbers stated (null when no record
of the group states one: silence is not zero), per ``unit`` too, because 24 aircraft and
2 regiments do not add up to anything. A transfer's year is ``year_ordered``, else the
first year of its reported date; events and projects use the first year of their date;
a record with neither is counted under "undated".

How (``rebuild``): three set-based statements, no per-record Python: one for the
fingerprint, one for every transfer/project/event aggregate (``GROUPING SETS`` on
PostgreSQL, the same sets as ``UNION ALL`` of ``GROUP BY`` on SQLite, which has no
grouping sets), one for citation coverage. They run in one read-only REPEATABLE READ
transaction on PostgreSQL, so they all see the same data and the fingerprint names it
exactly; the result is swapped in by a second, short transaction.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Case, F, IntegerField, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone

from ground import change_bus as changes
from ground.models import DataVersion
from periods.models import Event, Period
from sources.cited_record import CitedRecord
from sources.models import Citation, Document, Endnote, EndnoteWork, Source
from transfers.models import Project, Transfer

from .models import StatisticsSnapshot, StatisticsState
from .signals import snapshot_swapped

logger = logging.getLogger(__name__)

# One bound for a rebuild: the Celery task's hard time limit, PostgreSQL's statement
# timeout inside the rebuild, and the SQLite lease all derive from it.
TIME_LIMIT_SECONDS = 300
LOCK_POLL_SECONDS = 0.2
UNDATED = "undated"
METRICS = ("count", "value_usd", "with_value", "value_estimated", "number_ordered", "number_delivered")

Progress = Callable[[str], None]
# The steps of one pass, in order, as reported to a ``progress`` callback.
STEPS = (
    "fingerprint of the data",
    "transfers, projects and events by period, year and dimension",
    "citation coverage",
    "swapping in the new statistics",
)


# -- the aggregates ----------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """One kind of counted record: its rows as a subquery, its dimensions and measures."""

    name: str
    rows: Callable[[], models.QuerySet]
    dimensions: tuple[str, ...]
    has_value: bool = False
    has_numbers: bool = False

    def base_measures(self) -> str:
        """Measures of the finest groups (every dimension at once), named for the roll-up."""
        none = "CAST(NULL AS BIGINT)"
        value = (
            "SUM(value_usd) AS v, COUNT(value_usd) AS wv, "
            "SUM(CASE WHEN value_usd IS NOT NULL AND value_approximate THEN 1 ELSE 0 END) AS est"
            if self.has_value
            else f"{none} AS v, {none} AS wv, {none} AS est"
        )
        numbers = (
            "SUM(number_ordered) AS nord, SUM(number_delivered) AS ndel"
            if self.has_numbers
            else f"{none} AS nord, {none} AS ndel"
        )
        return f"COUNT(*) AS n, {value}, {numbers}"

    @property
    def keys(self) -> tuple[str, ...]:
        return ("period_key", "year_key", *self.dimensions)


ROLLED_UP = "SUM(n), SUM(v), SUM(wv), SUM(est), SUM(nord), SUM(ndel)"


def _year(field_name: str) -> models.Expression:
    return Cast(ExtractYear(field_name), IntegerField())


def _transfer_rows() -> models.QuerySet:
    return (
        Transfer.objects.order_by()
        .annotate(
            year_key=Coalesce(Cast("year_ordered", IntegerField()), _year("date_start"), output_field=IntegerField()),
            unit=F("quantity_unit"),
        )
        .values(
            "period_id",
            "year_key",
            "direction",
            "category",
            "status",
            "unit",
            "value_usd",
            "value_approximate",
            "number_ordered",
            "number_delivered",
        )
    )


def _project_rows() -> models.QuerySet:
    return (
        Project.objects.order_by()
        .annotate(year_key=_year("date_start"))
        .values("period_id", "year_key", "status", "value_usd", "value_approximate")
    )


def _event_rows() -> models.QuerySet:
    return Event.objects.order_by().annotate(year_key=_year("date_start")).values("period_id", "year_key", "kind")


FAMILIES = (
    Family("transfers", _transfer_rows, ("direction", "category", "status", "unit"), has_value=True, has_numbers=True),
    Family("projects", _project_rows, ("status",), has_value=True),
    Family("events", _event_rows, ("kind",)),
)
SCOPES = (("all", None), ("period", "period_key"), ("year", "year_key"))


def _base_sql(family: Family) -> tuple[str, list]:
    """The family's rows grouped by every key at once: one scan of its table.

    Rolling the scopes and dimensions up from these few rows, rather than from every
    record, is what keeps the statement fast on a million transfers. Rows are grouped
    by ``period_id`` and the period's slug joined onto the groups afterwards: grouping
    by the joined slug would cost a join per record and keep PostgreSQL from using the
    transfers' extended statistics (migration transfers 0002) to estimate the groups.
    """
    inner, params = family.rows().query.sql_with_params()
    keys = ", ".join(("period_id", "year_key", *family.dimensions))
    grouped = f"SELECT {keys}, {family.base_measures()} FROM ({inner}) AS r GROUP BY {keys}"
    period = _qn(Period._meta.db_table)
    return (
        f"SELECT p.{_qn('slug')} AS period_key, g.* FROM ({grouped}) AS g "
        f"LEFT JOIN {period} p ON p.{_qn('id')} = g.period_id",
        list(params),
    )


def _rollup_sql(family: Family, vendor: str) -> str:
    """One SELECT rolling the family's base groups up to every (scope, dimension) pair.

    Columns: family, scope (all|period|year), scope key, dimension (total|direction|...),
    dimension key, then count, value, with value, estimated, ordered, delivered.
    """
    base = f"{family.name}_base"
    if vendor == "postgresql":
        sets = [
            "(" + ", ".join(col for col in (scope_col, dim) if col) + ")"
            for _, scope_col in SCOPES
            for dim in (None, *family.dimensions)
        ]
        dims = family.dimensions
        return (
            f"SELECT '{family.name}', "
            "CASE WHEN GROUPING(period_key) = 0 THEN 'period' WHEN GROUPING(year_key) = 0 THEN 'year' ELSE 'all' END, "
            "CASE WHEN GROUPING(period_key) = 0 THEN CAST(period_key AS VARCHAR) "
            "WHEN GROUPING(year_key) = 0 THEN CAST(year_key AS VARCHAR) END, "
            "CASE " + " ".join(f"WHEN GROUPING({d}) = 0 THEN '{d}'" for d in dims) + " ELSE 'total' END, "
            "CASE " + " ".join(f"WHEN GROUPING({d}) = 0 THEN CAST({d} AS VARCHAR)" for d in dims) + " END, "
            f"{ROLLED_UP} FROM {base} GROUP BY GROUPING SETS ({', '.join(sets)})"
        )
    parts = []
    for scope, scope_col in SCOPES:
        for dim in (None, *family.dimensions):
            group = [col for col in (scope_col, dim) if col]
            scope_key = f"CAST({scope_col} AS TEXT)" if scope_col else "NULL"
            dim_key = f"CAST({dim} AS TEXT)" if dim else "NULL"
            parts.append(
                f"SELECT '{family.name}', '{scope}', {scope_key}, '{dim or 'total'}', {dim_key}, {ROLLED_UP} "
                f"FROM {base}" + (f" GROUP BY {', '.join(group)}" if group else "")
            )
    return " UNION ALL ".join(parts)


def _records_sql(vendor: str) -> tuple[str, list]:
    """Every transfer, project and event aggregate in one statement.

    Each family's table is scanned once into a CTE of its finest groups, then rolled
    up: by ``GROUPING SETS`` on PostgreSQL; on SQLite (no grouping sets) by a
    ``UNION ALL`` of ``GROUP BY`` over the CTE, which SQLite materialises once.
    """
    ctes, params = [], []
    for family in FAMILIES:
        sql, family_params = _base_sql(family)
        ctes.append(f"{family.name}_base AS ({sql})")
        params += family_params
    rollups = [_rollup_sql(family, vendor) for family in FAMILIES]
    if vendor == "postgresql":
        rollups = [f"({sql})" for sql in rollups]
    return "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(rollups), params


def _int(value: Any) -> int:
    return int(value) if value is not None else 0


# Sums of what the report may leave unsaid: null (shown as "not stated") when no record
# of the group states a number, so silence is not read as zero.
STATED_ONLY = ("number_ordered", "number_delivered")


def _metrics(row: tuple) -> dict[str, int | None]:
    metrics = {
        name: (None if value is None and name in STATED_ONLY else _int(value))
        for name, value in zip(METRICS, row, strict=True)
    }
    metrics["without_value"] = metrics["count"] - metrics["with_value"]
    return metrics


def _fold_records(rows: list[tuple]) -> dict:
    data: dict[str, dict] = {family.name: {"all": {}, "period": {}, "year": {}} for family in FAMILIES}
    for family, scope, scope_key, dim, dim_key, *measures in rows:
        bucket = data[family][scope]
        if scope != "all":
            bucket = bucket.setdefault(UNDATED if scope_key is None else str(scope_key), {})
        if dim == "total":
            bucket["total"] = _metrics(measures)
        else:
            bucket.setdefault(dim, {})[str(dim_key)] = _metrics(measures)
    return data


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _cited_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, CitedRecord)]


def _coverage_sql() -> tuple[str, list]:
    """Citation coverage in one statement: records per endnote, endnotes per source,
    and records with no citation per kind of record.

    Columns: family, text key, integer key, then two counts. How many records a kind
    has comes from the fingerprint, which counts every table in the same snapshot.
    """
    cit, note, doc = Citation._meta.db_table, Endnote._meta.db_table, Document._meta.db_table
    work, source = EndnoteWork._meta.db_table, Source._meta.db_table
    parts = [
        # Citations counted per endnote id first (a walk of the endnote index), then
        # joined to the endnotes: joining first hashes every citation with its note's
        # document slug and number, 3.2 s against 0.3 s at two million citations.
        f"SELECT 'endnote', d.{_qn('slug')}, e.{_qn('number')}, COALESCE(c.n, 0), 0 "
        f"FROM {_qn(note)} e JOIN {_qn(doc)} d ON d.{_qn('id')} = e.{_qn('document_id')} "
        f"LEFT JOIN (SELECT {_qn('endnote_id')}, COUNT(*) AS n FROM {_qn(cit)} GROUP BY {_qn('endnote_id')}) c "
        f"ON c.{_qn('endnote_id')} = e.{_qn('id')}",
        f"SELECT 'source', s.{_qn('slug')}, NULL, COUNT(DISTINCT w.{_qn('endnote_id')}), 0 "
        f"FROM {_qn(source)} s LEFT JOIN {_qn(work)} w ON w.{_qn('source_id')} = s.{_qn('id')} "
        f"GROUP BY s.{_qn('slug')}",
    ]
    params: list = []
    for model in _cited_models():
        # NOT EXISTS against the (content type, object id) index: an anti-join that
        # walks both in id order, 0.5 s for a million transfers where a left join to
        # the distinct cited ids hashed them in batches for 1.5 s.
        meta = model._meta
        cited = (
            f"SELECT 1 FROM {_qn(cit)} c WHERE c.{_qn('object_id')} = r.{_qn(meta.pk.column)} "
            f"AND c.{_qn('content_type_id')} = (SELECT ct.{_qn('id')} FROM {_qn('django_content_type')} ct "
            f"WHERE ct.{_qn('app_label')} = %s AND ct.{_qn('model')} = %s)"
        )
        parts.append(
            f"SELECT 'records', %s, NULL, COUNT(*), "
            f"COALESCE(SUM(CASE WHEN r.{_qn('uncited_reason')} <> '' THEN 1 ELSE 0 END), 0) "
            f"FROM {_qn(meta.db_table)} r WHERE NOT EXISTS ({cited})"
        )
        params += [meta.label_lower, meta.app_label, meta.model_name]
    return " UNION ALL ".join(parts), params


def _fold_coverage(rows: list[tuple], counts: dict[str, int]) -> dict:
    per_endnote: dict[str, dict[str, int]] = {}
    per_source: dict[str, int] = {}
    records: dict[str, dict[str, int]] = {}
    tables = {model._meta.label_lower: model._meta.db_table for model in _cited_models()}
    for family, key, number, n, explained in rows:
        if family == "endnote":
            per_endnote.setdefault(key, {})[str(number)] = _int(n)
        elif family == "source":
            per_source[key] = _int(n)
        else:
            records[key] = {"records": counts[tables[key]], "uncited": _int(n), "uncited_explained": _int(explained)}
    # Per document: how many of its endnotes at least one record cites (the report's 73 of 73).
    endnotes_cited = {
        doc: {"endnotes": len(numbers), "cited": sum(1 for n in numbers.values() if n > 0)}
        for doc, numbers in per_endnote.items()
    }
    return {
        "records_per_endnote": per_endnote,
        "endnotes_cited": endnotes_cited,
        "endnotes_per_source": per_source,
        "records": records,
    }


def _counted_tables() -> list[str]:
    return sorted(m._meta.db_table for m in apps.get_models(include_auto_created=True) if changes.is_content_model(m))


def fingerprint() -> dict:
    """The data version and the row count of every content table, in one statement."""
    tables = _counted_tables()
    selects = [f"(SELECT {_qn('version')} FROM {_qn(DataVersion._meta.db_table)} WHERE {_qn('id')} = 1)"]
    selects += [f"(SELECT COUNT(*) FROM {_qn(table)})" for table in tables]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects))
        version, *counts = cursor.fetchone()
    return {"data_version": _int(version), "counts": dict(zip(tables, (_int(c) for c in counts), strict=True))}


def compute(progress: Progress | None = None) -> tuple[dict, dict, int]:
    """Compute the statistics from the records: (fingerprint, data, statements run).

    Call inside a transaction that gives one consistent view (``_consistent_read``).
    """
    say = progress or (lambda step: None)
    say(STEPS[0])
    print_ = fingerprint()
    say(STEPS[1])
    with connection.cursor() as cursor:
        cursor.execute(*_records_sql(connection.vendor))
        data = _fold_records(cursor.fetchall())
        say(STEPS[2])
        cursor.execute(*_coverage_sql())
        data["citations"] = _fold_coverage(cursor.fetchall(), print_["counts"])
    return print_, data, 3


# -- locking and coalescing ---------------------------------------------------------


class _AdvisoryLock:
    """PostgreSQL: a session-level advisory lock.

    The server releases it when the holder's connection ends, so a worker killed
    mid-rebuild never leaves it behind: the next run takes it at once. Advisory locks
    are per database, so test databases and other deployments on the server don't clash.
    """

    KEY = 0x4D54435F5354  # "MTC_ST"

    def acquire(self) -> bool:
        # Advisory locks are re-entrant within a session; a rebuild nested in another on
        # the same connection must coalesce like any other request, so remember it here.
        if getattr(connection, "_mtc_statistics_locked", False):
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.KEY])
            connection._mtc_statistics_locked = bool(cursor.fetchone()[0])
        return connection._mtc_statistics_locked

    def release(self) -> None:
        connection._mtc_statistics_locked = False
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.KEY])
        except DatabaseError:  # the connection is gone, and the lock with it
            logger.warning("Could not release the statistics lock; the connection is gone.", exc_info=True)


class _LeaseLock:
    """SQLite (no advisory locks): a lease on the state row taken by one conditional UPDATE.

    A holder that dies leaves the lease until it expires, after the rebuild's time
    limit; SQLite is the single-machine default where that is an acceptable wait.
    """

    def __init__(self) -> None:
        self.token = uuid.uuid4().hex

    def acquire(self) -> bool:
        now = timezone.now()
        free = Q(lease_token="") | Q(lease_expires__lt=now)
        taken = StatisticsState.objects.filter(free, id=1).update(
            lease_token=self.token, lease_expires=now + timedelta(seconds=TIME_LIMIT_SECONDS)
        )
        return taken == 1

    def release(self) -> None:
        StatisticsState.objects.filter(id=1, lease_token=self.token).update(lease_token="", lease_expires=None)


def _lock() -> _AdvisoryLock | _LeaseLock:
    return _AdvisoryLock() if connection.vendor == "postgresql" else _LeaseLock()


def _state() -> models.QuerySet[StatisticsState]:
    return StatisticsState.objects.filter(id=1)


def _update_state(**values) -> None:
    if not _state().update(**values):
        StatisticsState.objects.get_or_create(id=1)
        _state().update(**values)


def _take_pending() -> bool:
    """Claim the pending request (one atomic UPDATE); True if there was one."""
    return _state().filter(pending=True).update(pending=False, started_at=timezone.now()) == 1


def _is_pending() -> bool:
    return _state().filter(pending=True).exists()


@dataclass
class RebuildResult:
    """What a call to ``rebuild`` did."""

    outcome: str = "coalesced"  # rebuilt | unchanged | coalesced
    passes: int = 0
    snapshot: StatisticsSnapshot | None = None
    statements: int = 0
    duration_ms: int = 0


def rebuild(*, force: bool = True, wait: float = 0, progress: Progress | None = None) -> RebuildResult:
    """Rebuild the statistics, or make sure the running rebuild does one more pass.

    Coalescing: the request is first recorded (``pending``, committed), then the lock
    is tried. If another process holds it, this call returns at once ("coalesced"):
    the holder claims ``pending`` after each pass and runs again while it finds it set,
    and after releasing the lock checks once more, so a request that arrived between
    its last claim and its release is not lost. Only the lock holder writes, so passes
    never run in parallel. The lock is a PostgreSQL advisory lock (freed by the server
    when a killed worker's connection drops, so no stale lock blocks the next run) or,
    on SQLite, a lease on the state row. Both live in the database rather than the
    broker's Redis because the in-process default has no Redis.

    ``force`` computes even when the data's fingerprint matches the current snapshot
    (the beat schedule and ``rebuild_stats`` force; change notifications don't, so a
    burst of writes costs one pass). ``wait`` seconds: poll for the lock instead of
    coalescing (``rebuild_stats`` waits, so it really runs). Idempotent: the same data
    gives the same statistics.
    """
    _update_state(pending=True, requested_at=timezone.now())
    result = RebuildResult()
    deadline = time.monotonic() + wait
    first = True
    while True:
        lock = _lock()
        while not lock.acquire():
            if time.monotonic() >= deadline:
                return result  # the holder will make one more pass for this request
            time.sleep(LOCK_POLL_SECONDS)
        try:
            while _take_pending() or (first and force):
                _run_pass(result, force=first and force, progress=progress)
                first = False
        finally:
            lock.release()
        if not _is_pending():
            return result
        deadline = 0  # a request slipped in before the release: take the lock if it is free


class _consistent_read(transaction.Atomic):
    """A transaction whose statements all see one snapshot of the data.

    PostgreSQL defaults to READ COMMITTED, where each statement sees the latest
    commits; REPEATABLE READ READ ONLY makes the three aggregate statements agree
    (the fingerprint is one of them), and the statement timeout bounds the work. SQLite transactions
    already read one snapshot. Inside an outer transaction (tests) nothing is changed.
    """

    def __init__(self) -> None:
        super().__init__(using=None, savepoint=True, durable=False)

    def __enter__(self):
        outermost = not connection.in_atomic_block
        super().__enter__()
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
                    f"SET LOCAL statement_timeout = {TIME_LIMIT_SECONDS * 1000}; "
                    # JIT-compiling these one-off aggregates costs more than it saves
                    # (measured: 10.8 s with JIT, 5.6 s without, at a million transfers).
                    "SET LOCAL jit = off"
                )


def _run_pass(result: RebuildResult, *, force: bool, progress: Progress | None) -> None:
    started, clock = timezone.now(), time.monotonic()
    try:
        with _consistent_read():
            current = None if force else _state().values_list("current__fingerprint", flat=True).first()
            print_, data, statements = compute(progress)
        if current == print_:
            _state().update(last_success_at=timezone.now(), **_clear_stale_if_before(started))
            result.outcome = result.outcome if result.outcome == "rebuilt" else "unchanged"
            result.statements = statements
            result.passes += 1
            return
        if progress:
            progress(STEPS[3])
        duration = int((time.monotonic() - clock) * 1000)
        with transaction.atomic():
            snapshot = StatisticsSnapshot.objects.create(
                computed_at=timezone.now(),
                data_version=print_["data_version"],
                fingerprint=print_,
                data=data,
                statements=statements,
                duration_ms=duration,
            )
            _state().update(
                current=snapshot,
                last_success_at=timezone.now(),
                passes=F("passes") + 1,
                **_clear_stale_if_before(started),
            )
            StatisticsSnapshot.objects.exclude(id=snapshot.id).delete()
            snapshot_swapped.send(sender=StatisticsSnapshot, snapshot=snapshot)
    except Exception as exc:
        logger.exception("Statistics rebuild failed")
        _record_failure(exc)
        raise
    result.outcome, result.snapshot, result.statements, result.duration_ms = "rebuilt", snapshot, statements, duration
    result.passes += 1


def _clear_stale_if_before(started: datetime) -> dict:
    """Clear a "could not enqueue" mark only if it predates this pass (so the pass saw its write)."""
    before = Q(stale_since__lte=started)
    return {
        "stale_reason": Case(When(before, then=Value("")), default=F("stale_reason")),
        "stale_since": Case(When(before, then=Value(None)), default=F("stale_since")),
    }


def _record_failure(exc: BaseException) -> None:
    try:
        _update_state(last_error=f"{type(exc).__name__}: {exc}"[:2000], last_error_at=timezone.now())
    except DatabaseError:
        logger.exception("Could not record the statistics rebuild failure")


def mark_stale(reason: str) -> None:
    """Record that a rebuild could not be requested (broker down); the next run catches up."""
    _update_state(stale_reason=reason[:300], stale_since=timezone.now(), pending=True, requested_at=timezone.now())


# -- reads --------------------------------------------------------------------------


ZERO = {**dict.fromkeys((*METRICS, "without_value"), 0), **dict.fromkeys(STATED_ONLY)}


@dataclass(frozen=True)
class StoredStatistics:
    """The statistics as stored, with what a reader needs to judge them."""

    data: dict
    computed_at: datetime | None
    data_version: int | None
    live_version: int
    fingerprint: dict
    stale_reason: str
    last_success_at: datetime | None
    last_error: str
    last_error_at: datetime | None

    @property
    def exists(self) -> bool:
        return self.computed_at is not None

    @property
    def stale(self) -> bool:
        """No statistics yet, the data changed since they were computed, or a rebuild could not be requested."""
        return not self.exists or self.data_version != self.live_version or bool(self.stale_reason)

    @property
    def failing(self) -> bool:
        """The last attempt failed (an error more recent than the last success)."""
        return self.last_error_at is not None and (
            self.last_success_at is None or self.last_error_at > self.last_success_at
        )

    def block(self, family: str, scope: str = "all", key: str | None = None) -> dict:
        """One scope of one family, every dimension present (missing means zero)."""
        scoped = self.data.get(family, {}).get(scope, {})
        found = scoped if key is None else scoped.get(str(key), {})
        return {"total": dict(ZERO), **found} if "total" not in found else found

    def scope_keys(self, family: str, scope: str) -> list[str]:
        return list(self.data.get(family, {}).get(scope, {}))

    def as_dict(self) -> dict:
        return {
            "computed_at": self.computed_at,
            "stale": self.stale,
            "stale_reason": self.stale_reason,
            "data_version": self.data_version,
            "live_data_version": self.live_version,
            "fingerprint": self.fingerprint,
            "last_success_at": self.last_success_at,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at,
            "failing": self.failing,
            "statistics": self.data,
        }


def current_statistics() -> StoredStatistics:
    """The current statistics and their staleness, in one query."""
    live = Subquery(DataVersion.objects.filter(id=1).values("version")[:1])
    state = _state().select_related("current").annotate(live_version=live).first()
    if state is None:
        return StoredStatistics({}, None, None, DataVersion.current().version, {}, "", None, "", None)
    snapshot = state.current
    return StoredStatistics(
        data=snapshot.data if snapshot else {},
        computed_at=snapshot.computed_at if snapshot else None,
        data_version=snapshot.data_version if snapshot else None,
        live_version=state.live_version or 0,
        fingerprint=snapshot.fingerprint if snapshot else {},
        stale_reason=state.stale_reason,
        last_success_at=state.last_success_at,
        last_error=state.last_error,
        last_error_at=state.last_error_at,
    )
