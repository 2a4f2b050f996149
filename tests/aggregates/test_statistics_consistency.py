"""A reader during a rebuild sees the old statistics or the new ones, never a mix.

The rebuild runs in a thread (its own database connection) and is held just before
its swap transaction commits; meanwhile this test reads on its own connection, through
the selector, the JSON endpoint and the page. PostgreSQL only: two connections reading
and writing at once is what MVCC is for; SQLite's shared in-memory test database
locks the reader out instead.
"""

from __future__ import annotations

import threading

from django.db import connection

from aggregates import statistics
from aggregates.signals import snapshot_swapped
from ground import change_bus as changes
from tests.factories import TransferFactory

from .stats_support import assert_consistent, on_postgres

pytestmark = on_postgres


def test_a_reader_during_the_swap_sees_the_old_set_then_the_new_one(loaded_report, monkeypatch, client, request):
    old = statistics.current_statistics()
    assert assert_consistent(old) == 17

    monkeypatch.setattr(changes, "_listeners", [])  # this test runs the rebuild itself
    TransferFactory()
    TransferFactory()

    in_swap, release, errors = threading.Event(), threading.Event(), []

    def hold_the_swap(**kwargs) -> None:
        in_swap.set()
        release.wait(30)

    snapshot_swapped.connect(hold_the_swap)
    request.addfinalizer(lambda: snapshot_swapped.disconnect(hold_the_swap))

    def rebuild() -> None:
        try:
            statistics.rebuild()
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=rebuild)
    thread.start()
    try:
        assert in_swap.wait(30), "the rebuild never reached its swap"
        during = statistics.current_statistics()
        assert assert_consistent(during) == 17
        assert (during.computed_at, during.data) == (old.computed_at, old.data)
        body = client.get("/api/statistics/").json()
        assert body["computed_at"] == old.computed_at.isoformat().replace("+00:00", "Z")
        assert body["statistics"]["transfers"]["all"]["total"]["count"] == 17
        assert body["fingerprint"]["counts"]["transfers_transfer"] == 17
    finally:
        release.set()
        thread.join(30)
    assert not errors, errors

    new = statistics.current_statistics()
    assert assert_consistent(new) == 19
    assert not new.stale
    assert new.computed_at > old.computed_at
