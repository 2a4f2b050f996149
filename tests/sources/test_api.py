"""Endnote, source and citation writes: rules of the report's notes, and protection."""

import pytest

pytestmark = pytest.mark.django_db

DOC = "csis-mtc-primer-2020"


def test_endnote_numbers_are_unique_per_document(editor_api):
    response = editor_api.post("/api/endnotes/", {"document": DOC, "number": 31, "text": "Again."}, format="json")
    assert response.status_code == 409  # well formed, but the number is taken: a conflict with the data
    assert response.json() == {"non_field_errors": ["An endnote with this number already exists in this document."]}


def test_ibid_must_repeat_an_earlier_note(editor_api):
    response = editor_api.post(
        "/api/endnotes/", {"document": DOC, "number": 80, "text": "Ibid.", "ibid_of": 90}, format="json"
    )
    assert response.json() == {"ibid_of": ["endnote 90 does not exist in this document."]}
    editor_api.post("/api/endnotes/", {"document": DOC, "number": 90, "text": "A note."}, format="json")
    response = editor_api.post(
        "/api/endnotes/", {"document": DOC, "number": 80, "text": "Ibid.", "ibid_of": 90}, format="json"
    )
    assert response.json() == {"ibid_of": ["ibid_of must be an earlier note of the same document."]}


def test_endnote_text_and_urls_rules(editor_api):
    response = editor_api.post(
        "/api/endnotes/", {"document": DOC, "number": 80, "text": "", "urls": ["not a url"]}, format="json"
    )
    body = response.json()
    assert response.status_code == 400
    assert body["text"] == ["must not be empty."]
    assert "valid URL" in str(body["urls"])


def test_endnote_sources_are_replaced_in_order(editor_api):
    path = f"/api/endnotes/{DOC}/8/"
    works = [{"source": "bendett-kania-2019"}, {"source": "meick-2017", "pinpoint": "12", "form": "short"}]
    body = editor_api.patch(path, {"sources": works}, format="json").json()
    assert [(w["source"], w["pinpoint"], w["form"]) for w in body["sources"]] == [
        ("bendett-kania-2019", "", "full"), ("meick-2017", "12", "short")
    ]  # fmt: skip
    assert body["pages"] == "12"


def test_a_cited_endnote_cannot_be_deleted(editor_api):
    response = editor_api.delete(f"/api/endnotes/{DOC}/31/")
    assert response.status_code == 409
    assert "citations" in response.json()["detail"]


def test_a_cited_source_cannot_be_deleted(editor_api):
    assert editor_api.delete("/api/sources/meick-2017/").status_code == 409


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_edtf": "July 2019"}, "date_edtf", "not a valid EDTF date"),
        ({"authors": [{"given": "Jane"}]}, "authors", "needs family (a person) or literal"),
        ({"kind": "tweet"}, "kind", "is not a valid choice"),
        ({"title": ""}, "title", "must not be empty"),
        ({"web_url": "nowhere"}, "web_url", "must be a URL starting with http://"),
    ],
)
def test_invalid_source_is_refused(editor_api, changes, field, message):
    payload = {"slug": "s", "kind": "report", "title": "T", **changes}
    response = editor_api.post("/api/sources/", payload, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])


def test_a_record_cannot_cite_an_endnote_twice(editor_api):
    existing = editor_api.get("/api/citations/", {"record_type": "transfer", "endnote": 31}).json()["results"][0]
    payload = {"record_type": "transfer", "record": existing["record"], "document": DOC, "number": 31}
    response = editor_api.post("/api/citations/", payload, format="json")
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": ["This record already cites this endnote."]}


def test_citation_of_an_unknown_record(editor_api):
    payload = {"record_type": "event", "record": "no-such-event", "document": DOC, "number": 3}
    response = editor_api.post("/api/citations/", payload, format="json")
    assert response.json() == {"record": ["no event with slug 'no-such-event'."]}


def test_a_citation_created_on_its_own_shows_on_the_record(editor_api):
    payload = {"record_type": "actor", "record": "rostec", "document": DOC, "number": 44, "pinpoint": "5"}
    assert editor_api.post("/api/citations/", payload, format="json").status_code == 201
    citations = editor_api.get("/api/actors/rostec/").json()["citations"]
    assert [(c["number"], c["pinpoint"]) for c in citations] == [(44, "5")]
