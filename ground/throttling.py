"""The anonymous API rate limit, counted in fixed windows.

Why not DRF's ``AnonRateThrottle`` as it is: its sliding log keeps the time of every
request in the window and reads and rewrites that whole list in the cache on every
request, so its cost grows with the allowed rate (600 entries at the default
600/minute) and was about a third of a cached response's server time. A counter per
client and window costs one ``add`` and one ``incr`` whatever the rate. The price is
the usual one of fixed windows: a client can send up to twice the rate across a
window boundary, which is fine for a limit meant to stop abuse, not to bill.

Who the client is: the address DRF derives with ``NUM_PROXIES`` (the number of
trusted proxies in front of the app; 0 means "use the connection's address and ignore
``X-Forwarded-For``", so a made-up header cannot buy a fresh allowance). Where the
counts live: ``THROTTLE_CACHE_ALIAS``, a shared Redis whenever ``CACHE_URL`` or a Redis
broker is configured, so the limit holds across worker processes and machines. A
cache that is down lets requests through (logged) rather than failing them.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class AnonWindowThrottle(AnonRateThrottle):
    """``API_ANON_RATE`` per client address (as DRF identifies it), per fixed window."""

    @property
    def cache(self):
        return caches[settings.THROTTLE_CACHE_ALIAS]

    def allow_request(self, request, view) -> bool:
        try:
            return self._allow(request, view)
        except Exception:
            logger.warning("Throttle cache unavailable; letting the request through.", exc_info=True)
            return True

    def _allow(self, request, view) -> bool:
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = f"{ident}:{window}"
        self.cache.add(key, 0, self.duration)
        try:
            count = self.cache.incr(key)
        except ValueError:  # the entry expired between add and incr
            self.cache.set(key, 1, self.duration)
            count = 1
        return count <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_ends - self.now)
