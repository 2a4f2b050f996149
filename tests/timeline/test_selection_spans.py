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


def _by_years(spans) -> dict:
    """Records per (first year, last year), whichever types they are."""
    counted: dict = {}
    for first, last, n in spans.dated:
        counted[first, last] = counted.get((first, last), 0) + n
    return counted


def _filter_combinations():
    from transfers.models import Transfer

    categories = sorted(set(Transfer.objects.values_list("category", flat=True)))[:3]
    for types in ((), ("transfer",), ("event", "project", "figure")):
        for period in (None, "1992-2006", "2014-present"):
            for category, direction in (("", ""), (categories[0], ""), ("", "ru-cn"), (categories[-1], "cn-ru")):
                for year_from, year_to in ((None, None), (2014, None), (None, 2005), (2011, 2012)):
                    for undated in (False, True):
                        yield types, period, category, direction, year_from, year_to, undated


def test_spans_from_the_year_groups_are_the_spans_of_the_rows():
    """A selection by type, period, category, direction and years counts the same from
    the year groups (every record grouped once) as from its own rows, for 288 selections
    of the report, with and without the undated records."""
    from periods.models import Period
    from timeline.filters import TimelineQuery
    from timeline.selectors import _selection_spans, _spans_from_year_groups, timeline_querysets

    periods = {p.slug: p for p in Period.objects.all()}
    checked = nonempty = 0
    for types, period, category, direction, year_from, year_to, undated in _filter_combinations():
        query = TimelineQuery(
            types=types,
            period=periods.get(period),
            category=category,
            direction=direction,
            year_from=year_from,
            year_to=year_to,
            undated=undated,
        )
        rows = _selection_spans(timeline_querysets(query, joins=False))
        groups = _spans_from_year_groups(query)
        assert _by_years(groups) == _by_years(rows), query
        assert groups.undated == rows.undated, query
        checked += 1
        nonempty += rows.count > 0
    assert checked == 288
    assert nonempty > 60  # a category or direction leaves transfers only: many select nothing
