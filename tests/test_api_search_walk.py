"""A list that ``q`` alone filters, when the query has many matches, finds its first page
by walking the list in its order and checking each record's entry
(``CitedRecordQuerySet.matching_alone``), and counts from the index
(``ground.search_index.matching_count``) rather than its rows.

"Many" is more than ``FEW_MATCHES`` (1,000); it is lowered to 0 here so that every
query of the report's transfers takes that path. What a client gets must not change:
each list is compared, page by page through its ``next`` links, with the same list
read the other way (the matches' ids), for every ordering.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground import search_index

pytestmark = pytest.mark.django_db

QUERIES = ["aircraft", "S-400", '"air defense"', "Su-27 or Su-30", "aircraft -engines", "defence", "zzzz"]
ORDERINGS = ["", "date", "-date", "value_usd", "-value_usd", "designation", "-designation", "year_ordered"]
WALKED = '"record_id" = ("transfers_transfer"."id")'  # the per-record check of the walk


def _walk_list(api, params: dict) -> tuple[list[list[str]], list[dict], list[str]]:
    """Every page of the list by its ``next`` links: slugs per page, bodies, the SQL run."""
    pages, bodies = [], []
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/transfers/", params)
        while True:
            assert response.status_code == 200, response.content
            body = response.json()
            bodies.append({k: v for k, v in body.items() if k not in ("results", "next", "previous")})
            pages.append([row["slug"] for row in body["results"]])
            if body["next"] is None:
                break
            response = api.get(body["next"])
    return pages, bodies, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("query", QUERIES)
def test_a_list_searched_alone_is_the_same_walked_as_read_by_ids(api, monkeypatch, query, ordering):
    params = {"q": query, "page_size": 2, **({"ordering": ordering} if ordering else {})}
    by_ids = _walk_list(api, params)
    monkeypatch.setattr(search_index, "FEW_MATCHES", 0)
    walked = _walk_list(api, params)
    assert walked[:2] == by_ids[:2]
    if by_ids[0][0]:  # a query with matches: its first page was walked, the rest read by ids
        assert any(WALKED in sql for sql in walked[2])
        assert not any(WALKED in sql for sql in by_ids[2])


def test_a_search_under_another_filter_or_past_the_first_page_is_read_by_ids(api, monkeypatch):
    """Under another filter a common word can match none of its records, and the walk
    would read all of them; past the first page it would read every page before."""
    monkeypatch.setattr(search_index, "FEW_MATCHES", 0)
    for params in ({"q": "aircraft", "category": "aircraft"}, {"q": "aircraft", "page": 2, "page_size": 2}):
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/transfers/", params).status_code == 200
        assert not any(WALKED in q["sql"] for q in queries.captured_queries)


def test_a_list_searched_alone_is_counted_in_the_index_and_others_by_their_rows(api):
    with CaptureQueriesContext(connection) as alone:
        body = api.get("/api/transfers/", {"q": "aircraft"}).json()
    counts = [q["sql"] for q in alone.captured_queries if "COUNT(" in q["sql"]]
    assert counts
    assert all("ground_searchentry" in sql.split("WHERE")[0] for sql in counts)
    assert body["count"] == len(body["results"]) == 8

    with CaptureQueriesContext(connection) as filtered:
        body = api.get("/api/transfers/", {"q": "aircraft", "direction": "ru-cn"}).json()
    counts = [q["sql"] for q in filtered.captured_queries if "COUNT(" in q["sql"]]
    assert counts
    assert all("transfers_transfer" in sql.split("WHERE")[0] for sql in counts)
    assert body["count"] == len(body["results"])


def test_the_last_page_of_a_list_searched_alone_counts_every_match(api, monkeypatch):
    """``page=last`` needs the exact count: the index's, uncapped."""
    monkeypatch.setattr(search_index, "FEW_MATCHES", 0)
    body = api.get("/api/transfers/", {"q": "aircraft", "page_size": 3, "page": "last"}).json()
    assert body["count"] == 8
    assert body["count_exact"] is True
    assert len(body["results"]) == 2
