"""Writes: who may (anonymous / authenticated without permission / editor), and round trips.

Every writable resource is checked for create, update and delete with all three kinds
of client; what a GET returns can be PUT back unchanged, or edited and PUT back.
"""

import pytest

from periods.models import Period
from sources.models import Document, Endnote
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EndnoteFactory,
    EventFactory,
    FigureFactory,
    ProjectFactory,
    SourceFactory,
    TransferFactory,
)

pytestmark = pytest.mark.django_db

DOC = "csis-mtc-primer-2020"


def _period():
    return Period.objects.get(slug="2014-present")


def _endnote(number):
    return Endnote.objects.get(document__slug=DOC, number=number)


# resource: (create payload, factory of an existing deletable record -> its detail path, field to edit, new value)
WRITABLE = {
    "transfers": (
        {
            "slug": "test-fighter-2016", "designation": "T-1", "description": "test fighter", "category": "aircraft",
            "supplier": "russia", "recipient": "china", "period": "2014-present", "year_ordered": 2016,
            "delivery_years": "2018; 2019", "number_ordered": 4, "number_delivered": 2, "value_usd": 1_000_000,
            "status": "agreed", "date": "2016", "date_edtf": "2016",
            "citations": [{"document": DOC, "number": 31, "pinpoint": "14"}],
        },
        lambda: f"/api/transfers/{TransferFactory(period=_period()).slug}/",
        "number_delivered",
        1,
    ),
    "events": (
        {
            "slug": "test-meeting-2019", "title": "A test meeting", "kind": "meeting", "period": "2014-present",
            "date": "March 2019", "date_edtf": "2019-03", "actors": ["russia", "china"],
            "citations": [{"url": f"http://testserver/api/endnotes/{DOC}/3/"}],
        },
        lambda: f"/api/events/{EventFactory(period=_period()).slug}/",
        "title",
        "A renamed event",
    ),
    "projects": (
        {
            "slug": "test-project", "name": "Test project", "period": "2014-present", "partners": ["russia", "china"],
            "status": "agreed", "value_usd_low": 1_000, "value_usd_high": 2_000, "citations": [],
        },
        lambda: f"/api/projects/{ProjectFactory(period=_period()).slug}/",
        "status",
        "completed",
    ),
    "figures": (
        {
            "slug": "test-figure", "statement": "70 percent of something", "value": "70", "unit": "percent",
            "period": "2014-present", "citations": [{"document": DOC, "number": 7}],
        },
        lambda: f"/api/figures/{FigureFactory().slug}/",
        "qualifier",
        "nearly",
    ),
    "actors": (
        {"slug": "test-org", "name": "Test Organisation", "kind": "organisation", "country": "russia"},
        lambda: f"/api/actors/{ActorFactory().slug}/",
        "description",
        "A test organisation.",
    ),
    "sources": (
        {
            "slug": "test-report-2019", "kind": "report", "title": "A report",
            "authors": [{"family": "Doe", "given": "Jane"}], "date_edtf": "2019-07", "web_url": "https://example.org/report",
        },
        lambda: f"/api/sources/{SourceFactory().slug}/",
        "title",
        "A retitled work",
    ),
    "endnotes": (
        {
            "document": DOC, "number": 74, "text": "Ibid., 3.", "ibid_of": 73,
            "sources": [{"source": "meick-2017", "pinpoint": "3", "form": "ibid"}],
        },
        lambda: f"/api/endnotes/{DOC}/{EndnoteFactory(document=Document.objects.get(slug=DOC), number=200).number}/",
        "text",
        "Corrected text.",
    ),
    "citations": (
        {"record_type": "event", "record": "1992-mtc-agreement", "document": DOC, "number": 50, "pinpoint": "2"},
        lambda: f"/api/citations/{CitationFactory(record=EventFactory(period=_period()), endnote=_endnote(60)).pk}/",
        "pinpoint",
        "9",
    ),
}  # fmt: skip

DENIED = [("api", 401), ("no_perms_api", 403)]


@pytest.fixture
def client_named(request):
    return lambda name: request.getfixturevalue(name)


