"""The home page's count, its overview's bars and its offer of the undated records agree
with the records it lists.

All three come from one grouped query (``timeline.selectors.selection_spans``); here each
is checked against what a reader finds by following the page's own links: the entries
of every page of the selection, the entries a bar's link lists, and how many more the
"Also list the undated" link shows.
"""

import html as html_lib
import re

import pytest

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "type=transfer",
    "direction=ru-cn",
    "actor=russia&type=event&type=transfer",
    "period=2006-2014&undated=1",
    "from=2014&to=2018",
]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _entries(client, url: str) -> list[str]:
    """Every entry of the selection, following its "Later entries" links."""
    found = []
    while url:
        page = _page(client, url)
        found += re.findall(r'<h4 class="entry__title"><a href="([^"]+)"', page)
        later = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = "/" + html_lib.unescape(later.group(1)) if later else None
    return found


def _stated_count(page: str) -> int:
    return int(re.search(r'<p class="result-count" role="status">(\d+)', page).group(1))


@pytest.mark.parametrize("query", QUERIES)
def test_the_count_the_bars_and_the_undated_offer_match_what_the_links_list(client, query):
    page = _page(client, f"/?{query}")
    listed = _entries(client, f"/?{query}")
    assert _stated_count(page) == len(listed) > 0

    bars = re.findall(r'<a href="(\?[^"]+)" aria-label="(\d{4}): (\d+) records?">', page)
    assert bars
    for href, year, count in bars:
        in_year = _entries(client, "/" + html_lib.unescape(href).split("#")[0])
        assert len(in_year) == int(count), f"{year}: bar says {count}, its link lists {len(in_year)}"

    offer = re.search(r'<a href="(\?[^"]+)">Also list the (\d+) records?', page)
    if "undated=1" in query or "from=" in query:
        assert offer is None
    else:
        with_undated = _entries(client, "/" + html_lib.unescape(offer.group(1)).split("#")[0])
        assert len(with_undated) - len(listed) == int(offer.group(2)) > 0
