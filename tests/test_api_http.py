"""HTTP done right: conditional GET from the data version, throttling, CORS off by default."""

import pytest
from django.core.cache import cache
from django.utils.http import http_date
from rest_framework.throttling import SimpleRateThrottle

from ground.models import DataVersion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/transfers/", "/api/transfers/s-400-2015/", "/api/timeline/?format=timelinejs", "/api/events/?format=csv"],
)
def test_conditional_get_answers_304_until_the_data_changes(api, editor_api, path):
    first = api.get(path)
    etag = first["ETag"]
    assert first.status_code == 200
    assert etag.startswith('"')
    assert "Accept" in first["Vary"]

    again = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    editor_api.patch("/api/actors/rostec/", {"description": "Changed."}, format="json")
    changed = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_etag_differs_per_representation(api):
    tags = {
        api.get("/api/events/")["ETag"],
        api.get("/api/events/", {"format": "csv"})["ETag"],
        api.get("/api/events/", {"page": 2, "page_size": 10})["ETag"],
    }
    assert len(tags) == 3


def test_last_modified_and_if_modified_since(api, editor_api):
    editor_api.patch("/api/actors/rostec/", {"description": "Changed."}, format="json")
    response = api.get("/api/periods/")
    changed_at = DataVersion.current().changed_at
    assert response["Last-Modified"] == http_date(changed_at.timestamp())
    assert api.get("/api/periods/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    earlier = http_date(changed_at.timestamp() - 60)
    assert api.get("/api/periods/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_a_failed_write_does_not_invalidate(api, editor_api):
    etag = api.get("/api/transfers/")["ETag"]
    editor_api.post("/api/transfers/", {"slug": "bad"}, format="json")  # 400, rolled back
    assert api.get("/api/transfers/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_writes_and_the_browsable_api_carry_no_validators(api, editor_api):
    # The browsable API may carry Django's content-hash ETag, never the data-version one.
    html, data = api.get("/api/events/", HTTP_ACCEPT="text/html"), api.get("/api/events/")
    assert html.get("ETag") != data["ETag"]
    assert "ETag" not in editor_api.patch("/api/actors/rostec/", {"description": "x"}, format="json")


@pytest.fixture
def tight_anon_rate(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    cache.clear()
    yield
    cache.clear()


def test_anonymous_clients_are_throttled(api, no_perms_api, tight_anon_rate):
    statuses = [api.get("/api/periods/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in api.get("/api/periods/")
    assert all(no_perms_api.get("/api/periods/").status_code == 200 for _ in range(5))


def test_the_limit_counts_per_window_and_says_when_to_retry(api, tight_anon_rate, monkeypatch):
    clock = [6_000_020.0]  # 20 s into a one-minute window
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: clock[0])
    assert [api.get("/api/periods/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert int(api.get("/api/periods/")["Retry-After"]) == 40  # until the window ends
    clock[0] += 40  # the next window
    assert api.get("/api/periods/").status_code == 200


def test_cors_is_off_by_default(api):
    response = api.get("/api/periods/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response


def test_cors_can_be_allowed_for_listed_origins(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://elsewhere.example"]
    response = api.get("/api/periods/", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "https://elsewhere.example"
    assert "Access-Control-Allow-Origin" not in api.get("/", HTTP_ORIGIN="https://elsewhere.example")


def test_a_made_up_x_forwarded_for_does_not_buy_a_fresh_allowance(api, tight_anon_rate):
    statuses = [api.get("/api/periods/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_the_client_is_the_address_it_appended(api, tight_anon_rate, monkeypatch):
    from rest_framework.settings import api_settings

    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    # The proxy appends the address it saw; what the client sent before it is not trusted.
    spoofed = [api.get("/api/periods/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7") for n in range(4)]
    assert [r.status_code for r in spoofed] == [200, 200, 200, 429]
    assert api.get("/api/periods/", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.8").status_code == 200
