"""Parts of a page that depend on the data but not on the request, computed once per data version.

The response cache keys whole URLs, so a reader who changes one filter misses it; the
period summaries and figures every timeline page shows are the same for all of them and
cost whole-table aggregates. They are keyed, like cached responses, on the committed
``DataVersion``: a write bumps it, so nothing is invalidated and nothing stale is served.

A missing value is computed by one request while the others asking for it wait for it
(``_computed_once``): after a start or a write, the first requests of every thread and
worker all missed the year groups at once and computed them side by side, eight
GROUP BYs over a million transfers on two cores (0.7 s alone, 1.4-1.8 s together),
and the rest queued behind them.

What nearly every page reads (the period summaries and figures, the year groups, the
filter form's options: ``pinned=True``) is also kept in the process itself, for the
current data version only. In the shared cache it could be evicted by traffic that
never reads it: the local-memory cache keeps 300 entries, and a few hundred API
responses pushed the summaries out, so the next timeline pages at a million records
waited 0.4 s to compute them again (a p99 of 1.7 s in the benchmark's home pages that
followed its API runs, against 0.5-0.65 s without them).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

from ground.response_cache import live_version

logger = logging.getLogger(__name__)
T = TypeVar("T")

MISSING = object()
_UNAVAILABLE = object()


def _cache_key(name: str, key: object, version: int | None = None) -> str:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    return f"fragment:{name}:{live_version() if version is None else version}:{digest}"


def lookup(name: str, key: object = "") -> object:
    """The value cached for the current data version under ``name`` and ``key``, or
    ``MISSING`` (also when caching is off or the cache is down: a miss, never an error).

    With ``store``, for a caller that computes several missing values in one query (a
    record page's neighbourhood lists) rather than one ``compute()`` each.
    """
    if not settings.FRAGMENT_CACHE_SECONDS:
        return MISSING
    value = _get(name, _cache_key(name, key))
    return MISSING if value is _UNAVAILABLE else value


def store(name: str, value: object, key: object = "") -> None:
    """Keep ``value`` for the current data version under ``name`` and ``key`` (see ``lookup``)."""
    if settings.FRAGMENT_CACHE_SECONDS:
        _set(name, _cache_key(name, key), value)


def per_data_version(name: str, compute: Callable[[], T], *, key: object = "", pinned: bool = False) -> T:
    """``compute()``, or its value cached for the current data version under ``name``
    and ``key`` (e.g. a query's parameters: another filter is another entry).

    ``pinned``: a value nearly every page reads, few per data version and small; this
    process keeps it too (``_Pins``), where no other entry can evict it. Its threads then
    share the one object: a caller must not change it.

    A cache that is down (a hung Redis) is a miss: the value is computed, never an error.
    """
    if not settings.FRAGMENT_CACHE_SECONDS:
        return compute()
    version = live_version()
    cache_key = _cache_key(name, key, version)
    if pinned:
        value = _pins.get(version, cache_key)
        if value is not MISSING:
            return value
    value = _get(name, cache_key)
    if value is _UNAVAILABLE:  # one timeout, not two: no store into a cache that is down
        return compute()
    if value is MISSING:
        value = _computed_once(name, cache_key, compute)
    if pinned:
        _pins.put(version, cache_key, value)
    return value


class _Pins:
    """The pinned values of one data version, in this process, for at most
    ``FRAGMENT_CACHE_SECONDS`` each (as in the cache: a change made around the data
    version, such as SQL run by hand, is seen within that time).

    A new version drops the old one's values whole: the pins never hold more than one
    version's few entries. Writes take a lock; reads take none, and cannot see another
    version's value, since the key names its version.
    """

    def __init__(self) -> None:
        self._version: int | None = None
        self._values: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, version: int, cache_key: str) -> object:
        if version != self._version:
            return MISSING
        found = self._values.get(cache_key)
        if found is None or found[0] < time.monotonic():
            return MISSING
        return found[1]

    def put(self, version: int, cache_key: str, value: object) -> None:
        expires = time.monotonic() + settings.FRAGMENT_CACHE_SECONDS
        with self._lock:
            if version != self._version:
                self._version, self._values = version, {}
            self._values[cache_key] = (expires, value)

    def clear(self) -> None:
        with self._lock:
            self._version, self._values = None, {}


_pins = _Pins()


def forget_pinned() -> None:
    """Drop this process's pinned values (tests whose rolled-back data repeat a version)."""
    _pins.clear()


#: How long a computation holds its lock, and so the longest a request waits for another
#: request's value before computing it itself (a computing process that died).
COMPUTING_SECONDS = 30
#: How often a waiting request looks for the value.
POLL_SECONDS = 0.02


def _computed_once(name: str, cache_key: str, compute: Callable[[], T]) -> T:
    """``compute()`` stored under ``cache_key`` by the one request that takes the lock
    (``cache.add``: atomic in Redis, shared by every worker, and in the local-memory
    cache, shared by a worker's threads); the others wait for that value. A waiter
    computes it itself when the lock goes without a value (the computation failed) or
    outlives ``COMPUTING_SECONDS``; a cache that fails meanwhile is a miss, as above.
    """
    cache = caches[settings.RESPONSE_CACHE_ALIAS]
    lock_key = cache_key + ":computing"
    try:
        computing_here = cache.add(lock_key, True, COMPUTING_SECONDS)
    except Exception:
        logger.warning("Fragment cache unavailable; computing %s.", name, exc_info=True)
        return compute()
    if computing_here:
        try:
            value = compute()
            _set(name, cache_key, value)
            return value
        finally:
            _release(name, lock_key)
    deadline = time.monotonic() + COMPUTING_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        try:
            computing = cache.has_key(lock_key)
        except Exception:
            logger.warning("Fragment cache unavailable; computing %s.", name, exc_info=True)
            break
        value = _get(name, cache_key)  # after the lock: a value stored, then unlocked, is seen
        if value is _UNAVAILABLE:
            break
        if value is not MISSING:
            return value
        if not computing:  # unlocked with no value: the computation failed (its request raised)
            break
    return compute()


def _release(name: str, lock_key: str) -> None:
    try:
        caches[settings.RESPONSE_CACHE_ALIAS].delete(lock_key)
    except Exception:
        logger.warning("Fragment cache unavailable; the lock on %s expires by itself.", name, exc_info=True)


def _get(name: str, cache_key: str) -> object:
    try:
        return caches[settings.RESPONSE_CACHE_ALIAS].get(cache_key, MISSING)
    except Exception:
        logger.warning("Fragment cache unavailable; computing %s.", name, exc_info=True)
        return _UNAVAILABLE


def _set(name: str, cache_key: str, value: object) -> None:
    try:
        caches[settings.RESPONSE_CACHE_ALIAS].set(cache_key, value, settings.FRAGMENT_CACHE_SECONDS)
    except Exception:
        logger.warning("Fragment cache unavailable; %s not stored.", name, exc_info=True)


# -- computed before the first request ---------------------------------------------------

_on_start: list[Callable[[], object]] = []


def compute_on_start(compute: Callable[[], object]) -> Callable[[], object]:
    """Have ``warm`` call ``compute`` (an app's values that most pages read, such as the
    timeline's year groups and period summaries): registered from ``AppConfig.ready``."""
    _on_start.append(compute)
    return compute


def warm() -> list[str]:
    """Compute every value registered with ``compute_on_start`` for the current data
    version, before a server process takes its first request: the first readers after a
    start waited 0.4-1.1 s for them at a million records (``gunicorn.conf.py`` calls this
    as each worker starts; in Redis, the second worker finds the first one's values).

    Never raises: a database or cache that is down leaves the values to the first
    requests, as without it. Returns the names of those that failed.
    """
    if not settings.FRAGMENT_CACHE_SECONDS:
        return []  # nowhere to keep them
    failed = []
    for compute in _on_start:
        try:
            compute()
        except Exception:
            logger.warning(
                "Could not compute %s on start; the first request will.", compute.__qualname__, exc_info=True
            )
            failed.append(compute.__qualname__)
    return failed
