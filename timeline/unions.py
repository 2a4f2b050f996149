"""Several querysets read in one SQL statement: a ``UNION ALL`` of their compiled SQL.

Each part keeps its own ``ORDER BY`` and ``LIMIT`` (the first rows of one record type,
read from its chronological index), which Django's ``QuerySet.union()`` refuses on
SQLite ("LIMIT/OFFSET not allowed in subqueries of compound statements"); wrapped as a
derived table, the same SQL works on SQLite and PostgreSQL. The parts' values stay
parameters, as Django compiled them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet


def union_all(querysets: Iterable[QuerySet]) -> tuple[str, list] | None:
    """``(sql, params)`` of every queryset's rows, or None when none can have any."""
    parts, params = [], []
    for qs in querysets:
        try:
            sql, part_params = qs.query.sql_with_params()
        except EmptyResultSet:  # e.g. pk__in=[]: Django knows there are no rows
            continue
        parts.append(f"SELECT * FROM ({sql}) part{len(parts)}")  # noqa: S608 (Django's own compiled SQL)
        params.extend(part_params)
    if not parts:
        return None
    return " UNION ALL ".join(parts), params


def serial(sql: str, vendor: str) -> str:
    """``sql`` run without PostgreSQL's parallel workers: a union of walks that stop after a page.

    Why: PostgreSQL plans each part's walk of its date index as a Gather Merge of two
    workers, and starting them costs more than the walk. The timeline of one system
    at a million records (four parts, 200 keys) took 145-166 ms so, 74-97 ms serial
    (EXPLAIN ANALYZE, each of five systems); under load the workers also take the
    cores the web workers need. ``SET LOCAL`` in the same query string holds for that
    string's implicit transaction only (inside an atomic block, until its end): no
    statement more, and no other query loses its workers. Other databases: unchanged.
    """
    if vendor != "postgresql":
        return sql
    return f"SET LOCAL max_parallel_workers_per_gather = 0; {sql}"
