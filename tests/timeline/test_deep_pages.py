"""A slice of several record types is located by the database, and is the page the merge gives.

By default the sort keys of every type are merged in SQL and only the page's rows are
read whole. Here the threshold (``MergedTimeline.DEEP_FROM``) is raised so that the
report's own timeline is also paged by merging whole rows in Python: every page must be
the same, in order, for every ordering and filter, on the page and through the API.

A counted page starts reading at its own first year (``_page_year``): the pages, one
type or several, must join up into the selection read from its first row, uncounted.
"""

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from periods.models import Analysis, Event, Figure
from timeline.filters import timeline_query
from timeline.selectors import MergedTimeline, timeline
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "undated=1",
    "ordering=-date",
    "ordering=-date&undated=1",
    "type=transfer&type=event&actor=russia",
    "type=transfer&type=event&actor=russia&ordering=-date",
    "q=S-400",
    "period=1992-2006&undated=1",
]


def _pages(api, query: str, size: int = 3) -> list[list[tuple[str, str]]]:
    pages, page = [], 1
    while True:
        body = api.get(f"/api/timeline/?{query}&page_size={size}&page={page}").json()
        pages.append([(item["type"], item["slug"]) for item in body["results"]])
        if not body["next"]:
            return pages
        page += 1


@pytest.mark.parametrize("query", QUERIES)
def test_every_page_located_in_the_database_is_the_merged_page(api, monkeypatch, query):
    merged = _pages(api, query)
    monkeypatch.setattr(MergedTimeline, "DEEP_FROM", 10**9)
    assert _pages(api, query) == merged
    assert len(merged) > 1  # several pages, so the offsets are exercised


def test_the_home_page_far_down_shows_the_same_records(client, monkeypatch):
    before = client.get("/?page=2&undated=1").content.decode()
    monkeypatch.setattr(MergedTimeline, "DEEP_FROM", 10**9)
    after = client.get("/?page=2&undated=1").content.decode()
    assert after == before


@pytest.mark.parametrize(
    "query",
    [
        *QUERIES,
        "type=transfer&undated=1",
        "type=transfer&ordering=-date",
        "type=event&type=figure&from=2000",
        "type=project&type=transfer&to=2012&ordering=-date",
        "from=2008&to=2016",
        "period=2014-present&ordering=-date",
        "direction=ru-cn",
        "type=transfer&from=2012",
        "type=event&type=transfer&from=2016&ordering=-date",
        "type=transfer&from=2012&to=2014&ordering=-date",
    ],
)
@pytest.mark.parametrize("size", [1, 3])
def test_pages_starting_at_their_own_year_join_up_into_the_whole_selection(api, monkeypatch, query, size):
    """The reference is the selection merged whole in Python (``records()``: no count, no
    year bound); pages of 1 and 3 start in every year, mid-year and on a year's first
    record. The walk ends where the count says, with no page empty or overlapping."""
    monkeypatch.setattr(MergedTimeline, "DEEP_FROM", 0)
    selection = timeline(timeline_query(QueryDict(query)), citations=False)
    whole = [(record.timeline_type, record.slug) for record in selection.records()]
    pages = _pages(api, query, size=size)
    assert [row for page in pages for row in page] == whole
    assert all(pages)
    assert len(pages) >= 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans; SQLite's differ")
@pytest.mark.parametrize("model", [Event, Transfer, Project, Figure, Analysis], ids=lambda m: m.__name__)
@pytest.mark.parametrize("descending", [False, True], ids=["oldest-first", "newest-first"])
def test_a_dated_selection_is_read_in_either_order_by_walking_an_index(model, descending):
    """Neither order sorts rows: with sorting made prohibitively expensive, PostgreSQL
    still plans no Sort, so the order is an index's (forwards or backwards) and a page
    stops after its rows. Newest first asking for undated rows last planned a Sort."""
    ordered = model.objects.dated().chronological(descending=descending, undated=False)
    sql, params = ordered[:10].query.sql_with_params()
    plan = _plan(sql, params, priced_out=("enable_sort", "enable_incremental_sort"))
    assert "Sort" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans; SQLite's differ")
@pytest.mark.parametrize(
    "params", ["", "ordering=-date", "ordering=-date&undated=1", "period=2006-2014&ordering=-date"]
)
def test_a_deep_page_merges_the_types_index_orders_rather_than_sorting_them(params):
    """The keys query of a page of several types asks for each part's own order, so
    PostgreSQL merges the parts (Merge Append) and reads no further than the page; with
    the nulls placed otherwise than the parts', it could only sort every part's rows."""
    records = timeline(timeline_query(QueryDict(params)), citations=False)
    with CaptureQueriesContext(connection) as queries:
        assert records[3:6]
    (keys_sql,) = [q["sql"] for q in queries.captured_queries if "timeline_order" in q["sql"]]
    plan = _plan(keys_sql, priced_out=("enable_sort",))
    assert "Merge Append" in plan, plan


def _plan(sql, params=(), *, priced_out):
    """The plan PostgreSQL picks with the `priced_out` planner methods made too costly to
    choose. A single type's page prices out both sorts: `enable_sort` alone leaves an
    Incremental Sort over the one-column `date_start` index cheap, and on a small table
    the planner took one over the chronological index. The merged keys keep Incremental
    Sort: each part adds its constant `timeline_order` to its index's order by one."""
    settings, _, query = sql.rpartition("; ")  # its own SET LOCAL first (``timeline.unions.serial``)
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in priced_out:
            cursor.execute(f"SET LOCAL {setting} = off")
        if settings:
            cursor.execute(settings)
        cursor.execute("EXPLAIN " + query, params)
        return "\n".join(row[0] for row in cursor.fetchall())
