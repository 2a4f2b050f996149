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
_MISSING = object()


def per_data_version(name: str, compute: Callable[[], T], *, key: object = "") -> T:
    """``compute()``, or its value cached for the current data version under ``name``
    and ``key`` (e.g. a query's parameters: another filter is another entry).

    A cache that is down (a hung Redis) is a miss: the value is computed, never an error.
    """
    timeout = settings.FRAGMENT_CACHE_SECONDS
    if not timeout:
        return compute()
    cache = caches[settings.RESPONSE_CACHE_ALIAS]
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    cache_key = f"fragment:{name}:{live_version()}:{digest}"
    try:
        value = cache.get(cache_key, _MISSING)
    except Exception:
        logger.warning("Fragment cache unavailable; computing %s.", name, exc_info=True)
        return compute()
    if value is _MISSING:
        value = compute()
        try:
            cache.set(cache_key, value, timeout)
        except Exception:
            logger.warning("Fragment cache unavailable; %s not stored.", name, exc_info=True)
    return value
