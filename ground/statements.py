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
process; they hold only the SQL, the marker positions and the converters.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

#: Markers for text values: private-use characters, which no slug contains.
TEXT_MARKER = "\ue000statement-{}\ue001"
#: Markers for integer values: far below any primary key or endnote number.
INT_MARKER_BASE = -7_340_000_000


def text_markers(n: int) -> list[str]:
    return [TEXT_MARKER.format(i) for i in range(n)]


def int_markers(n: int) -> list[int]:
    return [INT_MARKER_BASE - i for i in range(n)]


@dataclass(frozen=True)
class Statement:
    """One compiled ``values()`` / ``values_list()`` query and where its values go."""

    alias: str
    sql: str
    params: tuple
    slots: tuple[int, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple, Any], ...]

    @classmethod
    def compile(cls, queryset: QuerySet, markers: Sequence) -> Statement:
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        slots = []
        for marker in markers:
            found = [i for i, param in enumerate(params) if param == marker]
            if len(found) != 1:
                raise ValueError(f"marker {marker!r} is in the compiled parameters {len(found)} times, not once")
            slots.append(found[0])
        selected = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(selected)
        return cls(
            alias=queryset.db,
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            names=(*query.extra_select, *query.values_select, *query.annotation_select),
            converters=tuple((position, tuple(fns), expression) for position, (fns, expression) in converters.items()),
        )

    def tuples(self, values: Sequence) -> list[tuple]:
        """The rows for these values (one per marker, in order), converted as Django would."""
        params = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
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


_statements: dict[Hashable, Statement | None] = {}
_MISSING = object()


def prepared(key: Hashable, model: type[Model], build: Callable[[list], QuerySet], markers: list) -> Statement | None:
    """The statement ``build(markers)`` compiles to, compiled once per ``key``, number of
    markers and database (``build`` runs only then).

    None where Django would not run SQL at all for the shape (an empty ``IN``): the caller
    answers without the database, as the ORM would.
    """
    alias = router.db_for_read(model)
    full_key = (key, alias, connections[alias].vendor, len(markers))
    statement = _statements.get(full_key, _MISSING)
    if statement is _MISSING:
        try:
            statement = Statement.compile(build(markers), markers)
        except EmptyResultSet:
            statement = None
        _statements[full_key] = statement
    return statement
