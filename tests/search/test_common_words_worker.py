"""A real Redis broker and a real ``celery -A mtc worker`` keep the common words' search
summaries of each new data version (PostgreSQL: the worker is another process)."""

import pytest

from ground.models import DataVersion
from search.models import CommonWordSummary
from tests.aggregates.stats_support import celery_broker, on_postgres
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
