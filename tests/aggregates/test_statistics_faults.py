"""The broker is down when a record is saved: the write stands, the statistics say stale,
and the next rebuild catches up."""

import pytest

from aggregates import statistics
from tests.factories import TransferFactory
from transfers.models import Transfer

from .stats_support import celery_broker, closed_port_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats() -> statistics.StoredStatistics:
    statistics.rebuild()
    return statistics.current_statistics()


def test_broker_down_keeps_the_write_marks_stale_and_rebuild_stats_catches_up(
    stats, django_capture_on_commit_callbacks, caplog, call, client
):
    with celery_broker(closed_port_url()), django_capture_on_commit_callbacks(execute=True) as callbacks:
        transfer = TransferFactory(designation="Written while the broker was down")
    assert len(callbacks) == 1  # the after-commit enqueue ran, failed, and did not raise

    assert Transfer.objects.filter(pk=transfer.pk, designation="Written while the broker was down").exists()
    assert "Could not enqueue the statistics rebuild" in caplog.text
    stored = statistics.current_statistics()
    assert stored.stale
    assert stored.stale_reason.startswith("A rebuild could not be queued (OperationalError")
    assert stored.block("transfers")["total"]["count"] == 17  # the previous statistics, still served
    assert client.get("/api/statistics/").json()["stale"] is True
    assert "A rebuild could not be queued" in client.get("/statistics/").content.decode()

    call("rebuild_stats")
    stored = statistics.current_statistics()
    assert not stored.stale
    assert stored.stale_reason == ""
    assert stored.block("transfers")["total"]["count"] == 18


def test_with_a_live_broker_the_write_only_enqueues(stats, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    from aggregates.tasks import rebuild_statistics
    from ground.tasks import refresh_stored_rows
    from search.tasks import refresh_common_searches

    monkeypatch.setattr(rebuild_statistics, "apply_async", lambda **kwargs: sent.append(("statistics", kwargs)))
    monkeypatch.setattr(refresh_stored_rows, "apply_async", lambda **kwargs: sent.append(("stored rows", kwargs)))
    monkeypatch.setattr(refresh_common_searches, "apply_async", lambda **kwargs: sent.append(("search", kwargs)))
    with celery_broker("redis://unused"), django_capture_on_commit_callbacks(execute=True):
        TransferFactory()
        TransferFactory()
    # Once per transaction each: the statistics unforced, so bursts coalesce.
    assert sent == [("statistics", {"kwargs": {"force": False}}), ("stored rows", {}), ("search", {})]
    assert statistics.current_statistics().stale_reason == ""
