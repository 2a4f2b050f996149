"""Search results a researcher can use: facets from the database, public snippets, twins, Cite."""

import csv
import io
import re

import pytest

from search.selectors import SearchFilters, facets

pytestmark = pytest.mark.django_db


def test_facets_count_types_periods_and_systems_in_the_database(django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
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
