"""The database is down: /healthz and the API still answer, in JSON, with 503 (real gunicorn)."""

from __future__ import annotations

import json
import time

import pytest

from tests import live_gunicorn
from tests.aggregates.stats_support import closed_port_url
from tests.live_gunicorn import exchange


@pytest.fixture
def server_without_database(tmp_path):
    port = closed_port_url().rsplit(":", 1)[1].split("/")[0]
    with live_gunicorn.gunicorn(
        tmp_path / "gunicorn.log",
        ready=(503,),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/mtc",
        RESPONSE_CACHE_SECONDS="600",  # as deployed: the cache reads the data version first
    ) as base:
        yield base


def test_healthz_api_and_pages_answer_503_when_the_database_is_down(server_without_database):
    started = time.monotonic()
    status, headers, body = exchange(f"{server_without_database}/healthz")
    assert time.monotonic() - started < 2
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    report = json.loads(body)
    assert report["status"] == "down"
    assert report["database"]["ok"] is False

    for path in ("/api/transfers/", "/api/transfers/s-400-2015/?format=csv"):
        status, headers, body = exchange(f"{server_without_database}{path}")
        assert status == 503, body
        assert headers["Content-Type"] == "application/json"
        assert "database" in json.loads(body)["detail"]
        assert headers["Retry-After"]

    status, headers, body = exchange(f"{server_without_database}/transfers/s-400-2015/")
    assert status == 503
    assert b"database" in body
