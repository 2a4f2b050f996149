"""One search everywhere: a system by any of its names, plurals and spellings alike.

The same queries through the search page, ``/api/search/``, ``/api/transfers/?q=`` and
``/api/timeline/?q=`` select the same records, on SQLite (FTS5) and PostgreSQL
(tsvector): the suite runs on both.
"""

import re
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.search_index import index_tokens, normalise_query, parse, suggestion
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db

S400_NAMES = ["S-400", "S400", "s 400", "Triumf", "SA-21", "Growler", "С-400"]
RECORD_PATH = re.compile(r"^/(events|transfers|projects|figures)/([^/]+)/$")


def path(url: str) -> str:
    return urlparse(url).path


def page_hits(client, query: str) -> list[str]:
    """Every hit's URL on the search page, in order (all pages)."""
    urls, page = [], 1
    while True:
        html = client.get("/search/", {"q": query, "page": page}).content.decode()
        urls += re.findall(r'<h2 class="hit__title"><a href="([^"]+)"', html)
        if 'rel="next"' not in html:
            return urls
        page += 1


def api_slugs(api, path: str, query: str, **params) -> list[str]:
    body = api.get(path, {"q": query, "page_size": 500, **params}).json()
    return [item["slug"] for item in body["results"]]


def records_on_page(client, query: str, kind: str) -> set[str]:
    return {m.group(2) for url in page_hits(client, query) if (m := RECORD_PATH.match(url)) and m.group(1) == kind}


@pytest.mark.parametrize("query", S400_NAMES)
def test_every_name_of_the_s400_finds_its_transfer_first(client, api, query):
    hits = page_hits(client, query)
    assert hits[0] == "/transfers/s-400-2015/", hits[:3]
    assert api_slugs(api, "/api/transfers/", query)[0] == "s-400-2015"
    assert path(api.get("/api/search/", {"q": query}).json()["results"][0]["html_url"]) == "/transfers/s-400-2015/"
    timeline = api.get("/api/timeline/", {"q": query, "undated": "1", "page_size": 500}).json()["results"]
    assert "/transfers/s-400-2015/" in [path(item["html_url"]) for item in timeline]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Su35", {"su-35-2015"}),
        ("Flanker", {"su-35-2015", "su-27-1992-2006", "su-30-1992-2006"}),
        ("Flanker-G", {"su-30-1992-2006"}),
        ("苏-35", {"su-35-2015"}),
    ],
)
def test_fighters_are_found_by_designation_and_reporting_name(client, api, query, expected):
    assert set(api_slugs(api, "/api/transfers/", query)) == expected
    assert records_on_page(client, query, "transfers") == expected


@pytest.mark.parametrize(("one", "other"), [("helicopters", "helicopter"), ("air defence", "air defense")])
def test_plurals_and_spellings_return_the_same_records(client, api, one, other):
    assert page_hits(client, one)
    assert sorted(page_hits(client, one)) == sorted(page_hits(client, other))
    for path in ("/api/transfers/", "/api/events/", "/api/projects/", "/api/figures/"):
        assert sorted(api_slugs(api, path, one)) == sorted(api_slugs(api, path, other)), path


QUERIES = [*S400_NAMES, "Su35", "Flanker", "helicopters", "air defence", "air defense", '"air defence" -regiment']


@pytest.mark.parametrize("query", QUERIES)
def test_the_lists_select_what_the_search_page_lists(client, api, query):
    for kind in ("transfers", "events", "projects", "figures"):
        assert set(api_slugs(api, f"/api/{kind}/", query)) == records_on_page(client, query, kind), kind
    timeline = api.get("/api/timeline/", {"q": query, "undated": "1", "page_size": 500}).json()["results"]
    on_timeline = {(m.group(1), m.group(2)) for item in timeline if (m := RECORD_PATH.match(path(item["html_url"])))}
    on_page = {(m.group(1), m.group(2)) for url in page_hits(client, query) if (m := RECORD_PATH.match(url))}
    assert on_timeline == on_page


def test_a_near_miss_is_answered_with_a_did_you_mean(client, api):
    html = client.get("/search/", {"q": "Triumph"}).content.decode()
    assert "showing results for" in html
    assert '<a href="?q=Triumf">Triumf</a>' in html
    assert re.findall(r'<h2 class="hit__title"><a href="([^"]+)"', html)[0] == "/transfers/s-400-2015/"
    body = api.get("/api/search/", {"q": "Triumph"}).json()
    assert (body["suggestion"], body["searched"]) == ("Triumf", "Triumf")


def test_cyrillic_and_chinese_names_match_exactly(api):
    assert api_slugs(api, "/api/transfers/", "С-400 «Триумф»") == ["s-400-2015"]
    assert api_slugs(api, "/api/transfers/", "Триумф") == ["s-400-2015"]
    assert api_slugs(api, "/api/projects/", "直-10") == ["z-10-attack-helicopter"]
    assert api_slugs(api, "/api/transfers/", "С-300") == ["s-300-1992-2006"]


def test_short_words_before_a_year_are_not_taken_for_designations(api):
    # "in 2015" stays two words: it must not turn into a token "in2015" that finds nothing.
    assert "s-400-2015" in api_slugs(api, "/api/transfers/", "announced in 2015")


