"""CSV of exactly what a list shows, and the timeline as a TimelineJS document."""

import csv
import io
import json
import re

import pytest

from periods.models import Period
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/periods/", "/api/events/", "/api/transfers/", "/api/projects/", "/api/figures/", "/api/actors/",
    "/api/policy-options/", "/api/documents/", "/api/sources/", "/api/endnotes/", "/api/citations/", "/api/timeline/",
]  # fmt: skip


def body(response) -> str:
    """The text of a response, streamed (whole-selection exports) or not."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8")


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response))))


@pytest.mark.parametrize("path", LISTS)
def test_csv_has_the_columns_and_rows_of_the_json_page(api, path):
    params = {"page_size": 7, "page": 1}
    page = api.get(path, params).json()["results"]
    response = api.get(path, {**params, "format": "csv"})
    rows = read_csv(response)
    assert len(rows) == len(page)
    assert set(rows[0]) == set(page[0])
    assert [r["url"] for r in rows] == [p["url"] for p in page]
    assert response["Content-Disposition"].startswith("attachment; filename=")


def test_transfer_csv_follows_the_sipri_register_order(api):
    text = body(api.get("/api/transfers/", {"format": "csv", "ordering": "slug"}))
    header = text.splitlines()[0].split(",")
    assert header[:10] == [
        "recipient", "supplier", "year_ordered", "number_ordered", "designation", "description",
        "number_delivered", "delivery_years", "status", "notes",
    ]  # fmt: skip
    s400 = next(r for r in csv.DictReader(io.StringIO(text)) if r["designation"] == "S-400")
    assert (s400["year_ordered"], s400["number_ordered"], s400["delivery_years"]) == ("2015", "2", "2018; 2019")
    assert s400["value_usd"] == "3000000000"
    assert "31" in s400["citations"].split("; ")


def test_csv_of_a_filtered_list_has_only_matching_rows(api):
    rows = read_csv(api.get("/api/transfers/", {"format": "csv", "direction": "cn-ru"}))
    assert rows
    assert {r["direction"] for r in rows} == {"cn-ru"}


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_cannot_run_as_spreadsheet_formulas(api, payload):
    period = Period.objects.get(slug="2014-present")
    EventFactory(slug="formula", title=payload, description=payload, period=period)
    rows = read_csv(api.get("/api/events/", {"format": "csv", "period": "2014-present", "page_size": 500}))
    row = next(r for r in rows if r["slug"] == "formula")
    assert row["title"] == "'" + payload
    assert row["description"] == "'" + payload


def test_csv_of_an_empty_list_still_has_its_header(api):
    lines = body(api.get("/api/transfers/", {"format": "csv", "q": "zeppelin"})).splitlines()
    assert lines[0].startswith("recipient,supplier,year_ordered")
    assert len(lines) == 1


def test_csv_without_paging_is_the_whole_filtered_list_in_list_order_streamed(api, settings):
    settings.EXPORT_CHUNK_SIZE = 7  # several chunks, one partial
    listed = api.get("/api/endnotes/", {"page_size": 500, "document": "csis-mtc-primer-2020"}).json()
    assert listed["count"] > 50  # more than one default page
    response = api.get("/api/endnotes/", {"format": "csv", "document": "csis-mtc-primer-2020"})
    assert response.streaming
    assert response["X-Total-Count"] == str(listed["count"])
    assert [r["url"] for r in read_csv(response)] == [e["url"] for e in listed["results"]]


def test_csv_with_paging_is_that_page(api):
    response = api.get("/api/endnotes/", {"format": "csv", "page": 2, "page_size": 10})
    json_page = api.get("/api/endnotes/", {"page": 2, "page_size": 10}).json()
    assert [r["url"] for r in read_csv(response)] == [e["url"] for e in json_page["results"]]
    assert response["X-Total-Count"] == str(json_page["count"])


@pytest.mark.parametrize(
    "params",
    [
        {"format": "csv"},
        {"format": "ris"},
        {"format": "bibtex"},
        {"format": "csljson"},
    ],
)
def test_anonymous_whole_selection_exports_beyond_the_limit_are_refused_naming_it(api, editor_api, settings, params):
    settings.EXPORT_ANON_MAX_ROWS = 20
    response = api.get("/api/endnotes/", params)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert "EXPORT_ANON_MAX_ROWS" in detail
    assert "at most 20" in detail
    assert "page_size" in detail
    assert api.get("/api/endnotes/", {**params, "page_size": 20}).status_code == 200  # paging it is fine
    assert editor_api.get("/api/endnotes/", params).status_code == 200  # a token holder gets it whole


def test_anonymous_timeline_exports_beyond_the_limit_are_refused_naming_it(api, settings):
    settings.EXPORT_ANON_MAX_ROWS = 5
    for fmt in ("timelinejs", "csv"):
        response = api.get("/api/timeline/", {"format": fmt})
        assert response.status_code == 403
        assert "EXPORT_ANON_MAX_ROWS" in response.json()["detail"]


def test_csv_of_one_record(api):
    rows = read_csv(api.get("/api/endnotes/csis-mtc-primer-2020/8/", {"format": "csv"}))
    assert len(rows) == 1
    assert rows[0]["text"] == "Meick, 12."


def test_csv_by_accept_header(api):
    response = api.get("/api/periods/", HTTP_ACCEPT="text/csv")
    assert len(read_csv(response)) == 3


# -- TimelineJS --------------------------------------------------------------------------------


def assert_timelinejs_date(obj):
    assert isinstance(obj, dict)
    assert isinstance(obj["year"], int)
    assert set(obj) <= {"year", "month", "day"}
    if "day" in obj:
        assert "month" in obj
    for key in ("month", "day"):
        if key in obj:
            assert isinstance(obj[key], int)


def assert_timelinejs_text(text, *, headline_required=True):
    assert isinstance(text, dict)
    assert set(text) <= {"headline", "text"}
    if headline_required:
        assert isinstance(text["headline"], str)
        assert text["headline"]


def assert_valid_timelinejs(doc):
    """The TimelineJS3 JSON format: events (required) with start_date; optional title, eras."""
    assert set(doc) <= {"title", "events", "eras", "scale"}
    assert isinstance(doc["events"], list)
    assert doc["events"]
    ids = [event["unique_id"] for event in doc["events"]]
    assert len(ids) == len(set(ids))
    for event in doc["events"]:
        assert set(event) <= {
            "start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink", "unique_id"
        }  # fmt: skip
        assert_timelinejs_date(event["start_date"])
        if "end_date" in event:
            assert_timelinejs_date(event["end_date"])
            start, end = event["start_date"], event["end_date"]
            assert (start["year"], start.get("month", 1), start.get("day", 1)) <= (
                end["year"], end.get("month", 12), end.get("day", 31)
            )  # fmt: skip
        assert_timelinejs_text(event["text"])
        assert isinstance(event["group"], str)
    for era in doc.get("eras", []):
        assert_timelinejs_date(era["start_date"])
        assert_timelinejs_date(era["end_date"])
        assert era["start_date"]["year"] <= era["end_date"]["year"]
        assert_timelinejs_text(era["text"])
    if "title" in doc:
        assert_timelinejs_text(doc["title"]["text"])


def timelinejs(api, **params) -> dict:
    response = api.get("/api/timeline/", {"format": "timelinejs", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.timelinejs+json")
    return json.loads(body(response))


def test_timelinejs_document_is_valid_and_whole(api):
    response = api.get("/api/timeline/", {"format": "timelinejs"})
    assert response.streaming
    doc = json.loads(body(response))
    assert_valid_timelinejs(doc)
    listed = api.get("/api/timeline/", {"page_size": 500}).json()
    assert response["X-Total-Count"] == str(listed["count"])
    # The whole timeline, in the list's order.
    assert [e["unique_id"] for e in doc["events"]] == [item["slug"] for item in listed["results"]]
    assert [(e["start_date"]["year"]) for e in doc["eras"]] == [1992, 2006, 2014]
    assert doc["eras"][0]["end_date"] == {"year": 2006}
    assert doc["eras"][2]["end_date"]["year"] >= 2020  # the open period runs to the present


def test_timelinejs_events_are_as_precise_as_their_dates(api):
    events = {e["unique_id"]: e for e in timelinejs(api)["events"]}
    su35 = events["su-35-2015"]  # "November 2015"
    assert su35["start_date"] == {"year": 2015, "month": 11}
    assert "end_date" not in su35
    assert su35["group"] == "transfer"
    assert su35["display_date"] == "November 2015"
    engines = events["al-31f-140-2011"]  # "2011-2012"
    assert engines["start_date"] == {"year": 2011}
    assert engines["end_date"] == {"year": 2012}
    s400 = events["s-400-2015"]
    assert '<a href="http://testserver/notes/csis-mtc-primer-2020/31/">31</a>' in s400["text"]["text"]


def test_timelinejs_follows_the_filters(api):
    doc = timelinejs(api, period="2006-2014", type="event")
    assert_valid_timelinejs(doc)
    assert {e["group"] for e in doc["events"]} == {"event"}
    assert [era["start_date"]["year"] for era in doc["eras"]] == [2006]
    day_precise = [e for e in doc["events"] if "day" in e["start_date"]]
    assert all("month" in e["start_date"] for e in day_precise)


def test_timelinejs_with_paging_is_that_page(api):
    doc = timelinejs(api, page=2, page_size=5)
    assert_valid_timelinejs(doc)
    page = api.get("/api/timeline/", {"page": 2, "page_size": 5}).json()["results"]
    assert [e["unique_id"] for e in doc["events"]] == [item["slug"] for item in page]


def test_timelinejs_is_only_for_the_timeline(api):
    response = api.get("/api/events/", {"format": "timelinejs"})
    assert response.status_code == 400
    assert "format" in response.json()


def test_timelinejs_escapes_every_text_timelinejs_renders_as_html(api):
    script = "<script>window.__xss=1</script>"
    EventFactory(
        slug="hostile-event",
        title=f"Title {script}",
        description=f"Text {script}",
        date_text=f"2016 {script}",
        date_edtf="2016",
        period=Period.objects.get(slug="2014-present"),
    )
    events = {e["unique_id"]: e for e in timelinejs(api)["events"]}
    event = events["hostile-event"]
    rendered = json.dumps([event["display_date"], event["text"], event["group"]])
    assert "<script" not in rendered
    assert event["display_date"] == "2016 &lt;script&gt;window.__xss=1&lt;/script&gt;"
    assert event["text"]["headline"] == "Title &lt;script&gt;window.__xss=1&lt;/script&gt;"


def test_every_timelinejs_slide_shows_its_year(api):
    """A slide stands alone: "December 11" (the 2008 IP agreement) would leave the reader guessing."""
    events = timelinejs(api)["events"]
    assert events
    for event in events:
        assert re.search(r"\d{4}|\d{3}0s", event["display_date"]), event  # "FY 2021", "mid-2000s" count
    by_id = {e["unique_id"]: e for e in events}
    assert by_id["su-35-2015"]["display_date"] == "November 2015"
    ip = next(e for e in events if e["display_date"].startswith("December 11"))
    assert ip["display_date"] == "December 11, 2008"
