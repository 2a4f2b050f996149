"""Every API resource lists and shows its records, with url, html_url and citations."""

import pytest

pytestmark = pytest.mark.django_db

DOC = "csis-mtc-primer-2020"

# list path, a detail path in the report, the page that detail links to, whether records cite endnotes
RESOURCES = [
    ("/api/periods/", "/api/periods/2014-present/", "/periods/2014-present/", False),
    ("/api/events/", "/api/events/1992-mtc-agreement/", "/events/1992-mtc-agreement/", True),
    ("/api/transfers/", "/api/transfers/s-400-2015/", "/transfers/s-400-2015/", True),
    ("/api/projects/", "/api/projects/heavy-lift-helicopter-2015/", "/projects/heavy-lift-helicopter-2015/", True),
    ("/api/figures/", None, None, True),
    ("/api/actors/", "/api/actors/rostec/", "/actors/rostec/", False),
    ("/api/policy-options/", None, None, True),
    ("/api/documents/", f"/api/documents/{DOC}/", f"/documents/{DOC}/", False),
    ("/api/sources/", "/api/sources/meick-2017/", "/sources/meick-2017/", False),
    ("/api/endnotes/", f"/api/endnotes/{DOC}/31/", f"/notes/{DOC}/31/", False),
    ("/api/citations/", None, None, False),
    (
        "/api/analyses/",
        "/api/analyses/schwartz-concerns-overridden/",
        "/analyses/schwartz-concerns-overridden/",
        True,
    ),
]

COUNTS = {
    "/api/periods/": 3,
    "/api/events/": 38,
    "/api/transfers/": 17,
    "/api/projects/": 6,
    "/api/figures/": 38,
    "/api/actors/": 32,
    "/api/policy-options/": 6,
    "/api/analyses/": 11,
    "/api/documents/": 1,
    "/api/sources/": 36,
    "/api/endnotes/": 73,
}


@pytest.mark.parametrize(("list_path", "detail_path", "page", "cited"), RESOURCES)
def test_list_and_detail(api, list_path, detail_path, page, cited):
    response = api.get(list_path, {"page_size": 500})
    assert response.status_code == 200
    body = response.json()
    if list_path in COUNTS:
        assert body["count"] == COUNTS[list_path] == len(body["results"])
    first = body["results"][0]
    assert first["url"].startswith("http://testserver/api/")
    assert first["html_url"].startswith("http://testserver/")
    assert "?format" not in first["url"]
    if cited:
        assert "citations" in first
        assert any(item["citations"] for item in body["results"])

    detail_path = detail_path or first["url"].removeprefix("http://testserver")
    detail = api.get(detail_path)
    assert detail.status_code == 200
    assert detail.json()["url"] == f"http://testserver{detail_path}"
    if page:
        assert detail.json()["html_url"] == f"http://testserver{page}"
        assert api.get(page).status_code == 200  # the html_url is a real page


def test_record_citations_carry_number_pinpoint_and_endnote_url(api):
    body = api.get("/api/transfers/s-400-2015/").json()
    numbers = [c["number"] for c in body["citations"]]
    assert 31 in numbers
    citation = body["citations"][numbers.index(31)]
    assert set(citation) >= {"number", "pinpoint", "url", "html_url", "document"}
    assert citation["url"] == f"http://testserver/api/endnotes/{DOC}/31/"
    assert api.get(citation["url"]).json()["number"] == 31


def test_transfer_field_names_are_stable(api):
    body = api.get("/api/transfers/s-400-2015/").json()
    expected = {
        "designation", "description", "category", "supplier", "recipient", "direction", "year_ordered",
        "delivery_years", "number_ordered", "number_delivered", "value_usd", "value_usd_low", "value_usd_high",
        "value_approximate", "status", "period", "date", "date_start", "date_end", "url", "html_url", "citations",
    }  # fmt: skip
    assert expected <= set(body)
    assert body["supplier"] == "russia"
    assert body["recipient"] == "china"
    assert body["direction"] == "ru-cn"
    assert body["value_usd"] == 3_000_000_000  # whole dollars, a JSON integer
    assert body["delivery_years"] == "2018; 2019"
    assert (body["date"], body["date_start"], body["date_end"]) == ("2015", "2015-01-01", "2015-12-31")


def test_event_field_names_are_stable(api):
    body = api.get("/api/events/1992-mtc-agreement/").json()
    assert {"title", "kind", "description", "period", "date", "date_start", "date_end"} <= set(body)
    assert body["period"] == "1992-2006"


def test_endnote_fields_and_ibid(api):
    body = api.get(f"/api/endnotes/{DOC}/8/").json()
    assert {"document", "number", "text", "urls", "pages", "ibid_of", "sources"} <= set(body)
    assert body["text"] == "Meick, 12."
    assert body["pages"] == "12"
    assert body["sources"][0]["source"] == "meick-2017"
    ibid = next(n for n in api.get("/api/endnotes/", {"ibid": "true"}).json()["results"])
    assert isinstance(ibid["ibid_of"], int)
    assert ibid["ibid_of"] < ibid["number"]
    assert api.get(f"/api/endnotes/{DOC}/1/").json()["ibid_of"] is None


def test_open_period_has_null_end_year(api):
    body = api.get("/api/periods/2014-present/").json()
    assert body["end_year"] is None
    assert body["years"] == "2014-present"


def test_undated_records_have_null_bounds(api):
    body = api.get("/api/transfers/su-27-1992-2006/").json()
    assert body["date"] == ""
    assert body["date_start"] is None
    assert body["date_end"] is None


def test_unknown_records_are_404(api):
    assert api.get("/api/transfers/no-such-deal/").status_code == 404
    assert api.get(f"/api/endnotes/{DOC}/999/").status_code == 404
    assert api.get("/api/endnotes/no-such-document/1/").status_code == 404


def test_api_root_lists_every_resource(api):
    body = api.get("/api/").json()
    for name in ("periods", "events", "transfers", "projects", "figures", "actors", "policy-options", "documents",
                 "sources", "endnotes", "citations", "timeline"):  # fmt: skip
        assert body[name] == f"http://testserver/api/{name}/"


def test_citation_resource_names_record_and_endnote(api):
    body = api.get("/api/citations/", {"record_type": "transfer", "endnote": 31}).json()
    records = {c["record"] for c in body["results"]}
    assert "s-400-2015" in records
    item = next(c for c in body["results"] if c["record"] == "s-400-2015")
    assert item["record_url"] == "http://testserver/api/transfers/s-400-2015/"
    assert item["endnote_url"] == f"http://testserver/api/endnotes/{DOC}/31/"
    assert api.get(item["url"]).json()["id"] == item["id"]


def test_browsable_api_renders_for_people(api):
    response = api.get("/api/transfers/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Transfer List" in response.content


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_addresses_answer_json_404(api, method):
    response = getattr(api, method)("/api/endnotes/csis-mtc-primer-2020/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_errors_are_json_whatever_the_format(api):
    response = api.get("/api/transfers/", {"format": "csv", "category": "spaceships"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "category" in response.json()


def test_addresses_with_control_characters_answer_json_404(api):
    response = api.put("/api/endnotes/x%0Ay/1/", {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
