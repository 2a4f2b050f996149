"""The anonymous API rate limit, counted in fixed windows.

Why not DRF's ``AnonRateThrottle`` as it is: its sliding log keeps the time of every
request in the window and reads and rewrites that whole list in the cache on every
request, so its cost grows with the allowed rate (600 entries at the default
600/minute) and was about a third of a cached response's server time. A counter per
client and window costs one ``add`` and one ``incr`` whatever the rate. The price is
the usual one of fixed windows: a client can send up to twice the rate across a
window boundary, which is fine for a limit meant to stop abuse, not to bill.
"""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle


class AnonWindowThrottle(AnonRateThrottle):
    """``API_ANON_RATE`` per client address (as DRF identifies it), per fixed window."""

    def allow_request(self, request, view) -> bool:
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
