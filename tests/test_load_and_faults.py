"""Load without loss and riding through faults, against gunicorn on PostgreSQL.

8 concurrent API clients each create 200 records: every record is stored exactly once
and no request fails. Then PostgreSQL is restarted under the running app, and Redis is
stopped: the app keeps serving and accepting writes without being restarted.

These tests start servers and restart PostgreSQL and Redis, so they run where CI runs
(``CI=true``, PostgreSQL); a laptop's ``make test`` reports them as skipped with that
reason (run them with ``CI=true make test``).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from rest_framework.authtoken.models import Token

from periods.models import Event
from tests import live_gunicorn
from tests.live_gunicorn import request

CLIENTS, PER_CLIENT = 8, 200

pytestmark = [
    pytest.mark.skipif(not os.environ.get("CI"), reason="starts servers and restarts PostgreSQL/Redis: CI only"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL shared with gunicorn"),
]


@pytest.fixture
def gunicorn(loaded_report, tmp_path):
    with live_gunicorn.gunicorn(tmp_path / "gunicorn.log") as base:
        yield base


@pytest.fixture
def editor_token(loaded_report) -> str:
    user = User.objects.create_user("load-editor", password="x")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_event", "change_event"]))
    return Token.objects.create(user=user).key


def event_payload(client: int, n: int) -> dict:
    return {
        "slug": f"load-{client}-{n}",
        "title": f"Load test event {client}-{n}",
        "kind": "other",
        "period": "2014-present",
        "date": "2016",
        "date_edtf": "2016",
        "uncited_reason": "Created by the load test.",
    }


def test_concurrent_writers_lose_nothing(gunicorn, editor_token):
    before = Event.objects.count()

    def client(number: int) -> list[int]:
        return [
            request(f"{gunicorn}/api/events/", token=editor_token, payload=event_payload(number, n))[0]
            for n in range(PER_CLIENT)
        ]

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [status for result in pool.map(client, range(CLIENTS)) for status in result]

    failures = [s for s in statuses if s != 201]
    print(f"load: {len(statuses)} requests sent, {len(failures)} failures, statuses {sorted(set(statuses))}")
    assert failures == []
    slugs = list(Event.objects.filter(slug__startswith="load-").values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == CLIENTS * PER_CLIENT  # every record exactly once
    assert Event.objects.count() == before + CLIENTS * PER_CLIENT
    # page=last: a searched list counts past its cap (1,500) only when asked for its last page.
    status, body = request(f"{gunicorn}/api/events/?q=Load+test+event&page_size=1&page=last")
    assert status == 200
    assert json.loads(body)["count"] == CLIENTS * PER_CLIENT
    assert json.loads(body)["count_exact"] is True


def run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def postgres(action: str) -> None:
    version = next(iter(sorted(os.listdir("/etc/postgresql"))))
    run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action)


def test_the_app_rides_through_a_postgresql_restart_and_a_redis_outage(gunicorn, editor_token):
    assert request(f"{gunicorn}/api/periods/")[0] == 200
    connection.close()
    postgres("restart")
    deadline = time.monotonic() + 60
    statuses = []
    while time.monotonic() < deadline:
        statuses.append(request(f"{gunicorn}/api/events/?page_size=5")[0])
        if statuses[-1] == 200:
            break
        time.sleep(0.5)
    # Once PostgreSQL is back every request succeeds, with the same gunicorn processes.
    assert statuses[-1] == 200
    assert all(request(f"{gunicorn}/api/transfers/?page_size=5")[0] == 200 for _ in range(10))

    run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave")
    try:
        status, body = request(f"{gunicorn}/api/events/", token=editor_token, payload=event_payload(99, 1))
        assert status == 201, body  # the write is kept although the broker is down
        health = json.loads(request(f"{gunicorn}/healthz")[1])
        assert health["broker"]["ok"] is False
        assert health["database"]["ok"] is True
        assert health["statistics"]["stale"] is True
    finally:
        run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
            "--appendonly", "no")  # fmt: skip
        time.sleep(1)
    assert Event.objects.filter(slug="load-99-1").exists()
