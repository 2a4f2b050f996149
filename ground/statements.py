"""A queryset's SQL compiled once per shape, then run with new values.

Why: Django compiles a queryset's SQL on every evaluation. For the API's hot reads (one
record by slug, a page's rows by their keys, a page's citations) the SQL never changes,
only the values do, and compiling it (resolving about 20 joined columns, quoting, the
converters) was half the Python time of an uncached API detail (cProfile at 100k
records). No maintained package caches compiled statements (django-cachalot and its
kind cache results, which a cold read never repeats), so this module does, in the
smallest way that keeps the ORM the author of the SQL:

- the queryset is built once with *markers* (values of the right type no real row has)
  where the values go, and compiled by Django for the connection it will run on;
- the markers are found among the compiled parameters; a later run puts its values
  in those positions and executes the same SQL;
- each column's value goes through the converters Django would apply (dates on SQLite,
  for one), so the rows are exactly what ``values()`` / ``values_list()`` give.

A shape is everything that changes the SQL: a list of ``n`` keys compiles ``IN`` with
``n`` parameters, so the number of values is part of the key. Statements are kept per
process; they hold only the SQL, the marker positions and the converters. Their number
is bounded by the shapes the code builds: one per page size (1-500) for a list's rows
by key, one per count of keys for the rest (a record page's neighbourhood: one per
record type, open or known end, and number of people and systems it names).

On PostgreSQL a statement runs as a server-side prepared statement (``plan_cache``),
so the server stops planning it too.

A marker may stand in several places (a record's start date bounds each record type's
part of a union); every place gets the value. A date marker is found in the form the
backend sends it (SQLite's adapter makes it text), and its value is sent in that form.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable
from django.db.models.signals import post_init, pre_init

from ground import plan_cache

#: Markers for text values: private-use characters, which no slug contains.
TEXT_MARKER = "\ue000statement-{}\ue001"
#: Markers for integer values: far below any primary key or endnote number.
INT_MARKER_BASE = -7_340_000_000
#: Markers for values of 4-byte unsigned columns (a generic relation's object id), which
#: Django's range check turns away below 0: the top of the range, which no id reaches.
POSITIVE_INT_MARKER_TOP = 2**31 - 1
#: Markers for dates: the first days of year 1, which no record of 1992 onwards has.
DATE_MARKER_BASE = datetime.date(1, 1, 1)


def text_markers(n: int) -> list[str]:
    return [TEXT_MARKER.format(i) for i in range(n)]


def int_markers(n: int) -> list[int]:
    return [INT_MARKER_BASE - i for i in range(n)]


def positive_int_markers(n: int) -> list[int]:
    return [POSITIVE_INT_MARKER_TOP - i for i in range(n)]


def date_markers(n: int) -> list[datetime.date]:
    return [DATE_MARKER_BASE + datetime.timedelta(days=i) for i in range(n)]


def _sent(value, connection):
    """``value`` as the backend's parameters hold it (Django adapts dates per backend)."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class Statement:
    """One compiled ``values()`` / ``values_list()`` query and where its values go."""

    alias: str
    sql: str
    params: tuple
    slots: tuple[tuple[int, ...], ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple, Any], ...]
    name: str = dataclasses.field(default_factory=plan_cache.statement_name)

    @classmethod
    def compile(cls, queryset: QuerySet, markers: Sequence) -> Statement:
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        selected = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(selected)
        return cls(
            alias=queryset.db,
            sql=sql,
            params=tuple(params),
            slots=_slots(params, markers, connections[queryset.db], required=True),
            names=(*query.extra_select, *query.values_select, *query.annotation_select),
            converters=tuple((position, tuple(fns), expression) for position, (fns, expression) in converters.items()),
        )

    @classmethod
    def from_sql(cls, alias: str, sql: str, params: Sequence, markers: Sequence) -> Statement:
        """A statement from SQL Django compiled (a ``UNION ALL`` of querysets, say): its
        rows are the cursor's, with no converters. A marker may stand nowhere in it (a
        value the parts of this shape do not use: an undated record's start)."""
        return cls(alias, sql, tuple(params), _slots(params, markers, connections[alias], required=False), (), ())

    def tuples(self, values: Sequence) -> list[tuple]:
        """The rows for these values (one per marker, in order), converted as Django would."""
        connection = connections[self.alias]
        params = list(self.params)
        for slots, value in zip(self.slots, values, strict=True):
            value = _sent(value, connection)
            for slot in slots:
                params[slot] = value
        with connection.cursor() as cursor:
            plan_cache.execute(connection, cursor, self.name, self.sql, params)
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in self.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted

    def dicts(self, values: Sequence) -> list[dict]:
        """The rows as ``values()`` gives them: dicts keyed by the selected names."""
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.tuples(values)]


