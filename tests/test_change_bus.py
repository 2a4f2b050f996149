"""Every write path bumps the data version and notifies listeners once, after commit."""

import pytest
from django.db import transaction

from aggregates.tasks import enqueue_rebuild_after_change
from ground import change_bus as changes
from ground.models import DataVersion
from search.tasks import enqueue_after_change
from tests.factories import ActorFactory, EventFactory, TransferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def listener():
        calls.append(1)

    changes.on_content_change(listener)
    yield calls
    changes._listeners.remove(listener)


def test_a_save_bumps_the_version_in_the_same_transaction():
    before = DataVersion.current().version
    EventFactory()
    assert DataVersion.current().version > before


def test_listeners_run_once_per_transaction_after_commit(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for _ in range(5):
                TransferFactory()
        assert heard == []  # nothing before commit
    assert len(callbacks) == 1
    assert heard == [1]


def test_m2m_changes_and_deletes_notify(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event, actor = EventFactory(), ActorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event.actors.add(actor)
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert heard == [1, 1, 1]


def test_a_rolled_back_write_notifies_nobody_and_later_writes_still_do(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 - the write and the raise are the transaction rolled back
        EventFactory()
        raise RuntimeError("abort")
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory()
    assert heard == [1]


def test_a_listener_registered_last_runs_after_every_other(django_capture_on_commit_callbacks):
    """The search's common words are asked for after the statistics (``search.apps``),
    whose request must meet a down broker first and record its error."""
    order = []

    def late():
        order.append("late")

    def early():
        order.append("early")

    changes.on_content_change(late, last=True)
    changes.on_content_change(early)  # registered after it, run before it
    try:
        with django_capture_on_commit_callbacks(execute=True):
            TransferFactory()
    finally:
        changes._last_listeners.remove(late)
        changes._listeners.remove(early)
    assert order == ["early", "late"]
    every = [*changes._listeners, *changes._last_listeners]
    assert every.index(enqueue_rebuild_after_change) < every.index(enqueue_after_change)
