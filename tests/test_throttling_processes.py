"""The anonymous rate limit holds across gunicorn worker processes, whatever X-Forwarded-For says."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import live_gunicorn
from tests.aggregates.stats_support import TEST_REDIS_URL, on_postgres

pytestmark = [pytest.mark.worker, on_postgres]

RATE, REQUESTS = 100, 1500


def get_with_forwarded_for(url: str) -> int:
    import urllib.error
    import urllib.request

    spoofed = ".".join(str(1 + secrets.randbelow(254)) for _ in range(4))
    req = urllib.request.Request(url, headers={"X-Forwarded-For": spoofed, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_1500_spoofed_requests_across_two_workers_get_no_more_than_the_rate(loaded_report, tmp_path):
    import redis

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()  # counters of an earlier run
    # Fixed one-hour windows: start well inside one, so the count is of a single window.
    if 3600 - time.time() % 3600 < 120:
        time.sleep(3600 - time.time() % 3600 + 1)
    with live_gunicorn.gunicorn(
        tmp_path / "gunicorn.log",
        workers=2,
        CELERY_BROKER_URL=TEST_REDIS_URL,  # the shared counters live in the broker's Redis
        API_ANON_RATE=f"{RATE}/hour",
        RESPONSE_CACHE_SECONDS="600",  # cache hits are counted too
    ) as base:
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            statuses = Counter(pool.map(get_with_forwarded_for, [f"{base}/api/periods/"] * REQUESTS))
        elapsed = time.monotonic() - started
    assert elapsed < 60, f"the {REQUESTS} requests took {elapsed:.0f} s, not one minute"
    assert set(statuses) == {200, 429}, statuses
    assert statuses[200] <= RATE, statuses
