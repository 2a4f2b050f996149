"""API rows stored as JSON, ready to send: a page of records is one read of 50 texts.

Why: a lean read (``ground.lean_rows``) still reads each page's columns and citations
and builds every row in Python, about a third of an uncached API page of 50 transfers
(2-2.5 ms of 7 at 100k records, in-process; the rest is the framework, the filters and
the page's keys). A reader who pages, filters or searches meets rows no cache has seen,
so caching whole responses cannot help; a row stored once per record can, as each row
is the same in every list that shows it. No maintained package keeps serializer output
per row and invalidates it with the rows it reads, so this module does.

What is stored, and when it is served:

- ``StoredRow.body`` is what the lean plan builds for the record, encoded by orjson
  (the bytes our JSON renderer sends), with the site's address (scheme and host) as
  ``ADDRESS``, a private-use character, replaced per request by the request's own.
  A record whose own text holds that character is not stored.
- A write to a record empties its row (``version`` set to the writing transaction's
  data version). A write to a citation empties its record's row, before and after a
  move to another record. A write to a table the rows read from (an actor's slug, an
  endnote's number: ``StoredPlan.dependencies``) sets ``DataVersion.stored_rows_from``
  to the new version: every row built before it is ignored. All of it happens inside
  the writing transaction, so a reader never sees a row older than the data.
- A builder reads the data version before the records, and writes a row only over an
  older one: a builder that read a record before a write cannot put its row back.
- After each committed change, ``refresh`` (a Celery task; in-process without a
  broker) builds what is empty, stale or missing. Until then those records are built
  per request, as before: a row is never served stale, only not yet stored.
- ``migrate`` empties the table (a new release may write rows differently) and, up
  to ``MIGRATE_BUILD_LIMIT`` records, builds it again; above, it asks a worker for
  the task (without a broker, run ``manage.py rebuild_stored_rows``). A change made to the tables by hand
  (SQL) reaches no signal: run ``rebuild_stored_rows`` after one, as for the search index.

Rows are stored for the serializers registered with ``store`` (the transfers: the
table that grows to a million rows); every other list builds its rows per request.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import get_script_prefix, set_script_prefix

from .lean_rows import PLAIN_PATH, LeanPlan, PageContext, lean_plan
from .models import DataVersion, StoredRow
from .statements import prepared

logger = logging.getLogger(__name__)

#: Stands for the site's address (``http://host:port``) in a stored body: a
#: private-use character, which no slug, path or text of the report contains.
ADDRESS = "\ue0a0"
#: Records built and written per statement by ``refresh``.
CHUNK = 500
#: ``migrate`` builds the rows itself up to this many records (a laptop's report); above
#: it, ``rebuild_stored_rows`` or the task does, as for the search index.
MIGRATE_BUILD_LIMIT = 50_000
#: A generic link to the record a row belongs to (a citation's content type and id).
LINK_FIELDS = ("content_type_id", "object_id")
LABEL = re.compile(r"[a-z0-9_]+\.[a-z0-9_]+\Z")


class NotStorable(Exception):
    """A row that cannot be stored: its page address is not a plain path."""


@dataclass(frozen=True)
class StoredPlan:
    """A serializer whose rows are stored: its lean plan and the tables the rows read."""

    plan: LeanPlan
    label: str
    #: Model labels whose rows the stored rows read (related slugs, endnotes...).
    dependencies: frozenset[str]


_registered: dict[str, type] = {}
_stored: dict[str, StoredPlan] = {}


def store(serializer_class) -> None:
    """Store the rows of ``serializer_class`` (called from an app's ``ready``). Its lean
    plan is compiled when first needed (compiling reverses URLs, which imports the URL
    configuration: not while apps load); it must compile, and each field with a
    page-wide load must name the tables it reads."""
    label = serializer_class.Meta.model._meta.label_lower
    if not LABEL.match(label):  # written into the read's SQL as a literal
        raise ValueError(f"unexpected model label {label!r}")
    _registered[label] = serializer_class


def _plans() -> dict[str, StoredPlan]:
    """The registered serializers' plans, compiled once (a repeat in a race is harmless)."""
    if len(_stored) < len(_registered):
        for label, serializer_class in list(_registered.items()):
            if label not in _stored:
                plan = lean_plan(serializer_class)
                if plan is None:
                    raise ValueError(f"{serializer_class.__name__} has no lean plan: its rows cannot be stored.")
                _stored[label] = StoredPlan(plan, label, frozenset(_dependencies(plan)))
    return _stored


def _dependencies(plan: LeanPlan) -> set[str]:
    found = set()
    for column in plan.columns:
        model = plan.model
        for part in column.split("__")[:-1]:  # supplier__slug: the actor's table
            model = model._meta.get_field(part).related_model
            found.add(model._meta.label_lower)
    for name, lean in plan.fields:
        if lean.load is not None:
            if lean.reads is None:
                raise ValueError(f"{plan.model.__name__}.{name} loads rows without naming their tables (reads).")
            found.update(lean.reads)
    return found


def stored_plan(plan: LeanPlan) -> StoredPlan | None:
    """The stored rows of ``plan``, where they are served: stored for it, switched on,
    and the site at the address root (the bodies' paths are built without a prefix)."""
    stored = _plans().get(plan.model._meta.label_lower) if _registered else None
    if stored is None or stored.plan is not plan or not settings.STORED_API_ROWS:
        return None
    return stored if get_script_prefix() == "/" else None


# -- reads ----------------------------------------------------------------------------


def page_rows(plan: LeanPlan, keys: list, request) -> list:
    """The API rows of the records with these keys (``plan.key``), in their order: the
    stored ones as they are (``orjson.Fragment``), the rest built as a lean read builds them."""
    stored = stored_plan(plan)
    bodies = _stored_bodies(stored, keys) if stored is not None and keys else {}
    missing = [key for key in keys if key not in bodies]
    built = dict(zip(missing, plan.build(plan.values_by_key(missing), request), strict=True)) if missing else {}
    if not bodies:
        return [built[key] for key in keys]
    address = _address(request)
    return [orjson.Fragment(bodies[key].replace(ADDRESS, address)) if key in bodies else built[key] for key in keys]


def stored_row(plan: LeanPlan, key, request) -> orjson.Fragment | None:
    """The stored API row of the record with this key, or None (not stored, or no such record)."""
    stored = stored_plan(plan)
    body = _stored_bodies(stored, [key]).get(key) if stored is not None else None
    return orjson.Fragment(body.replace(ADDRESS, _address(request))) if body is not None else None


def _address(request) -> str:
    """The request's scheme and host, as it stands inside a JSON string."""
    return orjson.dumps(request.build_absolute_uri("/")[:-1])[1:-1].decode()


def _stored_bodies(stored: StoredPlan, keys: list) -> dict:
    """{key: body} of the keys whose row is stored and current, in one statement."""
    model, key = stored.plan.model, stored.plan.key
    table = connection.ops.quote_name(model._meta.db_table)
    key_column = connection.ops.quote_name(model._meta.pk.column if key == "pk" else model._meta.get_field(key).column)
    pk_column = connection.ops.quote_name(model._meta.pk.column)

    def build(markers: list) -> tuple[str, list]:
        sql = (
            f"SELECT t.{key_column}, r.body FROM {table} t"  # noqa: S608 - names from the model, values as parameters
            f" JOIN ground_storedrow r ON r.model = '{stored.label}' AND r.record_id = t.{pk_column}"
            " JOIN periods_dataversion v ON v.id = 1"
            f" WHERE t.{key_column} IN ({', '.join(['%s'] * len(markers))})"
            " AND r.body IS NOT NULL AND r.version >= v.stored_rows_from"
        )
        return sql, markers

    statement = prepared(("stored-rows", stored.label), model, build, stored.plan.markers(len(keys)))
    return dict(statement.tuples(keys)) if statement is not None else {}


# -- writes (inside the writing transaction) ---------------------------------------------


def links_records(model) -> bool:
    """Whether ``model``'s rows point to a record generically (``LINK_FIELDS``)."""
    return set(LINK_FIELDS) <= {field.attname for field in model._meta.concrete_fields}


def note_link(instance) -> None:
    """Before a save: remember the record a generically linked row (a citation) pointed
    to, so that a move empties the old record's row too (``written``)."""
    if not _registered or instance.pk is None:
        return
    instance._stored_rows_old_link = (
        type(instance)._base_manager.filter(pk=instance.pk).values_list(*LINK_FIELDS).first()
    )


def written(instance, kwargs: dict) -> None:
    """After a write, in its transaction and after its data version: empty the rows it
    changes, or stop serving every row older than it (a table the rows read)."""
    if not _registered or instance is None:
        return
    label = instance._meta.label_lower
    emptied: dict[str, set] = defaultdict(set)
    if label in _registered:
        emptied[label].add(instance.pk)
    related = kwargs.get("model")  # a many-to-many change seen from ``instance``'s side
    if related is not None and related._meta.label_lower in _registered:
        pks = kwargs.get("pk_set")
        if pks is None:  # a clear: which records lost their links is not known
            _stop_serving_older()
            return
        emptied[related._meta.label_lower].update(pks)
    if links_records(type(instance)):  # a citation: the records it cites, before and after
        for link in (
            getattr(instance, "_stored_rows_old_link", None),
            tuple(getattr(instance, f) for f in LINK_FIELDS),
        ):
            linked = ContentType.objects.get_for_id(link[0]).model_class() if link else None
            if linked is not None and linked._meta.label_lower in _registered:
                emptied[linked._meta.label_lower].add(link[1])
    elif kwargs.get("created"):  # a new actor or endnote: no stored row read it yet
        pass
    elif not emptied and any(label in s.dependencies for s in _plans().values()):
        _stop_serving_older()
        return
    for model_label, pks in emptied.items():
        _empty(model_label, pks)


def _empty(label: str, pks: Iterable) -> None:
    """Empty these records' rows, at the writing transaction's data version (rows it
    does not have yet are made empty, so no builder that read the old record fills them)."""
    with connection.cursor() as cursor:
        for pk in pks:
            cursor.execute(
                "INSERT INTO ground_storedrow (model, record_id, version, body)"
                " SELECT %s, %s, version, NULL FROM periods_dataversion WHERE id = 1"
                " ON CONFLICT (model, record_id) DO UPDATE SET version = excluded.version, body = NULL",
                [label, pk],
            )


def _stop_serving_older() -> None:
    DataVersion.objects.filter(id=1).update(stored_rows_from=_current_version())


def _current_version() -> int:
    return DataVersion.objects.filter(id=1).values_list("version", flat=True).first() or 0


# -- building -----------------------------------------------------------------------


def refresh(*, everything: bool = False) -> int:
    """Build the rows that are empty, older than ``stored_rows_from`` or missing (with
    ``everything``, all of them); the number built. Idempotent: what is current is kept."""
    built = 0
    for stored in _plans().values():
        records = stored.plan.model._base_manager.filter(pk=OuterRef("record_id"))
        StoredRow.objects.filter(model=stored.label).exclude(Exists(records)).delete()  # deleted records'
        version = _current_version()  # before the records: see the module's docstring
        for chunk in _chunks(_to_build(stored, everything=everything), CHUNK):
            built += _build(stored, chunk, version)
    return built


def _to_build(stored: StoredPlan, *, everything: bool) -> list[int]:
    records = stored.plan.model._base_manager.order_by("pk").values_list("pk", flat=True)
    if everything:
        return list(records)
    current = StoredRow.objects.filter(
        model=stored.label,
        record_id=OuterRef("pk"),
        body__isnull=False,
        version__gte=Subquery(DataVersion.objects.filter(id=1).values("stored_rows_from")[:1]),
    )
    return list(records.exclude(Exists(current)))


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _build(stored: StoredPlan, pks: list[int], version: int) -> int:
    """Build and write the rows of these records, each only over an older row."""
    plan = stored.plan
    values = list(plan.values(plan.model._base_manager.filter(pk__in=pks).order_by("pk")))
    previous_prefix = get_script_prefix()
    set_script_prefix("/")  # bodies hold plain paths; stored_plan serves them at the root only
    try:
        plain = plan.build(values, None)  # addresses as bare paths: any ADDRESS left is the record's own text
        marked = _marked_rows(plan, values)
    finally:
        set_script_prefix(previous_prefix)
    rows = []
    for row, plain_row, body in zip(values, plain, marked, strict=True):
        if body is not None and ADDRESS not in orjson.dumps(plain_row).decode():
            rows.append((stored.label, row["pk"], version, body))
    if not rows:
        return 0
    placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO ground_storedrow (model, record_id, version, body) VALUES {placeholders}"  # noqa: S608
                " ON CONFLICT (model, record_id) DO UPDATE SET version = excluded.version, body = excluded.body"
                " WHERE ground_storedrow.version <= excluded.version",
                [value for row in rows for value in row],
            )
    except DatabaseError:  # a write racing the builder (a deadlock): those rows are built next time
        logger.warning("Could not store %d API rows of %s; they are built per request.", len(rows), stored.label)
        return 0
    return len(rows)


