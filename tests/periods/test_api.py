"""Event, figure and actor writes: validation messages and protection of referenced records."""

import pytest

pytestmark = pytest.mark.django_db


def test_actor_country_must_be_a_state(editor_api):
    response = editor_api.post(
        "/api/actors/", {"slug": "x", "name": "X", "kind": "person", "country": "rostec"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"country": ["country must be a state actor."]}


def test_an_actor_a_transfer_names_cannot_be_deleted(editor_api):
    response = editor_api.delete("/api/actors/russia/")
    assert response.status_code == 409
    assert "still referenced by" in response.json()["detail"]
    assert editor_api.get("/api/actors/russia/").status_code == 200


def test_event_needs_a_period_and_a_known_kind(editor_api):
    response = editor_api.post("/api/events/", {"slug": "e", "title": "E", "kind": "party"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "is not a valid choice" in body["kind"][0]
    assert body["period"] == ["This field is required."]


def test_event_unknown_actor_is_named(editor_api):
    response = editor_api.post(
        "/api/events/",
        {"slug": "e", "title": "E", "kind": "meeting", "period": "2014-present", "actors": ["nobody"]},
        format="json",
    )
    assert response.status_code == 400
    assert "nobody" in response.json()["actors"][0]


def test_figure_needs_a_value_or_a_range(editor_api):
    response = editor_api.post("/api/figures/", {"slug": "f", "statement": "S", "unit": "percent"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["a figure needs a value or a low/high range."]}


def test_deleting_an_event_deletes_its_citations(editor_api):
    event = editor_api.get("/api/events/1992-mtc-agreement/").json()
    assert event["citations"]
    assert editor_api.delete(event["url"]).status_code == 204
    remaining = editor_api.get("/api/citations/", {"record_type": "event", "page_size": 500}).json()["results"]
    assert "1992-mtc-agreement" not in {c["record"] for c in remaining}


def test_an_edited_event_moves_on_the_timeline(editor_api):
    editor_api.patch("/api/events/1992-mtc-agreement/", {"date": "2001", "date_edtf": "2001"}, format="json")
    items = editor_api.get("/api/timeline/", {"from": 2001, "to": 2001, "type": "event"}).json()
    assert "1992-mtc-agreement" in {i["slug"] for i in items["results"]}


@pytest.mark.parametrize("ordering", ["date", "-date"])
def test_timeline_pages_cover_every_record_once_in_order(api, ordering):
    whole, url = [], f"/api/timeline/?page_size=7&ordering={ordering}"
    while url:
        body = api.get(url).json()
        whole += [(item["type"], item["slug"]) for item in body["results"]]
        url = body["next"]
    assert len(whole) == len(set(whole)) == body["count"]
    dates = [api.get("/api/timeline/", {"page_size": 500, "ordering": ordering}).json()["results"]]
    assert whole == [(item["type"], item["slug"]) for item in dates[0]]
