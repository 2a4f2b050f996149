"""Bad bodies, bad input and failures are answered as the API's JSON, with a status to act on."""

from __future__ import annotations

import json
import threading
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import OperationalError, connection
from django.db.models.signals import pre_save
from django.test import Client

from dataset.loader import load_report
from periods.models import Event
from sources.api import CitedRecordViewSet
from tests.aggregates.stats_support import on_postgres
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EVENT = {
    "slug": "race-2016",
    "title": "An event created twice at once",
    "kind": "other",
    "period": "2014-present",
    "date": "2016",
    "date_edtf": "2016",
    "uncited_reason": "Created by the error tests.",
}


def post_json(api, body: str, url: str = "/api/events/"):
    return api.generic("POST", url, body, content_type="application/json")


def test_deeply_nested_json_is_a_400_naming_the_nesting_limit(editor_api):
    response = post_json(editor_api, "[" * 5000 + "]" * 5000)
    assert response.status_code == 400
    assert "nested deeper than" in response.json()["detail"]


def test_a_body_over_the_size_limit_is_a_json_413_naming_the_limit(editor_api, settings):
    body = json.dumps({**EVENT, "description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = post_json(editor_api, body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in response.json()["detail"]


def test_a_form_body_is_refused_in_json_the_api_reads_json_only(editor_api):
    response = editor_api.generic(
        "POST", "/api/events/", "title=" + "x" * 2000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "application/x-www-form-urlencoded" in response.json()["detail"]
    assert not Event.objects.filter(title="x" * 2000).exists()


@pytest.mark.parametrize("extra", [{"is_superuser": True}, {"titel": "typo"}])
def test_unknown_body_fields_are_refused_naming_them(editor_api, extra):
    response = editor_api.post("/api/events/", {**EVENT, **extra}, format="json")
    assert response.status_code == 400
    (name,) = extra
    assert name in response.json()
    assert "Unknown field" in response.json()[name][0]
    assert not Event.objects.filter(slug=EVENT["slug"]).exists()


def test_what_a_get_returns_can_still_be_put_back(editor_api):
    event = Event.objects.first()
    body = editor_api.get(f"/api/events/{event.slug}/").json()
    assert editor_api.put(f"/api/events/{event.slug}/", body, format="json").status_code == 200


def test_an_unexpected_error_in_an_api_view_is_a_json_500(api, monkeypatch):
    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(CitedRecordViewSet, "get_queryset", broken)
    response = Client(raise_request_exception=False).get("/api/events/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred."}


def test_the_database_going_away_is_a_json_503(monkeypatch):
    def gone(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CitedRecordViewSet, "get_queryset", gone)
    response = Client(raise_request_exception=False).get("/api/events/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response["Content-Type"] == "application/json"
    assert "database" in response.json()["detail"]


@on_postgres
def test_a_unique_slug_lost_to_a_concurrent_create_is_answered_like_the_serializers_check(editor_api, transactional_db):
    """Every check passed, then another request committed the same slug just before the INSERT."""
    load_report()
    competed = []

    def competitor_commits_first(sender, instance, **kwargs):
        if not competed and instance.slug == EVENT["slug"] and instance.pk is None:
            competed.append(True)
            thread = threading.Thread(target=lambda: (EventFactory(slug=EVENT["slug"]), connection.close()))
            thread.start()
            thread.join()

    pre_save.connect(competitor_commits_first, sender=Event, dispatch_uid="race")
    try:
        raced = editor_api.post("/api/events/", EVENT, format="json")
    finally:
        pre_save.disconnect(sender=Event, dispatch_uid="race")
    assert competed
    assert Event.objects.filter(slug=EVENT["slug"]).count() == 1
    plain_duplicate = editor_api.post("/api/events/", EVENT, format="json")
    assert raced.status_code == plain_duplicate.status_code == 409  # a conflict with the data, not a 500
    assert raced.json() == plain_duplicate.json()
    assert "slug" in raced.json()


def nul_parameter(url: str) -> str:
    return next(name for name, value in parse_qsl(urlsplit(url).query) if "\x00" in value)


NUL_URLS = [
    "/?q=%00",
    "/search/?q=a%00b",
    "/api/transfers/?q=%00",
    "/api/events/?format=ris&q=%00",
    "/cite/?q=%00",
    "/cite/endnotes.bib?q=%00",
    "/cite/endnotes.ris?period=%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(client, url):
    response = client.get(url)
    assert response.status_code == 400
    name = nul_parameter(url)
    if url.startswith("/api/"):
        assert name in response.json()
        assert f"'{name}'" in response.json()[name][0]
    else:
        assert f"Parameter “{name}” contains a character that cannot be stored" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/transfers/transfer/?q=%00",
        "/admin/transfers/transfer/?category=%00",
        "/admin/autocomplete/?app_label=transfers&model_name=transfer&field_name=supplier&term=%00",
    ],
)
def test_a_nul_in_admin_filters_and_autocomplete_is_a_400_naming_it(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    name = nul_parameter(url)
    assert f"Parameter “{name}” contains a character that cannot be stored" in response.content.decode()
