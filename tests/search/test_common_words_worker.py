"""A real Redis broker and a real ``celery -A mtc worker`` keep the common words' search
summaries of each new data version (PostgreSQL: the worker is another process)."""

import pytest

from ground.models import DataVersion
from search.models import CommonWordSummary
from tests.aggregates.stats_support import celery_broker, closed_port_url, on_postgres
from tests.aggregates.test_worker import wait_for
from tests.factories import TransferFactory

pytestmark = [pytest.mark.worker, on_postgres]


def kept_versions() -> set[int]:
    return set(CommonWordSummary.objects.values_list("data_version", flat=True))


def test_after_a_write_the_worker_keeps_the_new_versions_summaries(start_worker, redis_broker, client):
    worker = start_worker(SEARCH_COMMON_WORD_MATCHES="40", SEARCH_COMMON_WORDS="3")
    with celery_broker(redis_broker):  # this process only publishes; the worker computes
        TransferFactory(slug="mtc-worker-probe", designation="Worker probe", notes="Sold by Russia to China")
        version = DataVersion.current().version
        wait_for(lambda: kept_versions() == {version}, "the worker to keep the new version's summaries")
    words = set(CommonWordSummary.objects.filter(kind="").values_list("word", flat=True))
    assert len(words) == 3
    assert "china" in words
    assert "search.tasks.refresh_common_searches" in worker.output()
    assert "succeeded" in worker.output()

    # Read by this process, the page lists the write the worker counted.
    html = client.get("/search/", {"q": "china", "type": "transfer"}).content.decode()
    assert "/transfers/mtc-worker-probe/" in html


def test_a_write_whose_publish_failed_is_caught_up_by_the_beat(start_worker, redis_broker, caplog):
    """The broker was down when the write committed: nothing was queued, and searches
    compute their summaries themselves; once a worker and beat run, the periodic
    ``keep-common-searches`` keeps the current version's."""
    with celery_broker(closed_port_url()):
        TransferFactory(slug="mtc-broker-down", designation="Written while the broker was down")
    assert "Could not enqueue the common words' search summaries" in caplog.text
    version = DataVersion.current().version
    assert version not in kept_versions()

    worker = start_worker(
        "--beat", SEARCH_COMMON_WORD_MATCHES="40", SEARCH_COMMON_WORDS="3", SEARCH_COMMON_SWEEP_SECONDS="1"
    )
    wait_for(lambda: kept_versions() == {version}, "the beat's sweep to keep the current version's summaries")
    assert "search.tasks.refresh_common_searches" in worker.output()
