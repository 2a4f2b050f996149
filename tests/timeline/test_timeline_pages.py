"""The home timeline is paged, so it costs the same at any size and loses no entry."""

import re

import pytest

from timeline import selectors, views
from timeline.filters import TimelineQuery

pytestmark = pytest.mark.django_db


def entry_links(html: str) -> list[str]:
    return re.findall(r'class="entry [^"]*".*?href="(/[a-z-]+/[^"]+/)"', html, flags=re.S)


def test_pages_cover_the_timeline_once_in_order(client, monkeypatch):
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 10)
    whole = [r.get_absolute_url() for r in selectors.timeline(TimelineQuery())]
    seen = []
    page = 1
    while True:
        html = client.get("/", {"page": page}).content.decode()
        links = entry_links(html)
        assert 0 < len(links) <= 10
        seen += links
        if 'rel="next"' not in html:
            break
        page += 1
    assert sorted(seen) == sorted(whole)
    assert len(set(seen)) == len(seen)
    assert f"of {len(whole)}" in html


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "99999"])
def test_a_bad_page_number_still_shows_a_page(client, bad):
    assert client.get("/", {"page": bad}).status_code == 200
