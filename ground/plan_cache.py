"""Compiled statements run as PostgreSQL prepared statements, so the server plans them once.

Why: a record page's neighbourhood is one ``UNION ALL`` of forty-odd small index reads.
At 100k records PostgreSQL took 6.1 ms to plan it and 0.7 ms to run it (``EXPLAIN
ANALYZE``), on every request. psycopg2, the driver our stack fixes, sends every query
as text and has no prepared statements (psycopg 3 prepares repeated queries itself, but
is not our driver), and no maintained Django package adds them, so this module does:

- the first time a connection runs a statement, it ``PREPARE``\\ s it (the statement's
  SQL with ``$1 … $n`` for Django's placeholders), inside a savepoint: a statement the
  server refuses to prepare (a parameter whose type it cannot infer) is run as plain
  SQL from then on, and the request's transaction is unharmed;
- every run is ``EXECUTE name (values)``. After five runs PostgreSQL keeps a generic
  plan where it costs no more than the custom ones, and planning stops.

What a connection has prepared is kept on Django's connection wrapper, for the raw
connection it holds: a new connection (a reconnect, a new test database) starts empty.
``PREPARE`` outlives a rolled-back transaction (it is not transactional once it has
succeeded), so what is recorded stays true. Behind a pooler that hands each transaction
to another server connection (PgBouncer in transaction mode) prepared statements cannot
work: set ``DB_PREPARED_STATEMENTS=0`` there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, transaction

_PLACEHOLDER = re.compile(r"%%|%s")
_names = itertools.count(1)


def statement_name() -> str:
    """A name for a new statement, unique in this process."""
    return f"mtc_stmt_{next(_names)}"


def positional(sql: str) -> str:
    """Django's SQL (``%s`` placeholders, ``%%`` for a percent sign) with ``$1 … $n``."""
    counter = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(counter)}", sql)


@dataclass
class _Held:
    raw: object
    prepared: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)


def _held(connection) -> _Held:
    held = getattr(connection, "_mtc_prepared", None)
    if held is None or held.raw is not connection.connection:
        held = _Held(connection.connection)
        connection._mtc_prepared = held
    return held


def execute(connection, cursor, name: str, sql: str, params: Sequence) -> None:
    """Run ``sql`` with ``params`` on ``cursor``, prepared on the server where it can be."""
    if connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    held = _held(connection)
    if name in held.refused:
        cursor.execute(sql, params)
        return
    if name not in held.prepared:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute(f"PREPARE {name} AS {positional(sql)}")
        except DatabaseError:
            held.refused.add(name)
            cursor.execute(sql, params)
            return
        held.prepared.add(name)
    if params:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
    else:
        cursor.execute(f"EXECUTE {name}")