def _marked_rows(plan: LeanPlan, values: list[dict]) -> list[str | None]:
    """Each row's JSON with the site's address as ``ADDRESS``; None where an address is
    not a plain path (it would need the request to resolve)."""
    try:
        rows = plan.build(values, None, _MarkedContext(None))
    except NotStorable:
        return [_one_marked(plan, row) for row in values]
    return [orjson.dumps(row).decode() for row in rows]


def _one_marked(plan: LeanPlan, values_row: dict) -> str | None:
    try:
        return orjson.dumps(plan.build([values_row], None, _MarkedContext(None))[0]).decode()
    except NotStorable:
        return None


class _MarkedContext(PageContext):
    """Absolute addresses as ``ADDRESS`` + path, for any request's address to replace."""

    def absolute(self, path: str) -> str:
        if PLAIN_PATH.match(path) and "/./" not in path and "/../" not in path:
            return ADDRESS + path
        raise NotStorable(path)


def rebuild_after_migrate(using: str = "default", **kwargs) -> None:
    """Drop every stored row (a new release may write rows differently), then build them
    again where the records are few; above ``MIGRATE_BUILD_LIMIT``, say what to run."""
    StoredRow.objects.using(using).all().delete()
    records = sum(stored.plan.model._base_manager.using(using).count() for stored in _plans().values())
    if records > MIGRATE_BUILD_LIMIT:
        from . import tasks  # the task module imports this one

        if not tasks.refresh_stored_rows.app.conf.task_always_eager:
            try:  # a worker builds them (until then, rows are built per request)
                tasks.refresh_stored_rows.apply_async()
                return
            except Exception:  # no broker now: say what to run instead
                logger.warning("Could not ask a worker for the stored API rows.", exc_info=True)
        logger.warning("Stored API rows emptied: run manage.py rebuild_stored_rows (%d records).", records)
        return
    if records:
        refresh(everything=True)
