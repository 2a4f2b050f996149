"""The worker keeps the search summaries of the index's commonest words after each write.

A search page's first page needs its words' summary (grouped counts and best entries):
for a word in most records that read every match (``china`` at a million records: 3 s),
once per server process and data version, on a reader's request. Kept by the worker in
``CommonWordSummary``, every process reads it: the page must say exactly what it says
when it computes the summary itself, and a write must never show an older summary.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.models import DataVersion
from search import common_words, selectors
from search.models import CommonWordSummary
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db

#: "china" and "russia" are in most of the report's entries.
MIN_MATCHES = 40

SEARCHES = [
    {"q": "China"},
    {"q": "china", "type": "event"},
    {"q": " CHINA ", "type": "transfer"},
    {"q": "china", "page": "2"},
    {"q": "China", "period": "2014-present"},
    {"q": "china", "system": "s-400"},
    {"q": "russia", "type": "figure"},
    {"q": "China", "type": "policy-option"},  # no match of the type
    {"q": "russia", "type": "event", "page": "2"},
]


def _summarising(statements: list[str]) -> list[str]:
    """The statements that read every match of a query (``search_index.summarise_matches``)."""
    return [sql for sql in statements if "MATERIALIZED" in sql]


def _page(client, params: dict) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def _forget_fragments(settings) -> None:
    """What a server process that has not yet read these searches holds: nothing."""
    caches[settings.RESPONSE_CACHE_ALIAS].clear()


@pytest.mark.parametrize("ranked_kept", [1000, 5])
def test_a_common_words_pages_read_the_workers_summary_and_say_what_they_would_compute(
    client, fragment_cache, settings, monkeypatch, ranked_kept
):
    """With 5 entries kept per ranking (a million records' common words have far more
    matches than the 1,000 kept), a type's page is cut from that type's own kept ranking."""
    monkeypatch.setattr(selectors, "RANKED_KEPT", ranked_kept)
    computed = {}
    for params in SEARCHES:
        html, statements = _page(client, params)
        computed[str(params)] = html
    assert "Russia" in computed[str(SEARCHES[0])]

    refreshed = common_words.refresh(min_matches=MIN_MATCHES, limit=10)
    assert {"china", "russia"} <= set(refreshed.words)
    assert not refreshed.fresh
    _forget_fragments(settings)

    for params in SEARCHES:
        html, statements = _page(client, params)
        assert _summarising(statements) == [], params
        assert html == computed[str(params)], params


def test_the_refresh_is_done_once_per_data_version_and_keeps_only_common_words():
    refreshed = common_words.refresh(min_matches=MIN_MATCHES, limit=3)
    assert len(refreshed.words) == 3
    kept = CommonWordSummary.objects.filter(kind="")
    assert set(kept.values_list("word", flat=True)) == set(refreshed.words)
    assert all(row.matches >= MIN_MATCHES and row.data_version == refreshed.version for row in kept)
    with CaptureQueriesContext(connection) as queries:
        again = common_words.refresh(min_matches=MIN_MATCHES, limit=3)
    assert again.fresh
    assert again.words == []
    assert len(queries.captured_queries) == 2  # the version, and its summaries' presence

    # A word in fewer entries than asked for is not common.
    DataVersion.bump()
    rare = common_words.refresh(min_matches=10_000, limit=3)
    assert rare.words == []
    assert not CommonWordSummary.objects.exists()  # the earlier version's are dropped


def test_common_words_are_counted_on_a_sample_of_a_large_index(monkeypatch):
    every = common_words.common_words(min_matches=MIN_MATCHES)
    monkeypatch.setattr(common_words, "SAMPLE_ENTRIES", 60)  # every fourth entry or so of the report's
    sampled = common_words.common_words(min_matches=MIN_MATCHES)
    assert {"china", "russia"} <= set(every[:6])
    assert {"china", "russia"} <= set(sampled[:6])


def test_a_write_shows_at_once_and_the_listener_keeps_the_new_versions_summaries(
    client, fragment_cache, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_COMMON_WORD_MATCHES = MIN_MATCHES
    common_words.refresh(limit=5)
    before = DataVersion.current().version
    html, _ = _page(client, {"q": "china", "type": "transfer"})
    assert "/transfers/mtc-probe/" not in html

    with django_capture_on_commit_callbacks(execute=True):
        TransferFactory(slug="mtc-probe", designation="MTC probe", notes="Chinese MTC probe deal with China")
    version = DataVersion.current().version
    assert version > before
    # The change listener refreshed the index, then kept the new version's summaries
    # (in-process: the test settings have no broker).
    assert set(CommonWordSummary.objects.values_list("data_version", flat=True)) == {version}

    _forget_fragments(settings)
    kept_html, statements = _page(client, {"q": "china", "type": "transfer"})
    assert _summarising(statements) == []
    CommonWordSummary.objects.all().delete()
    _forget_fragments(settings)
    computed_html, statements = _page(client, {"q": "china", "type": "transfer"})
    assert _summarising(statements)
    assert kept_html == computed_html
    assert "/transfers/mtc-probe/" in kept_html


def test_rebuilding_the_index_drops_the_summaries_kept_of_the_old_one(call, settings):
    settings.SEARCH_COMMON_WORD_MATCHES, settings.SEARCH_COMMON_WORDS = MIN_MATCHES, 2
    assert "Kept the summaries of 2 common words" in call("refresh_common_searches")
    assert "already kept for data version" in call("refresh_common_searches")
    call("rebuild_search_index")  # new entries, the same data version
    assert not CommonWordSummary.objects.exists()
    assert "Kept the summaries of 2 common words" in call("refresh_common_searches")