def test_modernisation_and_modernization_return_the_same_records(client):
    assert page_hits(client, "modernization")
    assert sorted(page_hits(client, "modernisation")) == sorted(page_hits(client, "modernization"))


@pytest.mark.parametrize("query", ["Armour-54", "armor-54", "defence-industrial", "defense-industrial"])
def test_joined_words_printed_in_british_spelling_are_found(django_capture_on_commit_callbacks, client, api, query):
    # "Armour-54" is read as the phrase armour, 54: the index's added "armor" cannot meet
    # it, so the query also looks for the British form as printed.
    with django_capture_on_commit_callbacks(execute=True):
        TransferFactory(slug="armour-54-deal", designation="Armour-54", description="with defence-industrial partners")
    assert api_slugs(api, "/api/transfers/", query) == ["armour-54-deal"]
    assert records_on_page(client, query, "transfers") == {"armour-54-deal"}


def test_a_hyphenated_designation_of_a_longer_word_finds_that_designation_only(
    django_capture_on_commit_callbacks, client, api
):
    """The designation Helicopter-42 is one token of the index, as S-400 is: written with or without
    its hyphen, in either spelling, it finds its records, not Helicopter-420's nor a
    text that merely says "helicopter" and "42"."""
    with django_capture_on_commit_callbacks(execute=True):
        TransferFactory(slug="h-42", designation="Helicopter-42", description="rotary")
        TransferFactory(slug="h-420", designation="Helicopter-420", description="rotary")
        TransferFactory(slug="h-words", designation="Mi-8", description="42 helicopter airframes")
        TransferFactory(slug="armour-7", designation="Armour-7", description="tracked")
    for query in ["Helicopter-42", "helicopter42", "HELICOPTER–42"]:
        assert api_slugs(api, "/api/transfers/", query) == ["h-42"], query
        assert records_on_page(client, query, "transfers") == {"h-42"}, query
    for query in ["Armour-7", "Armor-7", "armor7"]:
        assert api_slugs(api, "/api/transfers/", query) == ["armour-7"], query
    html = client.get("/search/", {"q": "Armor-7"}).content.decode()
    assert "<mark>Armour-7</mark>" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsquery is PostgreSQL's")
def test_a_hyphenated_designation_is_looked_up_as_one_lexeme_not_a_phrase(api, settings):
    """The speed of it: as a phrase (``'engin' <-> '-50'``) the index intersected the
    posting list of a common word with the number's, 53 ms at a million transfers."""
    settings.DB_PREPARED_STATEMENTS = False  # the SQL with its values, not EXECUTE of a prepared statement
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/transfers/", {"q": "Engine-50"})
    lookups = [q["sql"] for q in queries.captured_queries if "to_tsquery" in q["sql"]]
    assert lookups, [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery('english', 'engine50')::text")
        (lexeme,) = cursor.fetchone()
    assert lexeme == "'engine50'"
    assert all("'engine50'" in sql and "Engine-50" not in sql for sql in lookups), lookups


def test_queries_are_normalised_as_the_index_reads_text():
    assert normalise_query("S-400 in 2015 Defence modernisation") == "s400 in 2015 defense modernization"
    assert normalise_query("С-400 «Триумф» 苏-35 su 35") == "с400 «Триумф» 苏35 su35"
    assert index_tokens("Su-27/Su-30 and AL-31FN air defence").split() == ["su27", "su30", "al31fn", "defense"]
    parsed = parse(normalise_query('"air defence" helicopter or drone -S-400'))
    assert parsed.groups == [["air defense", "air defence"], ["helicopter", "drone"]]
    assert parsed.excluded == ["s400"]
    # A hyphenated designation of a longer word is one compact token in American spelling
    # (British and American are one search); other joined words stay a phrase of both.
    assert parse(normalise_query("Armour-54 modernisation-programme")).groups == [
        ["armor54"],
        ["modernization-program", "modernisation-programme"],
    ]
    assert index_tokens("Helicopter-42, Shtil-1 and Engine50; Article 5, helicopters 2015").split() == [
        "helicopter42",
        "shtil1",
        "engine50",
    ]


def test_a_search_asks_the_index_whether_anything_matches_only_when_its_counts_cannot_say(client, api):
    """The grouped counts (every match by type and period) say whether the words match
    anything, so the page runs no existence lookup of its own (2-5 ms of a 27 ms page
    at a million records); under a chosen system the counts see only its matches, and
    a word found elsewhere is still no reason to suggest another spelling."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/search/", {"q": "S-400"}).content.decode()
    assert "S-400" in html
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT 1 AS "a"')]

    # "collaboration" is read in one entry's body (not under the Kilo class) and is not in
    # the vocabulary of titles and names: with no lookup beyond the Kilo class's counts,
    # the page would take it for a misspelling and search "corporation" instead.
    assert suggestion("collaboration") == "corporation"
    body = api.get("/api/search/", {"q": "collaboration", "system": "kilo-class"}).json()
    assert (body["count"], body["suggestion"], body["searched"]) == (0, "", "collaboration")
    assert api.get("/api/search/", {"q": "Triumph", "system": "kilo-class"}).json()["suggestion"] == "Triumf"
