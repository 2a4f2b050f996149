"""Publishing to the broker from a request without ever waiting on a broker known to be down.

Each publish is bounded by the transport's socket timeouts (``BROKER_TIMEOUT_SECONDS``).
That alone still costs every write a full timeout while the broker is hung, and a sync
web worker serves its queue one write at a time, so ten writes would wait ten seconds.
After a failed publish this process therefore skips publishing for
``BROKER_FAILURE_BACKOFF_SECONDS`` (a circuit breaker, per broker URL) and fails fast;
callers fall back to their retry path (the statistics are marked stale and the stale
sweep catches up).
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

_open_until: dict[str, float] = {}
_lock = threading.Lock()


class BrokerUnavailable(Exception):
    """A publish was skipped because one failed moments ago."""


def publish(task, **options) -> None:
    """``task.apply_async(**options)``, or ``BrokerUnavailable`` at once while the circuit is open."""
    url = task.app.conf.broker_url or ""
    with _lock:
        until = _open_until.get(url, 0.0)
    if until > time.monotonic():
        raise BrokerUnavailable(f"the broker failed less than {settings.BROKER_FAILURE_BACKOFF_SECONDS:g} s ago")
    try:
        task.apply_async(**options)
    except Exception:
        with _lock:
            _open_until[url] = time.monotonic() + settings.BROKER_FAILURE_BACKOFF_SECONDS
        raise
    with _lock:
        _open_until.pop(url, None)


def reset() -> None:
    """Forget recent failures (tests switch brokers)."""
    with _lock:
        _open_until.clear()
