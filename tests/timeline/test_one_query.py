"""One question, one answer: the home page, /api/timeline/, its CSV and TimelineJS
exports and the citing selection select the same records, in the same order, for every
filter combination; and the page's export links, followed, answer 200 with those records.
"""

import csv
import io
import json
import re
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.django_db

COMBINATIONS = [
    {},
    {"type": "transfer"},
    {"type": ["event", "project"]},
    {"period": "2014-present"},
    {"category": "air-defence"},
    {"direction": "ru-cn"},
    {"from": "2014"},
    {"to": "2006"},
    {"from": "2011", "to": "2012"},
    {"actor": "russia"},
    {"actor": "rostec"},
    {"endnote": "31"},
    {"q": "S-400"},
    {"q": "joint development"},
    {"period": "2014-present", "type": "transfer"},
    {"period": "1992-2006", "actor": "china"},
    {"direction": "cn-ru", "undated": "1"},
    {"type": "figure", "from": "2014", "to": "2018"},
    {"actor": "russia", "q": "helicopter"},
    {"period": "2006-2014", "undated": "1"},
    {"ordering": "-date", "type": "event"},
    {"ordering": "-date"},
    {"ordering": "-date", "undated": "1"},
    {"ordering": "-date", "period": "2006-2014", "type": ["transfer", "project", "figure"]},
    {"type": "analysis", "undated": "1"},
    {"actor": "paul-schwartz"},
]
RECORD_LINK = re.compile(r'class="entry [^"]*".*?href="(/(?:events|transfers|projects|figures|analyses)/[^"]+/)"', re.S)


def query_string(params: dict) -> str:
    return urlencode(params, doseq=True)


def page_records(client, params) -> tuple[list[str], str]:
    response = client.get("/?" + query_string(params))
    assert response.status_code == 200
    html = response.content.decode()
    return RECORD_LINK.findall(html), html


def api_records(client, params) -> list[str]:
    data = client.get("/api/timeline/?" + query_string({**params, "page_size": 500})).json()
    assert data["next"] is None
    return [item["html_url"].removeprefix("http://testserver") for item in data["results"]]


def csv_records(client, params, paging: dict | None = None) -> list[str]:
    """The CSV export: a page of it with ``paging``, otherwise the whole selection,
    streamed by merging each type's rows (``MergedTimeline.iterator``)."""
    response = client.get("/api/timeline/?" + query_string({**params, **(paging or {}), "format": "csv"}))
    body = response.getvalue() if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    return [row["html_url"].removeprefix("http://testserver") for row in rows]


def timelinejs_records(client, params) -> list[str]:
    response = client.get("/api/timeline/?" + query_string({**params, "format": "timelinejs"}))
    plural = {
        "event": "events",
        "transfer": "transfers",
        "project": "projects",
        "figure": "figures",
        "analysis": "analyses",
    }
    events = json.loads(response.getvalue())["events"]  # streamed: getvalue() reads it whole
    return [f"/{plural[e['group']]}/{e['unique_id'].removeprefix(e['group'] + '-')}/" for e in events]


def cited_endnotes(client, params) -> set[int]:
    response = client.get("/cite/endnotes.json?" + query_string(params))
    assert response.status_code == 200
    return {int(n) for item in json.loads(response.content) for n in re.findall(r"note (\d+)", item.get("note", ""))}


def endnotes_of(client, urls: list[str]) -> set[int]:
    numbers: set[int] = set()
    for url in urls:
        kind, slug = url.strip("/").split("/")
        citations = client.get(f"/api/{kind}/{slug}/").json()["citations"]
        numbers |= {c["number"] for c in citations}
    return numbers


@pytest.mark.parametrize("params", COMBINATIONS, ids=lambda p: query_string(p) or "all")
def test_page_api_exports_and_citing_select_the_same_records(client, params):
    on_page, _ = page_records(client, params)
    assert api_records(client, params) == on_page
    assert csv_records(client, params, {"page_size": 500}) == on_page
    assert csv_records(client, params) == on_page
    if params.get("ordering") != "-date":  # TimelineJS orders by date itself
        assert timelinejs_records(client, params) == on_page
    else:
        assert sorted(timelinejs_records(client, params)) == sorted(on_page)
    assert cited_endnotes(client, params) == endnotes_of(client, on_page)


@pytest.mark.parametrize("params", COMBINATIONS, ids=lambda p: query_string(p) or "all")
def test_the_pages_export_links_are_followed_and_answer_with_its_records(client, params):
    on_page, html = page_records(client, params)
    links = re.findall(r'href="(/api/timeline/\?[^"]*format=(?:json|csv)[^"]*)"', html)
    assert len(links) == 2
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
    json_link = next(link for link in links if "format=json" in link).replace("&amp;", "&")
    data = client.get(json_link + "&page_size=500").json()
    assert [i["html_url"].removeprefix("http://testserver") for i in data["results"]] == on_page


def test_a_state_includes_its_own_organisations_on_page_and_api(client):
    russia, _ = page_records(client, {"actor": "russia"})
    assert "/events/rostec-su-57-statement-2019-03/" in russia  # names Rostec, a Russian organisation
    assert api_records(client, {"actor": "russia"}) == russia


def test_a_year_range_finds_records_whose_span_touches_it(client):
    urls, _ = page_records(client, {"from": "2012", "to": "2012"})
    assert api_records(client, {"from": "2012", "to": "2012"}) == urls
    assert urls, "the report dates records in 2012"
