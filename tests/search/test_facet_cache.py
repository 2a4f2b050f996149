"""The search page's facet counts are kept per data version and query.

A reader paging through a common word, or choosing a type, period or system, asked for the
same counts again: at a million records ``helicopter``'s 150,978 matches were grouped twice
on every page (263 ms by type and period, 287 ms by system). A write bumps the version,
and the next search counts again.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.models import DataVersion
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


def _search(api, **params) -> tuple[dict, list[str]]:
    """The /api/search/ answer and the grouped counts its request ran."""
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/search/", {"q": "aircraft", "page_size": 2, **params})
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]


def _count(answer: dict, facet: str, value: str) -> int:
    (count,) = [f["count"] for f in answer["facets"][facet] if f["value"] == value]
    return count


def test_paging_and_choosing_a_type_reuse_the_facets_and_a_write_refreshes_them(
    api, fragment_cache, django_capture_on_commit_callbacks
):
    first, grouped = _search(api)
    assert len(grouped) == 1  # by type and period, and by system: one read of the matches (the summary)
    second, grouped = _search(api, page=2)
    assert grouped == []
    assert (second["count"], second["facets"]) == (first["count"], first["facets"])
    assert second["results"] != first["results"]

    # Choosing a type, a period or a system counts nothing again: every facet is a sum of
    # the cells counted once for the words (tests/search/test_results_page.py holds each
    # sum equal to its own count).
    typed, grouped = _search(api, type="transfer")
    assert grouped == []
    assert typed["facets"]["type"] == first["facets"]["type"]
    assert typed["count"] == _count(first, "type", "transfer") < first["count"]
    system = first["facets"]["system"][0]["value"]
    narrowed, grouped = _search(api, type="transfer", system=system)
    assert grouped == []
    assert narrowed["count"] == _count(typed, "system", system)

    with django_capture_on_commit_callbacks(execute=True):
        TransferFactory(slug="aircraft-facet-deal", designation="Facet aircraft")
    DataVersion.bump()
    after, grouped = _search(api, page=2)
    assert len(grouped) == 1
    assert after["count"] == first["count"] + 1
