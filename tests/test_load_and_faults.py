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
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from rest_framework.authtoken.models import Token

from periods.models import Event
from tests.periods.stats_support import database_url

ROOT = Path(__file__).resolve().parent.parent
CLIENTS, PER_CLIENT = 8, 200

pytestmark = [
    pytest.mark.skipif(not os.environ.get("CI"), reason="starts servers and restarts PostgreSQL/Redis: CI only"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL shared with gunicorn"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url: str, *, token: str | None = None, payload: dict | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        return 0, str(exc).encode()


@pytest.fixture
def gunicorn(loaded_report, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mtc.settings.test",
        "DATABASE_URL": database_url(),
        # Statistics requests go to Redis (db 13, no worker): the write path as deployed.
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mtc.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while request(f"{base}/healthz")[0] != 200:
        assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
        time.sleep(0.3)
    yield base
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


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
    status, body = request(f"{gunicorn}/api/events/?q=Load+test+event&page_size=1")
    assert status == 200 and json.loads(body)["count"] == CLIENTS * PER_CLIENT


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
        assert health["broker"]["ok"] is False and health["database"]["ok"] is True
        assert health["statistics"]["stale"] is True
    finally:
        run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
            "--appendonly", "no")  # fmt: skip
        time.sleep(1)
    assert Event.objects.filter(slug="load-99-1").exists()
