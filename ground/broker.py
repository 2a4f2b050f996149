"""Publishing to the broker from a request without making the request wait on the broker.

Each publish is bounded by the transport's socket timeouts (``BROKER_TIMEOUT_SECONDS``).
That alone still costs a write a full timeout while the broker is hung, and a sync web
worker serves its queue one request at a time, so every request behind it waits too.
Two things keep the request path clear:

- ``publish_after_response`` hands the publish to one publisher thread per process
  (``BROKER_PUBLISH_IN_BACKGROUND``, on by default; the test settings publish in the
  request so in-process tests see the outcome at once). Publishes that pile up while
  one waits are coalesced: one queued publish stands for all of them, as each asks for
  the same idempotent task after its own commit.
- After a failed publish this process skips publishing for
  ``BROKER_FAILURE_BACKOFF_SECONDS`` (a circuit breaker, per broker URL) and fails fast.

Callers pass ``on_failure``, their retry path (the statistics are marked stale and the
stale sweep catches up).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

_open_until: dict[str, float] = {}
_lock = threading.Lock()
_publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="broker-publish")
_queued: set[str] = set()  # task names with a publish waiting for the publisher thread


#: Celery options of a task that reads and writes the database: retried with backoff when
#: the database was unreachable or went away, and acknowledged only once it has run.
DATABASE_TASK_OPTIONS = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


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


def run_here_or_publish(task, *, on_failure: Callable[[Exception], None], **options) -> None:
    """A change listener's request for ``task``: without a broker (tasks run eagerly, the
    in-process default) it runs here, since ``apply_async`` would still set up a broker
    producer, and log about the missing host, before running it; with one, the publish
    goes through ``publish_after_response``. ``options`` are ``kwargs=`` for the task."""
    if task.app.conf.task_always_eager:
        task.apply(**options)
        return
    publish_after_response(task, on_failure=on_failure, **options)


def publish_after_response(task, *, on_failure: Callable[[Exception], None], **options) -> None:
    """Publish ``task`` without the caller waiting; ``on_failure(exc)`` if it cannot be sent."""
    if not settings.BROKER_PUBLISH_IN_BACKGROUND:
        _publish_or_report(task, on_failure, options)
        return
    with _lock:
        if task.name in _queued:
            return  # the queued publish, sent after this commit, stands for this one too
        _queued.add(task.name)
    _publisher.submit(_publish_queued, task, on_failure, options)


def _publish_queued(task, on_failure, options) -> None:
    with _lock:
        _queued.discard(task.name)
    try:
        _publish_or_report(task, on_failure, options)
    finally:
        connection.close()  # this thread's own connection, if on_failure used one


def _publish_or_report(task, on_failure, options) -> None:
    try:
        publish(task, **options)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the caller's write must stand
        on_failure(exc)


def reset() -> None:
    """Forget recent failures (tests switch brokers)."""
    with _lock:
        _open_until.clear()
