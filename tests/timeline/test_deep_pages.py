"""A slice of several record types is located by the database, and is the page the merge gives.

By default the sort keys of every type are merged in SQL and only the page's rows are
read whole. Here the threshold (``MergedTimeline.DEEP_FROM``) is raised so that the
report's own timeline is also paged by merging whole rows in Python: every page must be
the same, in order, for every ordering and filter, on the page and through the API.
"""

import pytest

from timeline.selectors import MergedTimeline

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


def _pages(api, query: str) -> list[list[tuple[str, str]]]:
    pages, page = [], 1
    while True:
        body = api.get(f"/api/timeline/?{query}&page_size=3&page={page}").json()
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
