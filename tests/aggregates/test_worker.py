"""A real Redis broker and a real ``celery -A mtc worker`` process keep the statistics fresh.

The worker is started by the fixture below as a subprocess on the test database, so it
needs the test's committed data: PostgreSQL only (SQLite's in-memory test database is
not shared between processes). CI runs these on PostgreSQL with ``TEST_REDIS_URL``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from aggregates import statistics
from periods.models import Period
from tests.factories import TransferFactory

from .stats_support import TEST_REDIS_URL, assert_consistent, celery_broker, database_url, on_postgres, reachable_redis

pytestmark = [pytest.mark.worker, on_postgres]

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


def wait_for(condition, what: str, timeout: float = WAIT_SECONDS):
    """Poll ``condition`` until it returns something truthy, or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a lost machine would: no cleanup runs."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def redis_broker():
    client = reachable_redis()
    client.flushdb()  # our own test database number: no stale messages from an earlier run
    yield TEST_REDIS_URL
    client.flushdb()


@pytest.fixture
def start_worker(redis_broker, loaded_report, tmp_path):
    """Start ``celery -A mtc worker`` on the test database and Redis; always stopped after."""
    workers: list[Worker] = []

    def start(*extra_args: str, **extra_env: str) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mtc.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": redis_broker,
            **extra_env,
        }
        log = tmp_path / f"worker-{len(workers)}.log"
        command = [sys.executable, "-m", "celery", "-A", "tests.worker_app", "worker", "--pool=solo", "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"t{uuid.uuid4().hex[:8]}@%h"]
        command += [*extra_args, *(["-s", str(tmp_path / f"beat-{len(workers)}")] if "--beat" in extra_args else [])]
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        worker = Worker(process, log)
        workers.append(worker)
        wait_for(lambda: " ready." in worker.output() or process.poll() is not None, "the worker to start")
        assert process.poll() is None, worker.output()
        return worker

    yield start
    for worker in workers:
        worker.stop()


def transfers_total(stored: statistics.StoredStatistics) -> int:
    return stored.block("transfers")["total"]["count"]


def test_a_transfer_appears_in_the_statistics_and_deleting_it_takes_it_out(start_worker, redis_broker):
    worker = start_worker()
    before = statistics.current_statistics()
    assert transfers_total(before) == 17
    assert not before.stale

    with celery_broker(redis_broker):  # this process only publishes; the worker rebuilds
        transfer = TransferFactory(period=Period.objects.get(slug="2014-present"), value_usd=Decimal("1234"))
        assert statistics.current_statistics().stale
        stored = wait_for(
            lambda: (s := statistics.current_statistics()) and not s.stale and transfers_total(s) == 18 and s,
            "the worker to count the new transfer",
        )
        ru_cn = stored.block("transfers", "period", "2014-present")["direction"]["ru-cn"]
        assert ru_cn["value_usd"] == 5_500_001_234

        transfer.delete()
        wait_for(
            lambda: (s := statistics.current_statistics()) and not s.stale and transfers_total(s) == 17,
            "the worker to drop the deleted transfer",
        )
    assert "aggregates.tasks.rebuild_statistics" in worker.output()
    assert "succeeded" in worker.output()


def swap_in_progress() -> int | None:
    """The pid of a session holding the statistics swap open (written, not committed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state = 'idle in transaction' AND query LIKE 'DELETE FROM \"periods_statisticssnapshot\"%%'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def test_a_worker_killed_mid_rebuild_leaves_the_previous_statistics_and_the_next_run_completes(
    start_worker, redis_broker, call
):
    # The worker holds its swap transaction open for two minutes (a test-only pause read
    # from STATS_REBUILD_TEST_PAUSE by tests/worker_app.py), so it can be killed mid-swap.
    worker = start_worker(STATS_REBUILD_TEST_PAUSE="120")
    before = statistics.current_statistics()
    with celery_broker(redis_broker):
        TransferFactory()
    wait_for(swap_in_progress, "the worker to be mid-swap")

    worker.kill()
    stored = statistics.current_statistics()
    assert (stored.computed_at, stored.data) == (before.computed_at, before.data)  # the previous set
    assert stored.stale
    assert assert_consistent(stored) == 17

    output = call("rebuild_stats")  # waits until the server has dropped the dead worker's lock
    assert "Statistics rebuilt" in output
    stored = statistics.current_statistics()
    assert not stored.stale
    assert assert_consistent(stored) == 18
