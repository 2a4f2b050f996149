"""Compiled statements run as PostgreSQL prepared statements, so the server plans them once.

Why: a record page's neighbourhood is one ``UNION ALL`` of forty-odd small index reads.
At 100k records PostgreSQL took 6.1 ms to plan it and 0.7 ms to run it (``EXPLAIN
ANALYZE``), on every request. psycopg2, the driver our stack fixes, sends every query
as text and has no prepared statements (psycopg 3 prepares repeated queries itself, but
is not our driver), and no maintained Django package adds them, so this module does:

- the second time a connection runs a statement, it ``PREPARE``\\ s it (the statement's
  SQL with ``$1 … $n`` for Django's placeholders; a shape run once, such as the last
  page of one search, stays plain SQL), inside a savepoint when in a transaction: a
  statement the server refuses to prepare (a parameter whose type it cannot infer) is
  run as plain SQL from then on, and the request's transaction is unharmed;
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


#: Runs of a statement on a connection before it is prepared: a shape seen once (the
#: last page of one search) is cheaper sent as plain SQL than prepared and executed.
PREPARE_AFTER = 2


@dataclass
class _Held:
    raw: object
    runs: dict[str, int] = field(default_factory=dict)
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
    if name not in held.prepared:
        held.runs[name] = runs = held.runs.get(name, 0) + 1
        if name in held.refused or runs < PREPARE_AFTER or not _prepare(connection, cursor, name, sql):
            cursor.execute(sql, params)
            return
        held.prepared.add(name)
    if params:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
    else:
        cursor.execute(f"EXECUTE {name}")


def _prepare(connection, cursor, name: str, sql: str) -> bool:
    """``PREPARE`` the statement; False (and never again) where the server refuses it.

    In a transaction (a write request's, a test's) the attempt runs in a savepoint, so a
    refusal leaves the transaction usable; outside one (a read) it needs none.
    """
    statement = f"PREPARE {name} AS {positional(sql)}"
    try:
        if connection.in_atomic_block:
            with transaction.atomic(using=connection.alias):
                cursor.execute(statement)
        else:
            cursor.execute(statement)
    except DatabaseError:
        _held(connection).refused.add(name)
        return False
    return True
