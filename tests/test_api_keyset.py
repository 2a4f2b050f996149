"""``?after=<slug>``: deep pages read off the ordering's index (``ground.keyset``).

Following ``next`` links that continue after each page's last record lists exactly the
rows of the whole list, in its order, for every ordering (nullable columns in both
directions included, on SQLite's and PostgreSQL's null order alike)."""

import pytest

from ground.pagination import PageNumberWithSize
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


def _slugs(rows: list[dict]) -> list[str]:
    return [row["slug"] for row in rows]


def walk(api, path: str, params: dict, size: int) -> list[str]:
    """Every row reached by following ``next`` from the first page."""
    response = api.get(path, {**params, "page_size": size})
    seen = _slugs(response.json()["results"])
    pages = 1
    while (link := response.json()["next"]) is not None:
        assert "after=" in link
        assert "page=" not in link.split("?", 1)[1].replace("page_size=", "")
        response = api.get(link)
        assert response.status_code == 200, response.json()
        seen += _slugs(response.json()["results"])
        pages += 1
        assert pages < 1000
    return seen


@pytest.fixture
def nulls_in_every_column():
    """Deals without a value, a year of order or a date, beside dated ones that tie."""
    for i in range(4):
        TransferFactory(slug=f"keyset-undated-{i}", value_usd=None, year_ordered=None, date_text="", date_edtf="")
    for i in range(3):
        TransferFactory(slug=f"keyset-tie-{i}", designation="Tie", value_usd=5, date_text="2015", date_edtf="2015")


@pytest.mark.usefixtures("nulls_in_every_column")
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"dated": "false"},
        {"ordering": "-value_usd"},
        {"ordering": "value_usd"},
        {"ordering": "year_ordered"},
        {"ordering": "-year_ordered"},
        {"ordering": "designation"},
        {"ordering": "-date"},
        {"ordering": "-designation", "category": "aircraft"},
    ],
)
@pytest.mark.parametrize("size", [1, 3])
def test_following_after_links_lists_the_whole_list_in_order(api, monkeypatch, params, size):
    monkeypatch.setattr(PageNumberWithSize, "KEYSET_FROM", 0)  # every next link continues after
    whole = _slugs(api.get("/api/transfers/", {**params, "page_size": 500}).json()["results"])
    assert len(whole) > 3
    assert walk(api, "/api/transfers/", params, size) == whole


@pytest.mark.parametrize("path", ["/api/events/", "/api/figures/", "/api/actors/", "/api/sources/", "/api/systems/"])
def test_every_list_with_slugs_pages_after(api, monkeypatch, path):
    monkeypatch.setattr(PageNumberWithSize, "KEYSET_FROM", 0)
    whole = _slugs(api.get(path, {"page_size": 500}).json()["results"])
    assert walk(api, path, {}, 4) == whole


def test_next_links_number_the_first_pages_then_continue_after(api, monkeypatch):
    monkeypatch.setattr(PageNumberWithSize, "KEYSET_FROM", 6)
    first = api.get("/api/events/", {"page_size": 3}).json()
    assert "page=2" in first["next"]
    second = api.get(first["next"]).json()
    assert "after=" in second["next"]
    assert "page=" not in second["next"].replace("page_size", "")
    assert f"after={second['results'][-1]['slug']}" in second["next"]
    third = api.get(second["next"]).json()
    assert third["previous"] is None
    assert third["count"] == first["count"]
    by_number = api.get("/api/events/", {"page_size": 3, "page": 3}).json()
    assert third["results"] == by_number["results"]


@pytest.mark.parametrize("path", ["/api/endnotes/", "/api/citations/"])
def test_lists_without_slugs_keep_numbered_next_links_at_any_depth(api, monkeypatch, path):
    monkeypatch.setattr(PageNumberWithSize, "KEYSET_FROM", 0)
    body = api.get(path, {"page": 2, "page_size": 5}).json()
    assert "page=3" in body["next"]
    assert "after=" not in body["next"]
    assert api.get(body["next"]).status_code == 200


def test_with_after_page_counts_pages_from_that_record(api):
    rows = _slugs(api.get("/api/events/", {"page_size": 500}).json()["results"])
    second = api.get("/api/events/", {"after": rows[0], "page": 2, "page_size": 3}).json()
    assert _slugs(second["results"]) == rows[4:7]
    assert f"after={rows[6]}" in second["next"]
    assert "page=" not in second["next"].replace("page_size", "")


def test_after_the_last_record_is_an_empty_last_page(api):
    last = api.get("/api/events/", {"page": "last", "page_size": 5}).json()["results"][-1]["slug"]
    response = api.get("/api/events/", {"after": last})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert response.json()["next"] is None


@pytest.mark.parametrize(
    ("params", "status", "body"),
    [
        (
            {"after": "s-400-2015", "page": "last"},
            400,
            {"page": ["with after, page must be a whole number of 1 or more."]},
        ),
        ({"after": ""}, 400, {"after": ["must not be empty; leave the parameter out."]}),
        ({"after": "no-such-deal"}, 404, {"detail": "after: no arms transfer has the slug 'no-such-deal'."}),
    ],
)
def test_a_bad_after_names_the_parameter(api, params, status, body):
    response = api.get("/api/transfers/", params)
    assert response.status_code == status
    assert response.json() == body


@pytest.mark.parametrize("path", ["/api/timeline/", "/api/search/", "/api/endnotes/"])
def test_lists_without_one_index_or_without_slugs_page_by_number_only(api, path):
    response = api.get(path, {"after": "s-400-2015", "q": "S-400"} if "search" in path else {"after": "x"})
    assert response.status_code == 400
    assert "Unknown query parameter 'after'" in response.json()["after"][0]


def test_the_schema_offers_after_where_it_works(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    def names(path: str) -> set[str]:
        return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}

    assert "after" in names("/api/transfers/")
    assert "after" in names("/api/sources/")
    assert "after" not in names("/api/timeline/") | names("/api/endnotes/") | names("/api/search/")
    after = next(p for p in schema["paths"]["/api/transfers/"]["get"]["parameters"] if p["name"] == "after")
    assert after["schema"]["pattern"] == "^[^\\u0000]*$"  # a NUL is refused, as in every text parameter


def test_a_csv_with_after_is_that_page(api):
    rows = api.get("/api/events/", {"page_size": 500}).json()["results"]
    response = api.get("/api/events/", {"after": rows[1]["slug"], "page_size": 2, "format": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    lines = body.decode().strip().splitlines()
    assert len(lines) == 3  # header + the two rows after the second
    assert rows[2]["slug"] in lines[1]
    assert rows[3]["slug"] in lines[2]