@pytest.mark.parametrize("resource", WRITABLE)
@pytest.mark.parametrize(("client_name", "status"), DENIED)
def test_create_is_refused_without_permission(client_named, resource, client_name, status):
    payload = WRITABLE[resource][0]
    client = client_named(client_name)
    before = client.get(f"/api/{resource}/").json()["count"]
    response = client.post(f"/api/{resource}/", payload, format="json")
    assert response.status_code == status
    assert client.get(f"/api/{resource}/").json()["count"] == before


@pytest.mark.parametrize("resource", WRITABLE)
@pytest.mark.parametrize(("client_name", "status"), DENIED)
def test_update_and_delete_are_refused_without_permission(client_named, resource, client_name, status):
    _, make, field, value = WRITABLE[resource]
    path = make()
    client = client_named(client_name)
    original = client.get(path).json()
    assert client.put(path, {**original, field: value}, format="json").status_code == status
    assert client.patch(path, {field: value}, format="json").status_code == status
    assert client.delete(path).status_code == status
    assert client.get(path).json() == original


@pytest.mark.parametrize("resource", WRITABLE)
def test_editor_creates_and_gets_back_what_was_sent(editor_api, resource):
    payload = WRITABLE[resource][0]
    response = editor_api.post(f"/api/{resource}/", payload, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert editor_api.get(created["url"]).json() == created
    for key, value in payload.items():
        if key == "citations":
            sent = [(c.get("number") or int(c["url"].rstrip("/").split("/")[-1]), c.get("pinpoint", "")) for c in value]
            assert [(c["number"], c["pinpoint"]) for c in created["citations"]] == sent
        elif key == "value":
            assert float(created[key]) == float(value)
        elif key in ("actors", "partners"):
            assert sorted(created[key]) == sorted(value)
        elif key == "sources":
            assert [{k: work[k] for k in sent} for work, sent in zip(created[key], value, strict=True)] == value
        else:
            assert created[key] == value, key


@pytest.mark.parametrize("resource", WRITABLE)
def test_editor_puts_back_an_edited_get(editor_api, resource):
    _, make, field, value = WRITABLE[resource]
    path = make()
    original = editor_api.get(path).json()
    unchanged = editor_api.put(path, original, format="json")
    assert unchanged.status_code == 200, unchanged.json()
    assert unchanged.json() == original
    edited = editor_api.put(path, {**original, field: value}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json() == {**original, field: value}
    assert editor_api.get(path).json()[field] == value


@pytest.mark.parametrize("resource", WRITABLE)
def test_editor_patches_one_field(editor_api, resource):
    _, make, field, value = WRITABLE[resource]
    path = make()
    original = editor_api.get(path).json()
    response = editor_api.patch(path, {field: value}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {**original, field: value}


@pytest.mark.parametrize("resource", WRITABLE)
def test_editor_deletes(editor_api, resource):
    _, make, _, _ = WRITABLE[resource]
    path = make()
    assert editor_api.delete(path).status_code == 204
    assert editor_api.get(path).status_code == 404


def test_a_copied_record_can_be_posted_as_a_new_one(editor_api):
    original = editor_api.get("/api/transfers/s-400-2015/").json()
    response = editor_api.post("/api/transfers/", {**original, "slug": "s-400-copy"}, format="json")
    assert response.status_code == 201, response.json()
    copy = response.json()
    assert copy["citations"] == original["citations"]
    for key in ("designation", "value_usd", "delivery_years", "date", "date_start", "date_end"):
        assert copy[key] == original[key]


@pytest.mark.parametrize("resource", ["periods", "documents", "policy-options", "timeline"])
def test_read_only_resources_refuse_writes_even_for_superusers(api, django_user_model, resource):
    api.force_authenticate(django_user_model.objects.create_superuser("root", password="x"))
    assert api.post(f"/api/{resource}/", {}, format="json").status_code == 405


def test_session_authentication_for_the_browsable_api(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("browser", password="x")
    user.user_permissions.add(Permission.objects.get(codename="change_actor"))
    client.force_login(user)
    response = client.patch(
        "/api/actors/rostec/", {"description": "Edited in the browser."}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["description"] == "Edited in the browser."


def test_session_writes_need_a_csrf_token(django_user_model):
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = django_user_model.objects.create_user("browser", password="x")
    user.user_permissions.add(Permission.objects.get(codename="change_actor"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch("/api/actors/rostec/", {"description": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
