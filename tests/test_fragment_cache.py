"""A value cached per data version is computed once however many requests miss it at once.

After a start or a write, every thread of every worker missed the year groups together
and computed them side by side (eight GROUP BYs over a million transfers on two cores,
1.4-1.8 s each where one takes 0.7 s), and the requests behind them queued. Here real
threads miss together, against the local-memory cache a worker's threads share and the
Redis cache workers share as deployed.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from ground import fragment_cache as fragments
from tests import live_gunicorn
from tests.aggregates.stats_support import TEST_REDIS_URL, on_postgres, reachable_redis

THREADS = 8


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings, monkeypatch):
    """The fragment cache on ``request.param``'s backend, at a fixed data version."""
    if request.param == "redis":
        reachable_redis()
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TEST_REDIS_URL}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "single-flight"}
    settings.CACHES = {**settings.CACHES, "fragments": backend}
    settings.RESPONSE_CACHE_ALIAS = "fragments"
    settings.FRAGMENT_CACHE_SECONDS = 600
    # The data version is read from the database per request; these threads have none.
    monkeypatch.setattr(fragments, "live_version", lambda: 7)
    yield caches["fragments"]
    caches["fragments"].clear()


def _miss_together(compute, threads: int = THREADS) -> tuple[list, list[threading.Thread]]:
    """``per_data_version`` called by ``threads`` threads released at the same moment."""
    name, start = f"test-{uuid.uuid4().hex}", threading.Barrier(threads)
    results: list = []

    def read():
        start.wait()
        try:
            results.append(fragments.per_data_version(name, compute))
        except RuntimeError as exc:
            results.append(exc)

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    return results, workers


def _slow_compute(calls: list, *, fail_first: bool = False):
    gate = threading.Event()

    def compute():
        calls.append(threading.get_ident())
        if fail_first and len(calls) == 1:
            gate.wait(0.3)  # the others are waiting on the lock by now
            raise RuntimeError("the database went away")
        gate.wait(0.3)  # long enough for every other thread to miss too
        return {"groups": [(1, "aircraft", 1999)]}

    return compute


def test_requests_that_miss_together_compute_the_value_once_and_all_get_it(shared_cache):
    calls: list = []
    results, workers = _miss_together(_slow_compute(calls))
    assert not any(worker.is_alive() for worker in workers)
    assert len(calls) == 1
    assert results == [{"groups": [(1, "aircraft", 1999)]}] * THREADS


def test_a_failed_computation_lets_the_waiting_requests_compute_it_rather_than_hang(shared_cache, monkeypatch):
    """The failing request raises its own error; the waiters see the lock go without a
    value and compute it themselves, long before the lock would have expired."""
    monkeypatch.setattr(fragments, "COMPUTING_SECONDS", 600)
    calls: list = []
    results, workers = _miss_together(_slow_compute(calls, fail_first=True))
    assert not any(worker.is_alive() for worker in workers)
    errors = [r for r in results if isinstance(r, RuntimeError)]
    assert len(errors) == 1
    assert results.count({"groups": [(1, "aircraft", 1999)]}) == THREADS - 1
    assert 2 <= len(calls) <= THREADS


def test_the_next_data_version_is_computed_again(shared_cache, monkeypatch):
    calls: list = []
    compute = _slow_compute(calls)
    assert fragments.per_data_version("versioned", compute) == fragments.per_data_version("versioned", compute)
    monkeypatch.setattr(fragments, "live_version", lambda: 8)
    fragments.per_data_version("versioned", compute)
    assert len(calls) == 2


def test_a_pinned_value_outlives_its_cache_entry_for_its_version_and_time_only(shared_cache, monkeypatch):
    """What nearly every page reads stays in the process when the shared cache drops it
    (evicted by other entries, cleared); a new data version, or the fragment timeout,
    computes it again."""
    fragments.forget_pinned()
    calls: list = []
    compute = _slow_compute(calls)
    fragments.per_data_version("pinned", compute, pinned=True)
    shared_cache.clear()
    assert fragments.per_data_version("pinned", compute, pinned=True) == {"groups": [(1, "aircraft", 1999)]}
    assert len(calls) == 1
    fragments.per_data_version("not-pinned", compute)
    shared_cache.clear()
    fragments.per_data_version("not-pinned", compute)
    assert len(calls) == 3, "the control: a value not pinned is computed again once its entry is gone"

    monkeypatch.setattr(fragments, "live_version", lambda: 8)
    fragments.per_data_version("pinned", compute, pinned=True)
    assert len(calls) == 4
    monkeypatch.setattr(fragments, "live_version", lambda: 7)  # a version's pins go with it
    shared_cache.clear()
    fragments.per_data_version("pinned", compute, pinned=True)
    assert len(calls) == 5

    later = time.monotonic() + 601
    monkeypatch.setattr(fragments.time, "monotonic", lambda: later)
    shared_cache.clear()
    fragments.per_data_version("pinned", compute, pinned=True)
    assert len(calls) == 6
    fragments.forget_pinned()


