"""Search results a researcher can use: facets from the database, public snippets, twins, Cite."""

import csv
import io
import re

import pytest

from search.selectors import SearchFilters, facets
from tests.query_counts import SUMMARY_WORK_MEM

pytestmark = pytest.mark.django_db


def test_facets_count_types_periods_and_systems_in_the_database(django_assert_num_queries):
    # The summary the worker keeps of a common word (none: "S-400" is not one) under the
    # data version (read once per request; here, outside one), the matches' summary, the
    # systems' names, the periods.
    with django_assert_num_queries(5 + SUMMARY_WORK_MEM):
        counted = facets("S-400", SearchFilters(q="S-400"))
    types = {f.value: f.count for f in counted["type"]}
    assert types["transfer"] == 1
    assert types["event"] >= 3
    assert {f.value: f.count for f in counted["system"]}["s-400"] >= 8
    assert "2014-present" in {f.value for f in counted["period"]}


def test_choosing_a_facet_narrows_the_hits_and_keeps_the_others_one_click_away(client):
    html = client.get("/search/", {"q": "S-400", "system": "s-400", "type": "event"}).content.decode()
    urls = re.findall(r'<h2 class="hit__title"><a href="([^"]+)"', html)
    assert urls
    assert all(u.startswith("/events/") for u in urls)
    assert "/events/caatsa-sanctions-2018-09/" in urls
    assert 'href="?q=S-400&amp;type=transfer&amp;system=s-400"' in html


def test_snippets_come_from_the_public_text_never_from_remarks(client):
    # "hesitant" is in the S-400 deal's notes (public); "contradiction" only in its remarks.
    html = client.get("/search/", {"q": "S-400 contradiction"}).content.decode()
    assert "/transfers/s-400-2015/" in html  # remarks are searchable...
    assert "Contradiction" not in html
    assert "contradiction</mark>" not in html
    notes = client.get("/search/", {"q": "S-400 hesitant"}).content.decode()
    assert "<mark>hesitant</mark>" in notes


def test_results_have_a_csv_twin_and_a_cite_link(client, api):
    html = client.get("/search/", {"q": "Growler"}).content.decode()
    assert 'href="/api/search/?q=Growler&amp;format=csv"' in html
    rows = list(
        csv.DictReader(io.StringIO(api.get("/api/search/", {"q": "Growler", "format": "csv"}).content.decode()))
    )
    assert rows[0]["html_url"].endswith("/transfers/s-400-2015/")
    assert 'href="/cite/?q=Growler"' in html
    cite = client.get("/cite/endnotes.txt", {"q": "Growler"}).content.decode()
    assert "Chinese PLA Personnel Complete Training for S-400" in cite  # note 31


def test_a_bad_facet_is_a_message_not_an_error(client, api):
    response = client.get("/search/", {"q": "S-400", "system": "nope"})
    assert response.status_code == 400
    assert "Filter “system” was ignored" in response.content.decode()
    assert api.get("/api/search/", {"q": "S-400", "system": "nope"}).status_code == 400


def _counted_one_by_one(query: str, filters: SearchFilters) -> tuple[int, dict[str, dict[str, int]]]:
    """What the page showed before its counts were grouped: one count per number shown."""
    from dataclasses import replace

    from django.db.models import Count

    from ground import search_index
    from ground.models import SearchEntrySystem
    from search.selectors import narrowed

    matching = search_index.matching_entries(query)

    def under_the_others(facet: str):  # each facet counts under the other facets' choices
        return narrowed(matching, replace(filters, **{facet: ""}))

    kinds = under_the_others("kind").values_list("kind").annotate(n=Count("pk")).order_by()
    periods = under_the_others("period").exclude(period="").values_list("period").annotate(n=Count("pk")).order_by()
    in_systems = under_the_others("system").values("pk")
    systems = SearchEntrySystem.objects.filter(entry__in=in_systems).values_list("system").annotate(n=Count("entry"))
    total = narrowed(matching, filters).count()
    return total, {"type": dict(kinds), "period": dict(periods), "system": dict(systems.order_by())}


@pytest.mark.parametrize("query", ["S-400", "engine", "defence", "Su-35 or submarine", '"air defense"'])
def test_the_total_and_every_facet_count_what_their_link_lists(query):
    """Each number on the page, for every choice of type, period and system, is the number
    of hits its link lists: the grouped count against one count per number, and the
    page's own "N results" against the hits its pages hold."""
    from periods.models import Period
    from search.selectors import search

    compared = 0
    for kind in ["", "transfer", "event", "system"]:
        for period in ["", *Period.objects.values_list("slug", flat=True)]:
            for system in ["", "s-400", "su-35"]:
                filters = SearchFilters(q=query, kind=kind, period=period, system=system)
                results = search(filters, page_size=500)
                total, expected = _counted_one_by_one(query, filters)
                shown = {name: {f.value: f.count for f in values} for name, values in results.facets.items()}
                assert (results.total, shown) == (total, expected), filters
                assert len(results.hits) == total, filters
                compared += 1
    assert compared == 4 * 4 * 3