def _slots(params: Sequence, markers: Sequence, connection, *, required: bool) -> tuple[tuple[int, ...], ...]:
    """Where each marker stands among the compiled parameters (at least once if ``required``)."""
    slots = []
    for marker in markers:
        sent = _sent(marker, connection)
        found = tuple(i for i, param in enumerate(params) if type(param) is type(sent) and param == sent)
        if required and not found:
            raise ValueError(f"marker {marker!r} is not in the compiled parameters")
        slots.append(found)
    return tuple(slots)


_statements: dict[Hashable, Statement | None] = {}
_MISSING = object()


def prepared(
    key: Hashable, model: type[Model], build: Callable[[list], QuerySet | tuple[str, list] | None], markers: list
) -> Statement | None:
    """The statement ``build(markers)`` compiles to, compiled once per ``key``, number of
    markers and database (``build`` runs only then). ``build`` gives a queryset, or the
    SQL and parameters Django compiled for several (run on ``model``'s database).

    None where Django would not run SQL at all for the shape (an empty ``IN``, or no
    SQL from ``build``): the caller answers without the database, as the ORM would.
    """
    alias = router.db_for_read(model)
    full_key = (key, alias, connections[alias].vendor, len(markers))
    statement = _statements.get(full_key, _MISSING)
    if statement is _MISSING:
        try:
            built = build(markers)
            if isinstance(built, QuerySet):
                statement = Statement.compile(built, markers)
            else:
                statement = None if built is None else Statement.from_sql(alias, *built, markers)
        except EmptyResultSet:
            statement = None
        _statements[full_key] = statement
    return statement


def instances(model: type[Model], pks: Sequence[int]) -> list[Model]:
    """``model``'s instances with these primary keys (their own columns, no joins), as
    ``model.objects.filter(pk__in=pks)`` gives them, from a statement compiled once per
    model and number of keys: a record page's neighbours are read this way, one query
    per record type, where compiling each query was a fifth of the page."""
    return with_related(
        ("instances", model),
        model,
        [],
        lambda markers: model._default_manager.filter(pk__in=markers),
        int_markers(len(pks)),
        list(pks),
    )


def from_row(model: type[Model], alias: str, attnames: Sequence[str], values: Sequence) -> Model:
    """``model.from_db(alias, attnames, values)``: an instance loaded with these columns
    (any other is deferred, read on access as with ``only()``), without ``Model.__init__``.

    Why: ``__init__`` walks every field of the model for each instance, setting the
    loaded ones and skipping the deferred; for the 401 transfers a timeline chart draws
    with 14 of their 40 columns, that was 11 of the 13.4 ms the read took (3.7 ms like
    this, at 100k records). The instance is what ``from_db`` makes: the same attributes,
    ``_state.adding`` false and ``_state.db`` set. A model with ``pre_init`` or
    ``post_init`` receivers (which ``__init__`` would call) goes through ``from_db``.
    """
    return row_builder(model, alias, attnames)(values)


