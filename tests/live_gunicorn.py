"""Run the app under gunicorn on the test database, for tests that need real processes.

Used by the load/fault tests and the cross-process response-cache test: what they
check (no lost writes, riding through restarts, no stale read in any worker) only
shows with several worker processes sharing PostgreSQL.
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
from contextlib import contextmanager
from pathlib import Path

from tests.aggregates.stats_support import database_url

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(
    url: str, *, token: str | None = None, payload: dict | None = None, method: str | None = None
) -> tuple[int, bytes]:
    """(status, body) of one JSON request; status 0 when nothing answered."""
    status, _, body = exchange(url, token=token, payload=payload, method=method)
    return status, body


def exchange(
    url: str, *, token: str | None = None, payload: dict | None = None, method: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """(status, response headers, body) of one JSON request; status 0 when nothing answered."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(url, data=data, headers=headers, method=method or ("POST" if data else "GET"))
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        return 0, {}, str(exc).encode()


@contextmanager
def gunicorn(log_path: Path, workers: int = 2, ready: tuple[int, ...] = (200,), **env_extra: str):
    """Serve the app on a free port with ``workers`` processes; yields the base URL.

    Ready when ``/healthz`` answers with a status in ``ready`` (fault tests start the app
    with a dependency down, where it answers 503).
    """
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mtc.settings.test",
        "DATABASE_URL": database_url(),
        # Statistics requests go to Redis (db 13, no worker): the write path as deployed.
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **env_extra,
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mtc.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
             "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while request(f"{base}/healthz")[0] not in ready:
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.3)
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
