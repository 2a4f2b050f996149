"""/api/statistics/?format=csv: the statistics as tidy rows, linked from the statistics page."""

import csv
import io
import re
from html import unescape

import pytest

from aggregates import statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats() -> statistics.StoredStatistics:
    statistics.rebuild()
    return statistics.current_statistics()


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_statistics_csv_is_tidy_and_holds_every_number_of_the_json(client, stats):
    body = client.get("/api/statistics/").json()
    rows = read_csv(client.get("/api/statistics/", {"format": "csv"}))
    assert list(rows[0]) == ["scope", "measure", "key", "value"]
    table = {(r["scope"], r["measure"], r["key"]): r["value"] for r in rows}
    assert len(table) == len(rows)  # one value per (scope, measure, key)
    ru_cn = body["statistics"]["transfers"]["period"]["2014-present"]["direction"]["ru-cn"]
    assert table[("transfers/period/2014-present", "value_usd", "direction=ru-cn")] == str(ru_cn["value_usd"])
    assert table[("transfers", "count", "total")] == "17"
    assert table[("citations/records_per_endnote/csis-mtc-primer-2020", "records", "31")] == str(
        body["statistics"]["citations"]["records_per_endnote"]["csis-mtc-primer-2020"]["31"]
    )
    # Every leaf number of the JSON document is one row.
    leaves = sum(1 for _ in _leaves(body["statistics"]))
    assert leaves == len(rows)


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    else:
        yield value


def test_statistics_page_links_its_csv(client, stats):
    page = client.get("/statistics/").content.decode()
    href = unescape(re.search(r'<a href="([^"]*format=csv)"', page).group(1))
    rows = read_csv(client.get(href))
    assert rows[0]["scope"] == "transfers"


def test_unknown_statistics_format_is_a_400_naming_the_choices(client, stats):
    response = client.get("/api/statistics/", {"format": "xlsx"})
    assert response.status_code == 400
    assert "json" in response.json()["format"][0]
