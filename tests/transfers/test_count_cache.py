"""A list's count is computed once per data version and filter, and recounted after a write.

(By a filter the year groups do not hold, the supplier: a direction's count is read from
them, ``tests/test_grouped_counts.py``.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.models import DataVersion
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


def _get(api, path):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    return response.json(), counts


def test_the_next_page_reuses_the_count_and_a_write_recounts(api, fragment_cache):
    first, counted = _get(api, "/api/transfers/?supplier=russia&page_size=5")
    second, recounted = _get(api, "/api/transfers/?supplier=russia&page_size=5&page=2")
    assert len(counted) == 1
    assert recounted == []
    assert second["count"] == first["count"]
    assert [t["slug"] for t in second["results"]] != [t["slug"] for t in first["results"]]

    other, other_counts = _get(api, "/api/transfers/?supplier=china&page_size=5")
    assert len(other_counts) == 1
    assert other["count"] != first["count"]

    TransferFactory(direction="ru-cn", supplier__slug="russia", recipient__slug="china")
    DataVersion.bump()
    after, _ = _get(api, "/api/transfers/?supplier=russia&page_size=5&page=2")
    assert after["count"] == first["count"] + 1


@pytest.mark.parametrize(
    "query",
    ["page_size=3", "page_size=3&ordering=-value_usd", "page_size=2&direction=ru-cn&ordering=designation"],
)
def test_a_deep_page_found_by_its_keys_is_the_page_an_offset_finds(api, monkeypatch, query):
    from ground.pagination import CountPerDataVersionPaginator

    pages = range(1, 5)
    by_offset = [api.get(f"/api/transfers/?{query}&page={n}").json() for n in pages]
    monkeypatch.setattr(CountPerDataVersionPaginator, "DEFERRED_FROM", 0)
    with CaptureQueriesContext(connection) as queries:
        by_keys = [api.get(f"/api/transfers/?{query}&page={n}").json() for n in pages]
    assert by_keys == by_offset
    assert any(q["sql"].startswith('SELECT "transfers_transfer"."slug"') for q in queries.captured_queries)
