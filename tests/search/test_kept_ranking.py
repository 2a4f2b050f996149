"""A query's ranking is kept per data version: its other pages, and its narrowings by type
or period, are cut from it rather than ranked again.

Ranking reads every match (about 300 ms for a common word at a million records), and the
order of the entries is the same on every page and under every type or period chosen.
What the reader sees must be exactly what ranking in the database gives.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground import search_index
from ground.models import DataVersion
from search import selectors
from search.selectors import SearchFilters
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


RANKING_SQL = ("ts_rank", "bm25(")  # PostgreSQL's, SQLite's


def _keys(api, **params) -> tuple[list[str], int]:
    """The hits' keys on /api/search/, and how many ranking queries the request ran."""
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/search/", {"q": "S-400", "page_size": 3, **params})
    assert response.status_code == 200, response.content
    ranked = sum(any(word in q["sql"] for word in RANKING_SQL) for q in queries.captured_queries)
    return [hit["key"] for hit in response.json()["results"]], ranked


def _ranked_in_the_database(*, page: int = 1, size: int = 3, **facets) -> list[str]:
    """The page as the database ranks it under ``facets``, with nothing kept."""
    filters = SearchFilters(q="S-400", **facets)
    entries = selectors.narrowed(search_index.ranked_entries("S-400"), filters)
    return list(entries.values_list("key", flat=True)[(page - 1) * size : page * size])


def test_other_pages_and_a_type_or_period_are_cut_from_the_kept_ranking(api, fragment_cache):
    first, ranked = _keys(api)
    assert ranked == 1
    assert first == _ranked_in_the_database()
    for params, expected in [
        ({"page": 2}, _ranked_in_the_database(page=2)),
        ({"type": "event"}, _ranked_in_the_database(kind="event")),
        ({"type": "event", "page": 2}, _ranked_in_the_database(kind="event", page=2)),
        ({"period": "2014-present"}, _ranked_in_the_database(period="2014-present")),
    ]:
        keys, ranked = _keys(api, **params)
        assert (keys, ranked) == (expected, 0), params
        assert keys


def test_a_page_beyond_the_kept_entries_and_a_system_are_ranked_by_the_database(api, fragment_cache, monkeypatch):
    monkeypatch.setattr(selectors, "RANKED_KEPT", 4)
    assert _keys(api)[1] == 1
    deep, ranked = _keys(api, page=3)  # entries 7-9: past the four kept
    assert (deep, ranked) == (_ranked_in_the_database(page=3), 1)
    # Fewer than six events among the kept four: the events' own ranking is kept (four),
    # and that is not six either.
    typed, ranked = _keys(api, type="event", page=2)
    assert (typed, ranked) == (_ranked_in_the_database(kind="event", page=2), 2)
    system, ranked = _keys(api, system="s-400")
    assert (system, ranked) == (_ranked_in_the_database(system="s-400"), 1)


def test_a_type_whose_entries_the_first_kept_miss_keeps_its_own_ranking(api, fragment_cache, monkeypatch):
    """A common word's best entries can all be of other types: the type chosen is ranked
    once on its own, and its other periods and pages are cut from that."""
    monkeypatch.setattr(selectors, "RANKED_KEPT", 2)
    assert _keys(api, page_size=1)[1] == 1
    assert "event" not in [kind for _, kind, _ in selectors.kept_ranking("S-400").rows]  # a transfer, a system
    typed, ranked = _keys(api, page_size=1, type="event")
    assert (typed, ranked) == (_ranked_in_the_database(kind="event", size=1), 1)
    second, ranked = _keys(api, page_size=1, type="event", page=2)
    assert (second, ranked) == (_ranked_in_the_database(kind="event", size=1, page=2), 0)
    assert second != typed


def test_a_first_search_narrowed_to_a_type_ranks_it_in_the_same_read(api, fragment_cache, monkeypatch):
    """Asked for first with a type chosen, the query's one read of its matches keeps that
    type's own ranking too: its other pages cost no ranking."""
    monkeypatch.setattr(selectors, "RANKED_KEPT", 2)
    typed, ranked = _keys(api, page_size=1, type="event")
    assert (typed, ranked) == (_ranked_in_the_database(kind="event", size=1), 1)
    second, ranked = _keys(api, page_size=1, type="event", page=2)
    assert (second, ranked) == (_ranked_in_the_database(kind="event", size=1, page=2), 0)
    assert "event" not in [kind for _, kind, _ in selectors.kept_ranking("S-400").rows]  # its own were needed


def test_entries_replaced_after_the_ranking_was_kept_are_ranked_again(api, fragment_cache):
    """A write bumps the data version inside its transaction and re-creates its entries
    after the commit, with new keys: a ranking kept in between names an entry since
    replaced, and the page is ranked by the database rather than failing or losing a hit."""
    from ground.search_index import refresh_search_entries
    from transfers.models import Transfer

    first, _ = _keys(api)
    deal = Transfer.objects.get(slug="s-400-2015")
    assert deal.slug in first
    refresh_search_entries(frozenset({("transfers.transfer", deal.pk)}))  # new entry, same version
    again, ranked = _keys(api)
    assert (again, ranked) == (first, 1)


def test_a_write_ranks_again(api, fragment_cache, django_capture_on_commit_callbacks):
    before, _ = _keys(api, page_size=100)
    with django_capture_on_commit_callbacks(execute=True):
        TransferFactory(slug="s-400-kept-ranking", designation="S-400")
    DataVersion.bump()
    after, ranked = _keys(api, page_size=100)
    assert ranked == 1
    assert "s-400-kept-ranking" in after
    assert "s-400-kept-ranking" not in before
