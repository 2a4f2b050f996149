"""The home timeline is paged, so it costs the same at any size and loses no entry."""

import re

import pytest

from periods import selectors

pytestmark = pytest.mark.django_db


def entry_links(html: str) -> list[str]:
    return re.findall(r'class="entry [^"]*".*?href="(/[a-z-]+/[^"]+/)"', html, flags=re.S)


def test_pages_cover_the_timeline_once_in_order(client, monkeypatch):
    monkeypatch.setattr(selectors, "TIMELINE_PAGE_SIZE", 10)
    whole = [e.record.get_absolute_url() for e in selectors.timeline(selectors.TimelineFilters())]
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
    assert seen == whole  # every dated record exactly once, in timeline order
    assert f"of {len(whole)}" in html


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "99999"])
def test_a_bad_page_number_still_shows_a_page(client, bad):
    assert client.get("/", {"page": bad}).status_code == 200
