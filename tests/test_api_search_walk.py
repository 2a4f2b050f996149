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


def _counts(api, params: dict) -> tuple[dict, list[str]]:
    """The list's answer, and the tables its COUNT queries read."""
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/transfers/", params).json()
    counted = [q["sql"].split("WHERE")[0] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    return body, ["ground_searchentry" if "ground_searchentry" in sql else "transfers_transfer" for sql in counted]


def test_a_list_searched_alone_is_counted_in_the_index_and_others_by_their_rows(api, monkeypatch):
    """Few matches are counted as the ids the index gave (no COUNT at all); many, by a
    COUNT of the index's entries; under another filter, by a COUNT of the list's rows."""
    body, counted = _counts(api, {"q": "aircraft"})
    assert counted == []
    assert body["count"] == len(body["results"]) == 8

    body, counted = _counts(api, {"q": "aircraft", "direction": "ru-cn"})
    assert counted == ["transfers_transfer"]
    assert body["count"] == len(body["results"])

    monkeypatch.setattr(search_index, "FEW_MATCHES", 0)
    body, counted = _counts(api, {"q": "aircraft"})
    assert counted == ["ground_searchentry"]
    assert body["count"] == len(body["results"]) == 8


def test_the_last_page_of_a_list_searched_alone_counts_every_match(api, monkeypatch):
    """``page=last`` needs the exact count: the index's, uncapped."""
    monkeypatch.setattr(search_index, "FEW_MATCHES", 0)
    body = api.get("/api/transfers/", {"q": "aircraft", "page_size": 3, "page": "last"}).json()
    assert body["count"] == 8
    assert body["count_exact"] is True
    assert len(body["results"]) == 2


def test_a_querys_matches_are_read_from_the_index_once_per_data_version(api, fragment_cache, settings):
    """Its page and count, and its other pages and filters, share one read of the ids."""
    settings.DB_PREPARED_STATEMENTS = False  # the SQL itself, not EXECUTE of a prepared statement

    def index_reads(params: dict) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/transfers/", params).status_code == 200
        return sum('FROM "ground_searchentry"' in q["sql"] for q in queries.captured_queries)

    assert index_reads({"q": "aircraft", "page_size": 2}) == 1
    assert index_reads({"q": "aircraft", "page_size": 2, "page": 2}) == 0
    assert index_reads({"q": "aircraft", "category": "aircraft"}) == 0
