"""A list's CSV equals its JSON, all pages joined, row for row (read with Python's csv).

The whole-selection CSV (one download, streamed) is built in issue #17; until it is on
main, both are paged with ``page``/``page_size``, which the CSV honours as the JSON does.
"""

import csv
import io
from decimal import Decimal

import pytest

from timeline.filters import TimelineQuery
from timeline.selectors import timeline

pytestmark = pytest.mark.django_db

PAGE_SIZE = 10  # smaller than every list compared, so each spans several pages


def all_json(api, path: str, params: dict) -> list[dict]:
    items, page = [], 1
    while True:
        body = api.get(path, {**params, "page": page, "page_size": PAGE_SIZE}).json()
        items += body["results"]
        if not body["next"]:
            return items
        page += 1


def all_csv(api, path: str, params: dict) -> tuple[list[str], list[list[str]]]:
    header, rows, page = None, [], 1
    while True:
        response = api.get(path, {**params, "format": "csv", "page": page, "page_size": PAGE_SIZE})
        if response.status_code == 404:  # past the last page
            return header, rows
        assert response.status_code == 200
        reader = csv.reader(io.StringIO(response.content.decode("utf-8")))
        page_header = next(reader)
        assert header in (None, page_header)  # the same columns on every page
        header = page_header
        rows += list(reader)
        page += 1


def cell(value) -> str:
    """What a JSON value reads as in a CSV cell (lists: their items, '; '-joined)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
    return None  # a list or an object: compared by count below


def assert_same_rows(header: list[str], rows: list[list[str]], items: list[dict]) -> None:
    assert len(rows) == len(items)
    assert set(header) == set(items[0])
    for row, item in zip(rows, items, strict=True):
        for column, text in zip(header, row, strict=True):
            value = item[column]
            expected = cell(value)
            if expected is not None:
                assert text == expected, (item["url"], column)
            elif isinstance(value, list):
                assert len(text.split("; ")) == len(value) if value else text == "", (item["url"], column)


def test_endnotes_csv_is_all_73_notes_as_in_the_json(api):
    params = {"document": "csis-mtc-primer-2020"}
    items = all_json(api, "/api/endnotes/", params)
    header, rows = all_csv(api, "/api/endnotes/", params)
    assert len(items) == 73
    assert_same_rows(header, rows, items)
    assert [r[header.index("number")] for r in rows] == [str(n) for n in range(1, 74)]


def test_timeline_csv_is_every_dated_record_in_the_timeline_order(api):
    items = all_json(api, "/api/timeline/", {})
    header, rows = all_csv(api, "/api/timeline/", {})
    dated = timeline(TimelineQuery())
    assert len(items) == dated.count() > PAGE_SIZE * 2
    assert_same_rows(header, rows, items)


def test_transfers_csv_with_a_filter_equals_its_json(api):
    params = {"supplier": "russia", "ordering": "-year_ordered"}
    items = all_json(api, "/api/transfers/", params)
    header, rows = all_csv(api, "/api/transfers/", params)
    assert len(items) > PAGE_SIZE
    assert {i["supplier"] for i in items} == {"russia"}
    assert_same_rows(header, rows, items)
