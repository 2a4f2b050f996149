"""A broker that accepts connections and never answers (Redis under ``kill -STOP``).

Against real processes: gunicorn with two workers, a Celery worker and beat, all
pointed at a fake broker (``tests.fault_servers.HungServer``). Writes must still be
answered (and kept) within seconds, reads and ``/healthz`` must keep answering, and
once the broker answers again the statistics must catch up without another write.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token

from periods.models import Event
from tests import live_gunicorn
from tests.aggregates.stats_support import TEST_REDIS_URL, database_url, on_postgres
from tests.fault_servers import HungServer
from tests.live_gunicorn import ROOT, exchange, request

pytestmark = [pytest.mark.worker, on_postgres]

WRITERS = 20


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.fixture
def hung_broker():
    with HungServer() as server:
        yield server


@pytest.fixture
def editor_token(loaded_report) -> str:
    user = User.objects.create_user("hung-editor", password="x")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_event", "change_event"]))
    return Token.objects.create(user=user).key


def celery(tmp_path, name: str, broker_url: str, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mtc.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "STATS_STALE_SWEEP_SECONDS": "10",
    }
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mtc", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def event(n: int) -> dict:
    return {
        "slug": f"hung-{n}",
        "title": f"Written while the broker hung {n}",
        "kind": "other",
        "period": "2014-present",
        "date": "2016",
        "date_edtf": "2016",
        "uncited_reason": "Created by the hung-broker test.",
    }


def test_a_hung_broker_neither_blocks_writes_reads_nor_healthz_and_stats_catch_up(hung_broker, editor_token, tmp_path):
    import redis

    real = urlsplit(TEST_REDIS_URL)
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    broker_url = f"redis://127.0.0.1:{hung_broker.port}{real.path}"
    worker = celery(tmp_path, "worker", broker_url, "worker", "--pool=solo", "--without-gossip",
                    "--without-mingle", "--without-heartbeat", "--loglevel=INFO")  # fmt: skip
    beat = celery(tmp_path, "beat", broker_url, "beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule"))
    try:
        with live_gunicorn.gunicorn(
            tmp_path / "gunicorn.log", ready=(503,), CELERY_BROKER_URL=broker_url, BROKER_PUBLISH_IN_BACKGROUND="1"
        ) as base:
            with ThreadPoolExecutor(WRITERS + 4) as pool:
                # A live site's workers have served requests before: load the code in both.
                list(pool.map(lambda _: request(f"{base}/api/events/?page_size=1"), range(8)))
                writes = [
                    pool.submit(timed, lambda n=n: request(f"{base}/api/events/", token=editor_token, payload=event(n)))
                    for n in range(WRITERS)
                ]
                reads = [pool.submit(timed, lambda: request(f"{base}/api/transfers/?page_size=5")) for _ in range(4)]
                written = [future.result() for future in writes]
                read = [future.result() for future in reads]

            assert [status for (status, _), _ in written] == [201] * WRITERS, written[0][0][1]
            assert max(seconds for _, seconds in written) < 3, sorted(round(seconds, 2) for _, seconds in written)
            assert Event.objects.filter(slug__startswith="hung-").count() == WRITERS
            assert [status for (status, _), _ in read] == [200] * 4

            (status, headers, body), seconds = timed(lambda: exchange(f"{base}/healthz"))
            assert status == 503
            assert seconds < 2
            assert headers["Content-Type"] == "application/json"
            health = json.loads(body)
            assert health["broker"]["ok"] is False
            assert health["database"]["ok"] is True
            assert health["status"] == "degraded"
            assert health["statistics"]["stale"] is True

            hung_broker.forward_to(real.hostname, real.port or 6379)  # the broker answers again
            deadline = time.monotonic() + 60
            stats = {}
            while time.monotonic() < deadline:
                stats = json.loads(request(f"{base}/api/statistics/")[1])
                if not stats["stale"]:
                    break
                time.sleep(1)
            assert stats["stale"] is False, (tmp_path / "worker.log").read_text()[-3000:]
            assert stats["statistics"]["events"]["all"]["total"]["count"] == Event.objects.count()
    finally:
        stop(beat)
        stop(worker)