def row_builder(model: type[Model], alias: str, attnames: Sequence[str]) -> Callable[[Sequence], Model]:
    """``from_row`` for many rows of the same columns: whether ``model`` has init receivers
    is asked once (two signal lookups, 4 µs, were a fifth of each row's cost)."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        names = list(attnames)
        return lambda values: model.from_db(alias, names, list(values))
    new = model.__new__

    def build(values: Sequence) -> Model:
        instance = new(model)
        instance.__dict__.update(zip(attnames, values, strict=True))
        state = instance._state = ModelState()
        state.adding, state.db = False, alias
        return instance

    return build


def _columns(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _related_model(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def with_related(
    key: Hashable,
    model: type[Model],
    joins: Sequence[str],
    build: Callable[[list], QuerySet],
    markers: list,
    values: list,
) -> list[Model]:
    """The rows of ``build(markers)`` (a filtered, ordered queryset of ``model``) run with
    ``values``, as instances with the related objects of ``joins`` attached, as
    ``select_related(*joins)`` gives them, from a statement compiled once per ``key``.

    For a record page's own reads (the record by slug with its period and actors, its
    citations with their endnotes): on PostgreSQL, planning the joined query took 1.4 ms
    and running it 0.2 ms (``EXPLAIN ANALYZE`` at 100k records); prepared, it is planned
    once per process. ``joins`` name parents before children (``endnote`` before
    ``endnote__document``); a nullable relation without a row is ``None``.
    """
    layout, names = _layout(model, joins)
    statement = prepared(("with-related", key, tuple(joins)), model, lambda m: build(m).values_list(*names), markers)
    return _joined(statement.tuples(values), layout, statement.alias) if statement else []


def join_paths(select_related: dict, prefix: str = "") -> list[str]:
    """``select_related``'s nested names (``query.select_related``) as paths, parents first."""
    paths = []
    for name, nested in select_related.items():
        paths.append(prefix + name)
        paths += join_paths(nested, f"{prefix}{name}__")
    return paths


def read_joined(queryset: QuerySet) -> list[Model]:
    """``list(queryset)`` for a queryset that joins named relations (``select_related``),
    its instances loaded by ``from_row``: a timeline page's 200 transfers with their
    period and two actors were 800 ``Model.__init__`` calls. Any queryset this does not
    read the same way (annotations, deferred columns, prefetches, values) is listed as
    Django lists it."""
    query = queryset.query
    plain = (
        isinstance(query.select_related, dict)
        and queryset._iterable_class is ModelIterable
        and not (query.annotations or query.extra or queryset._prefetch_related_lookups)
        and query.deferred_loading == (frozenset(), True)
    )
    if not plain:
        return list(queryset)
    layout, names = _layout(queryset.model, join_paths(query.select_related))
    return _joined(queryset.values_list(*names), layout, queryset.db)


Layout = list[tuple[str, type[Model], list[str], Any]]


def _layout(model: type[Model], joins: Sequence[str]) -> tuple[Layout, list[str]]:
    """Per joined object: its path, model, columns and the field caching it on its parent;
    and every column's name, as ``values_list`` takes them."""
    layout: Layout = [("", model, _columns(model), None)]
    for path in joins:
        parent, _, name = path.rpartition("__")
        field = (_related_model(model, parent) if parent else model)._meta.get_field(name)
        related = field.related_model
        layout.append((path, related, _columns(related), field))
    names = [f"{path}__{column}" if path else column for path, _, columns, _ in layout for column in columns]
    return layout, names


def _joined(rows: Iterable[tuple], layout: Layout, alias: str) -> list[Model]:
    """Instances from joined rows: each object from its columns, cached on its parent as
    ``select_related`` caches it (``set_cached_value``; a missing row caches None)."""
    parts = []
    start = 0
    for path, m, columns, field in layout:
        pk_at, build = columns.index(m._meta.pk.attname), row_builder(m, alias, columns)
        parts.append((path, start, start + len(columns), pk_at, build, field))
        start += len(columns)
    found = []
    for row in rows:
        objects: dict[str, Model | None] = {}
        for path, first, end, pk_at, build, field in parts:
            part = row[first:end]
            objects[path] = None if part[pk_at] is None else build(part)
            if field is not None:
                parent = objects[path.rpartition("__")[0]]
                if parent is not None:
                    field.set_cached_value(parent, objects[path])
        found.append(objects[""])
    return found
