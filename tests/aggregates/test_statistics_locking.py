"""Concurrent rebuild requests coalesce; a dead holder blocks nothing; failures are visible.

"Elsewhere" is real: on PostgreSQL a second database session holds the advisory lock;
on SQLite another holder's lease is written to the state row.
"""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from aggregates import statistics
from aggregates.models import StatisticsState
from aggregates.tasks import rebuild_statistics
from tests.factories import TransferFactory

from .stats_support import second_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats() -> statistics.StoredStatistics:
    statistics.rebuild()
    return statistics.current_statistics()


@contextmanager
def rebuild_running_elsewhere():
    """Another process holds the rebuild lock; ``crash()`` makes it die without releasing."""
    if connection.vendor == "postgresql":
        key = statistics._AdvisoryLock.KEY
        with second_session() as other:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [key])
                pid = other.get_backend_pid()

            def crash():
                other.close()  # what a killed worker's dropped connection does
                wait_until_backend_gone(pid)

            yield crash
            if not other.closed:
                with other.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    else:
        lease = {"lease_token": "another-process", "lease_expires": timezone.now() + timedelta(minutes=5)}
        StatisticsState.objects.filter(id=1).update(**lease)

        def crash():  # the holder never releases; its lease runs out
            StatisticsState.objects.filter(id=1).update(lease_expires=timezone.now() - timedelta(seconds=1))

        yield crash
        StatisticsState.objects.filter(id=1, lease_token="another-process").update(lease_token="", lease_expires=None)


def wait_until_backend_gone(pid: int, timeout: float = 10) -> None:
    """The server ends a session whose client vanished a moment later, not at once.

    pg_locks is read live on every query (pg_stat_activity would be cached per transaction).
    """
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            assert time.monotonic() < deadline, f"backend {pid} still alive after {timeout} s"
            time.sleep(0.05)


def transfer_count() -> int:
    return statistics.current_statistics().block("transfers")["total"]["count"]


def test_a_request_while_a_rebuild_runs_elsewhere_coalesces_and_is_kept(stats):
    TransferFactory()
    with rebuild_running_elsewhere():
        result = statistics.rebuild(force=False)
        assert (result.outcome, result.passes) == ("coalesced", 0)
        assert StatisticsState.objects.get().pending  # the holder will see it and pass again
        assert transfer_count() == 17
    # The holder's next claim of ``pending`` (here: the next rebuild call) counts the transfer.
    assert statistics.rebuild(force=False).outcome == "rebuilt"
    assert transfer_count() == 18


def test_a_request_arriving_during_a_pass_gets_exactly_one_more_pass(stats, monkeypatch):
    compute, calls, nested = statistics.compute, [], []

    def compute_with_a_request_arriving(progress=None):
        calls.append(1)
        if len(calls) == 1:  # mid-pass: a write lands and asks for a rebuild
            TransferFactory()
            nested.append(statistics.rebuild(force=False))
        return compute(progress)

    monkeypatch.setattr(statistics, "compute", compute_with_a_request_arriving)
    result = statistics.rebuild()
    assert nested[0].outcome == "coalesced"
    assert nested[0].passes == 0
    assert result.passes == 2
    assert len(calls) == 2
    assert transfer_count() == 18


def test_a_holder_that_died_mid_rebuild_does_not_block_the_next_run(stats):
    TransferFactory()
    with rebuild_running_elsewhere() as crash:
        assert statistics.rebuild().outcome == "coalesced"
        crash()
        result = statistics.rebuild()
    assert result.outcome == "rebuilt"
    assert transfer_count() == 18


def test_rebuild_stats_waits_for_a_running_rebuild_then_gives_up_clearly(stats, call):
    with rebuild_running_elsewhere(), pytest.raises(CommandError, match="Another rebuild is still running after 0.3 s"):
        call("rebuild_stats", "--wait", "0.3")


def test_rebuild_stats_shows_progress_and_a_summary(stats, call):
    output = call("rebuild_stats")
    assert "[1/4] fingerprint of the data..." in output
    assert "[4/4] swapping in the new statistics..." in output
    assert "Statistics rebuilt: 1 pass(es), 3 aggregate statements" in output
    assert "transfers: 17 (3 with a value totalling $6,160,000,000, 14 without)" in output
    assert "joint projects: 6; events: 38" in output


def test_a_failed_rebuild_is_logged_visible_and_the_old_statistics_stay_served(stats, monkeypatch, caplog, client):
    TransferFactory()
    monkeypatch.setattr(statistics, "_coverage_sql", lambda: ("SELECT no_such_column FROM no_such_table", []))
    outcome = rebuild_statistics.apply()
    assert outcome.failed()
    assert "Statistics rebuild failed" in caplog.text
    stored = statistics.current_statistics()
    assert stored.failing
    assert "no_such_table" in stored.last_error
    assert stored.data == stats.data
    assert stored.stale
    assert client.get("/api/statistics/").json()["failing"] is True
    assert "The last rebuild failed" in client.get("/statistics/").content.decode()

    monkeypatch.undo()
    statistics.rebuild()
    stored = statistics.current_statistics()
    assert not stored.failing
    assert not stored.stale
    assert stored.last_error  # kept as history, no longer the latest outcome
    assert transfer_count() == 18
