"""Full-text search: ranked, highlighted, escaped, kept fresh after every committed change.

Runs on SQLite (FTS5 + bm25/snippet) and PostgreSQL (tsvector + GIN + ts_rank/ts_headline);
the behaviour a reader sees is the same on both.
"""

import re

import pytest
from django.db import connection
from django.db.models import Count

from ground.models import SearchEntry
from ground.search_index import highlight
from periods.models import Event
from search.index import rebuild_search_index
from search.selectors import SearchFilters
from search.selectors import search as run_search

pytestmark = pytest.mark.django_db


def search(query: str):
    return run_search(SearchFilters(q=query), page_size=1000).hits


def html(response) -> str:
    return response.content.decode()


def result_urls(page: str) -> list[str]:
    return re.findall(r'<h2 class="hit__title"><a href="([^"]+)"', page)


def test_the_index_holds_every_record_figure_endnote_and_source():
    counts = dict(SearchEntry.objects.values_list("kind").annotate(n=Count("pk")))
    assert counts == {
        "period": 3,
        "event": 38,
        "transfer": 17,
        "project": 6,
        "figure": 38,
        "actor": 32,
        "policy-option": 6,
        "analysis": 11,
        "endnote": 73,
        "source": 36,
        "system": 13,
    }


def test_search_finds_the_s400_record_first_and_highlights_it(client):
    page = html(client.get("/search/?q=S-400"))
    urls = result_urls(page)
    assert urls[0] == "/transfers/s-400-2015/"
    assert "/notes/csis-mtc-primer-2020/31/" in urls  # endnotes are searched too
    assert "<mark>S-400</mark>" in page


def test_search_covers_figures_and_sources(client):
    assert "/figures/russia-share-china-arms-imports-1992-2006/" in result_urls(
        html(client.get("/search/?q=arms imports"))
    )
    assert "/sources/korolev-2018/" in result_urls(html(client.get("/search/?q=Korolev")))


def test_search_ranks_title_matches_above_body_matches():
    hits = search("Rostec")
    assert hits[0].url == "/actors/rostec/"


def test_search_can_be_narrowed_to_one_type(client):
    page = html(client.get("/search/?q=S-400&type=endnote"))
    urls = result_urls(page)
    assert urls
    assert all(u.startswith("/notes/") for u in urls)
    assert 'href="?q=S-400&amp;type=transfer"' in page  # the other types stay one click away


def test_search_links_its_json_and_csv_twins(client):
    page = html(client.get("/search/?q=S-400"))
    assert 'href="/api/search/?q=S-400&amp;format=json"' in page
    assert 'href="/api/search/?q=S-400&amp;format=csv"' in page


def test_search_without_a_query_shows_the_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert '<input id="q" type="search" name="q"' in html(response)


def test_search_with_no_match_says_so(client):
    page = html(client.get("/search/?q=zzzyyyxxx"))
    assert "0 results" in page
    assert "Nothing matches" in page


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("q=" + "a" * 201, 400, "q: must be at most 200 characters"),
        ("q=%00", 400, "Parameter “q” contains a character that cannot be stored"),
        ("q=S-400&type=nope", 400, "Filter “type” was ignored"),
        ("q=S-400&page=abc", 200, ""),
        ("q=S-400&page=99999", 200, ""),
        ("q=%22unclosed", 200, ""),
        ("q=-", 200, ""),
        ("q=%27%3B%20DROP%20TABLE%20periods_event%3B--", 200, ""),
        ("q=!!!%20%26%20|", 200, ""),
    ],
)
def test_hostile_search_queries_never_error(client, query, status, message):
    response = client.get(f"/search/?{query}")
    assert response.status_code == status
    assert message in html(response)
    assert Event.objects.exists()


def test_matches_are_escaped_before_they_are_highlighted(client):
    from tests.factories import EndnoteFactory

    EndnoteFactory(text="Zebulon <script>alert(1)</script> <https://example.org/zebulon>")
    rebuild_search_index()
    page = html(client.get("/search/?q=zebulon"))
    # SQLite shows the tag escaped; PostgreSQL's ts_headline drops tags itself. Either
    # way nothing from the text becomes markup, and the match is marked.
    assert "<mark>Zebulon</mark>" in page
    assert "<script>alert(1)" not in page
    assert "&lt;https://example.org/" in page


def test_highlighter_escapes_the_text_and_marks_only_the_terms():
    marked = highlight("<b>S-400</b> & s-400", ["s400"])
    assert marked == "&lt;b&gt;<mark>S-400</mark>&lt;/b&gt; &amp; <mark>s-400</mark>"


def test_the_index_follows_a_committed_change(django_capture_on_commit_callbacks):
    event = Event.objects.get(slug="1992-mtc-agreement")
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Quetzalcoatl accord"
        event.save()
    assert [h.url for h in search("Quetzalcoatl")] == ["/events/1992-mtc-agreement/"]
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.filter(slug="1992-mtc-agreement").first().citations.all().delete()
        Event.objects.get(slug="1992-mtc-agreement").delete()
    assert search("Quetzalcoatl") == []


def test_a_rolled_back_change_leaves_the_index_alone(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                Event.objects.filter(slug="1992-mtc-agreement").update(title="Zephyrwhistle, never committed")
                Event.objects.get(slug="1992-mtc-agreement").save()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert search("Zephyrwhistle") == []


def test_rebuild_is_idempotent():
    before = sorted(SearchEntry.objects.values_list("kind", "key", "title"))
    assert rebuild_search_index() == len(before)
    assert sorted(SearchEntry.objects.values_list("kind", "key", "title")) == before


def test_postgresql_keeps_a_gin_indexed_vector_and_sqlite_an_fts5_table():
    entry = SearchEntry.objects.get(kind="transfer", key="s-400-2015")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'ground_search_vector_gin'")
            (indexdef,) = cursor.fetchone()
            assert "USING gin (search_vector)" in indexdef
            assert "'s400':" in entry.search_vector
            assert "A" in entry.search_vector
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'ground_search_fts'")
            (sql,) = cursor.fetchone()
            assert "fts5" in sql
            assert "porter unicode61" in sql
            cursor.execute("SELECT a FROM ground_search_fts WHERE rowid = %s", [entry.pk])
            assert "s400" in cursor.fetchone()[0].split()
    assert search("S-400")[0].url == "/transfers/s-400-2015/"


def test_phrases_and_exclusions_work_on_both_databases():
    everything = {h.url for h in search("S-400")}
    without = {h.url for h in search("S-400 -CAATSA")}
    assert "/events/caatsa-sanctions-2018-09/" in everything
    assert "/events/caatsa-sanctions-2018-09/" not in without
    assert "/transfers/s-400-2015/" in without
    phrase = {h.url for h in search('"regimental set begins"')}
    assert "/events/s-400-second-regiment-delivery-begins-2019-07/" in phrase
    assert "/events/s-400-first-regiment-delivered-2018-05/" not in phrase
