"""The statistics page (/statistics/) and its JSON twin (/api/statistics/)."""

import re

import pytest

from aggregates import statistics
from aggregates.models import StatisticsSnapshot, StatisticsState
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats() -> statistics.StoredStatistics:
    statistics.rebuild()
    return statistics.current_statistics()


def page(client) -> str:
    response = client.get("/statistics/")
    assert response.status_code == 200
    return response.content.decode()


def test_api_gives_the_statistics_with_computed_at_and_a_stale_flag(client, stats):
    body = client.get("/api/statistics/").json()
    assert body["stale"] is False
    assert body["failing"] is False
    assert body["computed_at"].startswith(stats.computed_at.strftime("%Y-%m-%dT%H:%M"))
    assert body["data_version"] == body["live_data_version"] == stats.data_version
    assert body["fingerprint"]["counts"]["transfers_transfer"] == 17
    ru_cn = body["statistics"]["transfers"]["period"]["2014-present"]["direction"]["ru-cn"]
    assert ru_cn["value_usd"] == 5_500_000_000


def test_api_says_stale_as_soon_as_a_record_changes(client, stats):
    TransferFactory()
    body = client.get("/api/statistics/").json()
    assert body["stale"] is True
    assert body["live_data_version"] > body["data_version"]
    assert body["statistics"]["transfers"]["all"]["total"]["count"] == 17  # the old set until rebuilt


def test_api_reads_the_statistics_in_one_query(client, stats, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the read, plus the request transaction's savepoint pair
        assert client.get("/api/statistics/").status_code == 200


def test_api_is_read_only(client, stats):
    assert client.post("/api/statistics/", {}).status_code == 405


def test_api_schema_documents_the_endpoint(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    response = schema["paths"]["/api/statistics/"]["get"]["responses"]["200"]
    ref = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"computed_at", "stale", "statistics"} <= set(schema["components"]["schemas"][ref]["properties"])


def test_page_says_when_the_statistics_were_rebuilt(client, stats):
    html = page(client)
    assert f'datetime="{stats.computed_at.isoformat()}' in html
    assert f"from data version {stats.data_version}" in html
    assert "Up to date with the records." in html


def test_page_charts_are_labelled_svg_with_a_data_table(client, stats):
    html = page(client)
    charts = re.findall(r'<svg viewBox="[^"]+" role="img" aria-labelledby="([\w-]+)-title \1-desc"', html)
    assert set(charts) == {
        "chart-period-count",
        "chart-period-value",
        "chart-year-count",
        "chart-year-value",
        "chart-category-count",
        "chart-category-value",
        "chart-direction-count",
        "chart-direction-value",
    }
    assert '<title id="chart-period-count-title">Transfers per period, by direction</title>' in html
    assert "Transfers per period, by direction: 1992-2006: 4; 2006-2014: 6; 2014-present: 7." in html
    assert "Known value of transfers per period, by direction (US dollars): 1992-2006: none known; " in html
    assert "<title>2014-present, Russia to China: $5.5 bn</title>" in html
    assert "<caption>Transfers per period (data of the charts)</caption>" in html
    assert "<caption>Transfers by category (data of the charts)</caption>" in html
    # Server-rendered: no inline script; the scripts are static files (enhancements) and
    # the page's JSON-LD data block.
    tags = re.findall(r"<script[^>]*>", html)
    assert all(" src=" in tag or 'type="application/ld+json"' in tag for tag in tags)


def test_page_shows_the_reports_figures_beside_the_computed_ones_with_their_citation(client, stats):
    html = page(client)
    section = html.split('id="compare-1992-2006"', 1)[1].split("</article>", 1)[0]
    assert "4 transfers" in section
    assert "4 Russia to China" in section
    assert "Russian arms sales to China totaled roughly $26 billion from 1992-2006." in section
    assert 'href="/notes/csis-mtc-primer-2020/8/">(note 8)</a>' in section
    later = html.split('id="compare-2014-present"', 1)[1].split("</article>", 1)[0]
    assert "3 Russia to China, $5.5 bn known" in later


def test_page_shows_projects_events_and_citation_coverage(client, stats):
    html = page(client)
    assert "Joint projects by status (6 in all)" in html
    assert "Events by kind (38 in all)" in html
    assert "36 of 148 records cite no endnote" in html
    assert "73 of 73 endnotes are cited by at least one record" in html
    # Endnotes by number and their opening words, works by title and author (not by slug).
    assert (
        '<a href="/notes/csis-mtc-primer-2020/23/">Endnote 23</a> '
        '<span class="muted">Lukin, China and Russia, 156.</span></th><td class="num">11</td>'
    ) in html
    assert ">China-Russia Military-to-Military Relations: Moving Toward a Higher Level of Cooperation</a>" in html
    assert ">meick-2017<" not in html


def test_page_flags_stale_statistics(client, stats):
    TransferFactory()
    assert "the records changed since" in page(client)


def test_page_before_any_rebuild_says_so(client, stats):
    StatisticsState.objects.all().delete()
    StatisticsSnapshot.objects.all().delete()
    html = page(client)
    assert "Not computed yet." in html
    assert "<svg" not in html.split("</header>", 1)[1]


def test_page_runs_a_fixed_number_of_queries(client, stats, django_assert_max_num_queries):
    # statistics, periods, figures with their citations, endnotes, documents; savepoints
    with django_assert_max_num_queries(8):
        page(client)


def test_numbers_the_report_does_not_state_read_not_stated(client, stats):
    html = page(client)
    # Four engine contracts give numbers ordered and none delivered: silence is not zero.
    engines = '<th scope="row">engines</th><td class="num">5</td><td class="num">597</td>'
    assert engines + '<td class="num">not stated</td>' in html
    assert '<th scope="row">regiments</th><td class="num">1</td><td class="num">2</td><td class="num">1</td>' in html
