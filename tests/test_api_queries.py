"""Each list runs a constant number of queries, whatever its page size or format."""

import pytest

from tests.query_counts import SUMMARY_WORK_MEM
from timeline.record_types import RECORD_TYPES

pytestmark = pytest.mark.django_db

# A read opens no transaction (ground.middleware.AtomicWritesMiddleware): data version,
# COUNT, rows, and one query per prefetched relation.
LIST_QUERIES = {
    "/api/periods/": 3,  # data version, count, rows
    "/api/events/": 5,  # + actors, citations
    "/api/transfers/": 4,  # + citations (supplier, recipient, period joined)
    "/api/projects/": 5,  # + partners, citations
    "/api/figures/": 4,
    "/api/actors/": 4,
    "/api/policy-options/": 4,
    "/api/analyses/": 6,  # + co-authors, actors, citations (period and author joined)
    "/api/documents/": 3,
    "/api/sources/": 4,  # + endnote works with their notes
    "/api/endnotes/": 4,  # + works with their sources
    "/api/citations/": 3,  # record slugs by subquery
    "/api/systems/": 4,  # + names
}


# A JSON page of a list read lean (``ground.lean_rows``, tests/test_api_lean_reads.py) is
# located by its keys first (the index alone, so deep pages stay cheap), then read: one more.
LEAN_LISTS = {
    "/api/events/",
    "/api/transfers/",
    "/api/projects/",
    "/api/figures/",
    "/api/actors/",
    "/api/policy-options/",
}


# Transfers' JSON rows are stored ready to send (``ground.stored_rows``,
# tests/test_stored_rows.py): their columns and citations are one read of those rows.
STORED_LISTS = {"/api/transfers/"}


def lean_keys(path: str, fmt: str = "json") -> int:
    return int(path in LEAN_LISTS and fmt == "json") - int(path in STORED_LISTS and fmt == "json")


@pytest.mark.parametrize(("path", "queries"), LIST_QUERIES.items())
@pytest.mark.parametrize("page_size", [1, 10, 500])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_list_query_count_is_constant(api, django_assert_num_queries, path, queries, page_size, fmt):
    # Warm, as a running server is: the content-type cache, and on PostgreSQL the page's
    # statements, prepared on their second run on a connection (ground/plan_cache.py:
    # up to three queries more that once).
    for _ in range(2):
        api.get(path, {"page_size": page_size, "format": fmt})
    with django_assert_num_queries(queries + lean_keys(path, fmt)):
        response = api.get(path, {"page_size": page_size, "format": fmt})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # The list's queries and one more: the bounded read of the index's matches
        # (ground.search_index.matching_record_ids), then the list by those ids.
        ("/api/transfers/", 5),
        ("/api/events/", 6),
        ("/api/search/", 0),  # measured below
    ],
)
@pytest.mark.parametrize("page_size", [1, 10, 500])
def test_searching_a_list_costs_one_query_more(api, django_assert_num_queries, path, queries, page_size):
    params = {"q": "Lada-class", "page_size": page_size}  # found in every record type
    api.get(path, params)
    if path == "/api/search/":
        # The version, the summary the worker keeps of a common word (none: the report
        # is small), the matches' summary (the counts grouped by type and period and by
        # system, and the ranking: the total, the facets, whether anything matches, the
        # page's keys), the page's rows, their snippets, the periods' and systems' labels.
        queries = 7 + SUMMARY_WORK_MEM
    with django_assert_num_queries(queries + lean_keys(path)):
        assert api.get(path, params).status_code == 200


# The timeline: data version + a COUNT per record type (5), then the page located by
# the types' sort keys (one UNION query), then the rows and citations of each type shown.
TIMELINE_FIXED_QUERIES = 7


@pytest.mark.parametrize("q", ["", "Lada-class"])  # found in every record type
@pytest.mark.parametrize("page_size", [1, 10, 500])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_timeline_reads_the_rows_of_the_types_shown_only(api, django_assert_num_queries, q, page_size, fmt):
    params = {"page_size": page_size, **({"q": q} if q else {})}
    shown = {item["type"] for item in api.get("/api/timeline/", params).json()["results"]}
    # With q, each of the five record types first reads its matches from the index
    # (bounded); a type with none needs no COUNT (Django answers 0 for an empty id list).
    unmatched = sum(not rt.model.objects.matching(q).exists() for rt in RECORD_TYPES.values()) if q else 0
    queries = TIMELINE_FIXED_QUERIES + 2 * len(shown) + (5 if q else 0) - unmatched
    assert queries <= TIMELINE_FIXED_QUERIES + 2 * 5 + 5  # five record types at most, whatever the rows
    with django_assert_num_queries(queries):
        assert api.get("/api/timeline/", {**params, "format": fmt}).status_code == 200


def test_timelinejs_query_count(api, django_assert_num_queries):
    api.get("/api/timeline/")
    # The list's queries per record type (rows, citations), one COUNT per type (X-Total-Count
    # and the anonymous export limit) and the periods (eras), whatever the number of records.
    with django_assert_num_queries(17):
        response = api.get("/api/timeline/", {"format": "timelinejs"})
        assert response.status_code == 200
        assert b"".join(response.streaming_content)


def test_a_304_runs_only_the_version_query(api, django_assert_num_queries):
    etag = api.get("/api/transfers/")["ETag"]
    with django_assert_num_queries(1):
        assert api.get("/api/transfers/", HTTP_IF_NONE_MATCH=etag).status_code == 304
