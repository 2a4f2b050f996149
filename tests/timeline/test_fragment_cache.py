"""The period summaries every timeline page shows are computed once per data version.

A reader who changes a filter misses the response cache (another URL); the summaries
are the same for every filter and cost a grouped pass over each record table, so they
are cached per data version. A write bumps the version: the next page shows its count.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.models import DataVersion
from tests.factories import TransferFactory
from timeline import selectors

pytestmark = pytest.mark.django_db


def _transfers_in_first_period(html: str) -> int:
    return int(re.search(r"<dt>Arms transfers</dt><dd>(\d+)</dd>", html).group(1))


def _get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_another_filter_reuses_the_summaries_and_a_write_refreshes_them(client, fragment_cache):
    first, cold = _get(client, "/?period=1992-2006")
    second, warm = _get(client, "/?period=2006-2014")
    assert warm < cold  # the second filter's page reused the summaries
    before = _transfers_in_first_period(second)
    assert _transfers_in_first_period(first) == before

    TransferFactory(period__slug="1992-2006")  # a write through the models bumps the version
    DataVersion.bump()
    after, _ = _get(client, "/?period=2006-2014&undated=1")
    assert _transfers_in_first_period(after) == before + 1


def _records_shown(html: str) -> int:
    return int(re.search(r"(\d+) dated records? match", html).group(1))


def test_a_selections_count_and_overview_are_reused_by_its_next_reader_and_refreshed_by_a_write(client, fragment_cache):
    path = "/?type=transfer&direction=ru-cn"
    with CaptureQueriesContext(connection) as cold:
        first = client.get(path).content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get(path + "&page=1").content.decode()  # another URL, the same selection
    assert any("COUNT(" in q["sql"] for q in cold.captured_queries)
    assert not [q["sql"] for q in warm.captured_queries if "COUNT(" in q["sql"]]  # every count reused
    assert _records_shown(again) == _records_shown(first)

    TransferFactory(period__slug="2014-present", supplier__slug="russia", recipient__slug="china", direction="ru-cn")
    DataVersion.bump()
    after, _ = _get(client, path)
    assert _records_shown(after) == _records_shown(first) + 1


def _axis_end(html: str) -> int:
    return max(int(year) for year in re.findall(r'<text class="tick"[^>]*>(\d{4})</text>', html))


def test_the_overviews_year_span_is_read_once_per_data_version(client, fragment_cache):
    """Every filter draws its overview over the whole span: the second filter reads no
    MIN/MAX, and a record dated later, even one the filter leaves out, extends the axis."""
    with CaptureQueriesContext(connection) as cold:
        client.get("/?type=event")
    with CaptureQueriesContext(connection) as warm:
        before = client.get("/?type=event&direction=ru-cn").content.decode()
    assert any("MIN(" in q["sql"] for q in cold.captured_queries)
    assert not [q["sql"] for q in warm.captured_queries if "MIN(" in q["sql"]]
    assert _axis_end(before) < 2031

    TransferFactory(period__slug="2014-present", date_text="2031", date_edtf="2031")
    DataVersion.bump()
    after, _ = _get(client, "/?type=event&direction=ru-cn")
    assert _axis_end(after) == 2031


def _chart_marks(html: str) -> list[str]:
    return re.findall(r'<a class="tl-mark[^"]*" href="([^"]+)"', html)


def test_the_chart_is_laid_out_once_per_selection_and_redrawn_after_a_write(client, fragment_cache):
    """Every page of a selection draws the same chart: the next page reads no marks."""
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/?type=transfer&period=2014-present").content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get("/?type=transfer&period=2014-present&page=1").content.decode()
    marks_query = f"LIMIT {selectors.MARK_LIMIT + 1}"  # the chart reads MARK_LIMIT + 1 rows per type
    assert any(marks_query in q["sql"] for q in cold.captured_queries)
    assert not [q["sql"] for q in warm.captured_queries if marks_query in q["sql"]]
    assert _chart_marks(again) == _chart_marks(first) != []

    new = TransferFactory(period__slug="2014-present", date_text="2016", date_edtf="2016")
    DataVersion.bump()
    after = client.get("/?type=transfer&period=2014-present&page=1").content.decode()
    assert new.get_absolute_url() in _chart_marks(after)


def _rendered(response) -> list[str]:
    return [t.name for t in response.templates]


def test_the_three_periods_are_written_once_per_data_version_open_only_without_filters(client, fragment_cache):
    """The periods' section is the same on every page: a second filter's page shows it
    without rendering it again; the unfiltered timeline shows it open, a filtered one
    folded; a write shows its new count at once."""
    filtered = client.get("/?period=1992-2006")
    assert "timeline/_periods.html" in _rendered(filtered)
    again = client.get("/?type=event&from=2000")
    assert "timeline/_periods.html" not in _rendered(again)
    section = re.compile(r'<section class="periods".*?</section>', re.S)
    assert section.search(again.content.decode()).group(0) == section.search(filtered.content.decode()).group(0)
    assert '<details class="periods__fold">' in again.content.decode()

    unfiltered = client.get("/").content.decode()
    assert '<details class="periods__fold" open>' in unfiltered
    before = _transfers_in_first_period(unfiltered)
    TransferFactory(period__slug="1992-2006")
    DataVersion.bump()
    assert _transfers_in_first_period(client.get("/?type=event&from=2000").content.decode()) == before + 1
