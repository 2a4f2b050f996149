"""Helpers for the statistics tests: broker switching, a second database session, checks."""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from kombu import pools

from aggregates import statistics
from ground import broker
from mtc.celery import app as celery_app

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def reachable_redis(url: str = TEST_REDIS_URL):
    """A client of the test Redis at ``url``: a failure in CI when it is not reachable
    (CI starts it), a skip elsewhere."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        message = f"Redis is not reachable at {url} (set TEST_REDIS_URL): {exc}"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return client


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "needs PostgreSQL: a second process or session must see the test's committed data, which "
        "SQLite's in-memory test database does not share (CI runs these on PostgreSQL)"
    ),
)


def _reset_broker_pools() -> None:
    """Close and forget every cached broker connection so the next publish uses the new URL.

    kombu keeps pools in a global registry keyed by connection: closing the app's pool
    alone would leave a closed pool there for the next use of the same URL.
    """
    pools.reset()
    broker.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str):
    """Publish tasks to ``url`` instead of running them in-process, for the duration."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, False
    _reset_broker_pools()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _reset_broker_pools()


def closed_port_url() -> str:
    """A Redis URL on a local port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def database_url() -> str:
    """The URL of the database this test process uses (the test database)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def second_session():
    """A separate PostgreSQL session (psycopg2, autocommit) on the test database."""
    import psycopg2

    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None, host=s["HOST"], port=s["PORT"] or None
    )
    conn.autocommit = True
    try:
        yield conn
    finally:
        conn.close()


def assert_consistent(stored: statistics.StoredStatistics) -> int:
    """Every part of one statistics set agrees with the others; returns the transfer total.

    A set mixing two rebuilds would show a total that differs from the sum of its
    parts, or from the transfer count in its own fingerprint.
    """
    transfers = stored.data["transfers"]
    total = transfers["all"]["total"]["count"]
    for dimension in ("direction", "category", "status", "unit"):
        assert sum(m["count"] for m in transfers["all"][dimension].values()) == total, dimension
    assert sum(b["total"]["count"] for b in transfers["period"].values()) == total
    assert sum(b["total"]["count"] for b in transfers["year"].values()) == total
    assert stored.fingerprint["counts"]["transfers_transfer"] == total
    assert stored.fingerprint["data_version"] == stored.data_version
    return total
