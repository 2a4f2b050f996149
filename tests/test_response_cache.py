"""The anonymous response cache never serves data older than the last committed write."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from periods.models import Event
from tests.fault_servers import HungServer
from transfers.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def response_cache():
    cache.clear()
    with override_settings(RESPONSE_CACHE_SECONDS=600):
        yield
    cache.clear()


def test_a_repeated_anonymous_read_is_served_from_the_cache(client, django_assert_num_queries):
    first = client.get("/transfers/s-400-2015/")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(1):  # the data-version lookup, nothing else
        second = client.get("/transfers/s-400-2015/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second


@pytest.mark.parametrize("path", ["/", "/api/transfers/", "/?period=2014-present&type=transfer", "/systems/s-400/"])
def test_a_read_reads_the_data_version_once(client, fragment_cache, path):
    """The response cache, every fragment and the API's ETag key on the version; a GET
    writes nothing, so the one read made when the request starts serves them all."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response["X-Cache"] == "miss"  # computed, fragments and all
    assert sum("periods_dataversion" in q["sql"] for q in queries) == 1


@pytest.mark.parametrize("path", ["/transfers/s-400-2015/", "/", "/search/?q=S-400"])
def test_every_write_is_visible_to_the_next_read(client, path, django_capture_on_commit_callbacks):
    client.get(path)
    transfer = Transfer.objects.get(slug="s-400-2015")
    transfer.designation = "S-400 Triumf edited"
    with django_capture_on_commit_callbacks(execute=True):  # search index refreshes on commit
        transfer.save()  # the write bumps the data version in its own transaction
    response = client.get(path)
    assert response["X-Cache"] == "miss"
    assert "Triumf edited" in response.content.decode()


def test_a_delete_is_visible_to_the_next_read(client):
    assert "1992-mtc-agreement" in client.get("/").content.decode()
    Event.objects.get(slug="1992-mtc-agreement").delete()
    assert "1992-mtc-agreement" not in client.get("/").content.decode()


def test_logged_in_users_are_never_served_cached_pages(client, admin_user):
    client.get("/")
    client.force_login(admin_user)
    assert "X-Cache" not in client.get("/")


def test_conditional_requests_still_get_304_from_the_cache(client):
    first = client.get("/transfers/s-400-2015/")
    if not first.has_header("ETag"):
        pytest.fail("record pages must send an ETag")
    response = client.get("/transfers/s-400-2015/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304


@override_settings(
    ALLOWED_HOSTS=["mtc.example.org", "mirror.example.org"],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_another_host_or_scheme_cannot_plant_its_links_for_everyone(client):
    planted = client.get("/api/transfers/s-400-2015/", HTTP_HOST="mirror.example.org", HTTP_X_FORWARDED_PROTO="https")
    assert planted.json()["url"].startswith("https://mirror.example.org/")
    response = client.get("/api/transfers/s-400-2015/", HTTP_HOST="mtc.example.org")
    assert response["X-Cache"] == "miss"
    assert response.json()["url"] == "http://mtc.example.org/api/transfers/s-400-2015/"
    assert client.get("/api/transfers/s-400-2015/", HTTP_HOST="mtc.example.org")["X-Cache"] == "hit"


def test_a_hung_shared_cache_costs_a_bounded_wait_not_the_page(client, settings):
    """A Redis cache that accepts and never answers: pages still answer; /healthz says 503 fast."""
    with HungServer() as hung:
        hung_redis = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{hung.port}/0",
            "OPTIONS": {
                "socket_timeout": settings.CACHE_TIMEOUT_SECONDS,
                "socket_connect_timeout": settings.CACHE_TIMEOUT_SECONDS,
            },
        }
        with override_settings(CACHES={"default": hung_redis}):
            started = time.monotonic()
            page = client.get("/transfers/s-400-2015/")
            page_seconds = time.monotonic() - started
            started = time.monotonic()
            health = client.get("/healthz")
            health_seconds = time.monotonic() - started
    assert page.status_code == 200
    assert page_seconds < 3  # a read and a write to the cache, each bounded
    assert health.status_code == 503
    assert health_seconds < 2
    assert health.json()["cache"]["ok"] is False
