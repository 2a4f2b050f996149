"""A list's count is computed once per data version and filter, and recounted after a write."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.models import DataVersion
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragment_cache(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    caches[settings.RESPONSE_CACHE_ALIAS].clear()
    yield
    caches[settings.RESPONSE_CACHE_ALIAS].clear()


def _get(api, path):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    return response.json(), counts


def test_the_next_page_reuses_the_count_and_a_write_recounts(api, fragment_cache):
    first, counted = _get(api, "/api/transfers/?direction=ru-cn&page_size=5")
    second, recounted = _get(api, "/api/transfers/?direction=ru-cn&page_size=5&page=2")
    assert len(counted) == 1 and recounted == []
    assert second["count"] == first["count"]
    assert [t["slug"] for t in second["results"]] != [t["slug"] for t in first["results"]]

    other, other_counts = _get(api, "/api/transfers/?direction=cn-ru&page_size=5")
    assert len(other_counts) == 1 and other["count"] != first["count"]  # another filter, another count

    TransferFactory(direction="ru-cn", supplier__slug="russia", recipient__slug="china")
    DataVersion.bump()
    after, _ = _get(api, "/api/transfers/?direction=ru-cn&page_size=5&page=2")
    assert after["count"] == first["count"] + 1
