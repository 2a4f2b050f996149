"""Parts of a page that depend on the data but not on the request, computed once per data version.

The response cache keys whole URLs, so a reader who changes one filter misses it; the
period summaries and figures every timeline page shows are the same for all of them and
cost whole-table aggregates. They are keyed, like cached responses, on the committed
``DataVersion``: a write bumps it, so nothing is invalidated and nothing stale is served.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

from ground.response_cache import live_version

logger = logging.getLogger(__name__)
T = TypeVar("T")

MISSING = object()
_UNAVAILABLE = object()


def _cache_key(name: str, key: object) -> str:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    return f"fragment:{name}:{live_version()}:{digest}"


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


def per_data_version(name: str, compute: Callable[[], T], *, key: object = "") -> T:
    """``compute()``, or its value cached for the current data version under ``name``
    and ``key`` (e.g. a query's parameters: another filter is another entry).

    A cache that is down (a hung Redis) is a miss: the value is computed, never an error.
    """
    if not settings.FRAGMENT_CACHE_SECONDS:
        return compute()
    cache_key = _cache_key(name, key)
    value = _get(name, cache_key)
    if value is _UNAVAILABLE:  # one timeout, not two: no store into a cache that is down
        return compute()
    if value is MISSING:
        value = compute()
        _set(name, cache_key, value)
    return value


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