def test_a_cache_that_is_down_computes_without_locking(settings, monkeypatch):
    """A hung or stopped Redis is a miss for every request, never an error or a wait."""
    settings.CACHES = {
        **settings.CACHES,
        "down": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.RESPONSE_CACHE_ALIAS = "down"
    settings.FRAGMENT_CACHE_SECONDS = 600
    monkeypatch.setattr(fragments, "live_version", lambda: 7)
    calls: list = []
    results, workers = _miss_together(_slow_compute(calls), threads=3)
    assert not any(worker.is_alive() for worker in workers)
    assert results == [{"groups": [(1, "aircraft", 1999)]}] * 3
    assert len(calls) == 3


# -- computed as a server process starts ----------------------------------------------

FIRST_REQUESTS = ["/?type=transfer&category=aircraft", "/api/transfers/?category=aircraft&period=1992-2006", "/"]


def _grouping_queries(client) -> list[str]:
    """The GROUP BY queries the first requests of a process run (year groups, summaries)."""
    with CaptureQueriesContext(connection) as queries:
        for path in FIRST_REQUESTS:
            assert client.get(path).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]


@pytest.mark.django_db
def test_a_started_worker_has_computed_what_the_first_pages_would_group(client, fragment_cache):
    """``warm`` (gunicorn's ``post_worker_init``) leaves the year groups, year span and
    period summaries cached: a fresh worker's first timeline, list and home pages group
    nothing. Without it the same requests group each record table."""
    assert _grouping_queries(client), "the control: a cold cache groups"
    caches[settings.RESPONSE_CACHE_ALIAS].clear()
    assert fragments.warm() == []
    assert _grouping_queries(client) == []


@pytest.mark.django_db
def test_api_traffic_that_overflows_the_cache_leaves_the_timeline_its_summaries(client, fragment_cache, settings):
    """Cached responses and fragments share one cache, whose local-memory form keeps 300
    entries (here 20) and drops the least recently read. A run of API lists, which read
    no period summary, pushed the summaries out, and the next timeline pages at a
    million records computed them again (0.4 s; a p99 of 1.7 s in the benchmark's home
    pages after its API runs). Pinned, the first timeline page after them groups nothing."""
    default = settings.CACHES["default"]
    settings.CACHES = {**settings.CACHES, "default": {**default, "OPTIONS": {"MAX_ENTRIES": 20}}}
    settings.RESPONSE_CACHE_SECONDS = 600
    assert fragments.warm() == []
    for size in range(1, 41):  # forty responses, each cached, in a cache of twenty
        assert client.get(f"/api/transfers/?page_size={size}").status_code == 200
    held = {key.split(":")[3] for key in caches["default"]._cache if ":fragment:" in key}
    assert "period-summaries" not in held, "the control: the responses evicted the cached summaries"
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/?type=transfer&category=aircraft").status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]] == []

    fragments.forget_pinned()  # the control: without the pins, the same page groups again
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/?type=transfer&category=helicopters").status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]


@pytest.mark.django_db
def test_warming_never_stops_a_worker_from_starting(fragment_cache, monkeypatch):
    def database_down():
        raise OperationalError("connection refused")

    calls: list = []
    monkeypatch.setattr(fragments, "_on_start", [database_down, lambda: calls.append("next")])
    assert fragments.warm() == ["test_warming_never_stops_a_worker_from_starting.<locals>.database_down"]
    assert calls == ["next"]  # one failure does not skip the others


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_gunicorn_workers_have_computed_them_before_their_first_request(loaded_report, tmp_path):
    """Started as deployed (two workers sharing a Redis cache) and asked nothing but
    ``/healthz``, the server already holds every record type's year groups and the
    period summaries: gunicorn's ``post_worker_init`` computed them."""
    redis_client = reachable_redis()
    redis_client.flushdb()
    log = tmp_path / "gunicorn.log"
    with live_gunicorn.gunicorn(log, workers=2, CACHE_URL=TEST_REDIS_URL, FRAGMENT_CACHE_SECONDS="600"):
        keys = {key.decode().split(":")[3] for key in redis_client.scan_iter("*fragment:*")}
    redis_client.flushdb()
    assert {"year-groups", "year-span", "period-summaries", "figures-by-period"} <= keys, keys
    assert "Could not compute" not in log.read_text()
    assert "on start" not in log.read_text()  # and answered the typical requests (``ground.worker_start``)
