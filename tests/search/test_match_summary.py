"""A search's grouped counts and its best entries come from one read of its matches.

Every search page needs its matches counted by type and period and by type, period and
system (the facets and the total) and its best entries in order (the page). Each of the
three read every match on its own: at a million records a common word's three reads took
0.7-1 s, a designation's ("Vehicle-21", a phrase) 60 ms. ``summarise_matches`` reads them
once; what it says must be exactly what the three separate reads say, on both databases.
"""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from ground import search_index

pytestmark = pytest.mark.django_db

QUERIES = ["S-400", "aircraft", "Russia China", '"air defense"', "engines -Su-35", "Su-35 or Su-27", "zzzqqq", "the"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("ranked", [1, 4, 1001])
def test_the_summary_says_what_three_separate_reads_say(query, ranked):
    summary = search_index.summarise_matches(query, ranked)

    matching = search_index.matching_entries(query).order_by()
    cells = matching.values_list("kind", "period").annotate(n=Count("pk"))
    system_cells = matching.filter(systems__isnull=False).values_list("kind", "period", "systems__system")
    best = search_index.ranked_entries(query).values_list("pk", "kind", "period")[:ranked]
    assert sorted(summary.cells) == sorted(cells)
    assert sorted(summary.system_cells) == sorted(system_cells.annotate(n=Count("pk")))
    assert summary.ranked == list(best)
    assert summary.ranked_of_kind == []


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("kind", ["event", "transfer", "system"])
def test_a_type_asked_for_is_ranked_in_the_same_read(query, kind):
    summary = search_index.summarise_matches(query, 3, kind)
    best = search_index.ranked_entries(query).values_list("pk", "kind", "period")[:3]
    best_of_kind = search_index.ranked_entries(query, kind=kind).values_list("pk", "kind", "period")[:3]
    assert summary.ranked == list(best)
    assert summary.ranked_of_kind == list(best_of_kind)


def test_the_report_gives_the_summary_something_to_say():
    """The parametrised comparison above is not a comparison of empty lists."""
    summary = search_index.summarise_matches("S-400", 4)
    assert sum(n for _, _, n in summary.cells) > 10
    assert "s-400" in {system for _, _, system, _ in summary.system_cells}
    assert len(summary.ranked) == 4
    assert search_index.summarise_matches("zzzqqq", 4) == ([], [], [], [])
    assert search_index.summarise_matches("S-400", 4, "event").ranked_of_kind


RANKING_SQL = ("ts_rank", "bm25(")  # PostgreSQL's, SQLite's


def test_a_search_page_reads_its_matches_once(client):
    """The page's facets, total and hits: one statement reads the matches (three did), then
    the page's entries by key and their snippets."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "aircraft"})
    assert response.status_code == 200
    reads = [
        q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"] or any(w in q["sql"] for w in RANKING_SQL)
    ]
    assert len(reads) == 1
    assert "GROUP BY" in reads[0]
    assert any(word in reads[0] for word in RANKING_SQL)
    assert response.content.decode().count('class="hit__title"') == 20


@pytest.mark.parametrize("query", QUERIES)
def test_every_types_best_are_ranked_in_the_same_read_type_by_type(query):
    """What the worker keeps of a common word (``search.common_words``): each type's own
    best, as ranking that type alone gives them."""
    summary = search_index.summarise_matches(query, 3, every_kind=True)
    kinds = {kind for kind, _, _ in summary.cells}
    expected = []
    for kind in sorted(kinds):
        expected += search_index.ranked_entries(query, kind=kind).values_list("pk", "kind", "period")[:3]
    assert summary.ranked_of_kind == expected
    assert summary.ranked == list(search_index.ranked_entries(query).values_list("pk", "kind", "period")[:3])
