"""Celery tasks of the timeline: the statistics rebuild, and the hook that enqueues it."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import statistics

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),  # the database was unreachable or went away
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=statistics.TIME_LIMIT_SECONDS - 30,
    time_limit=statistics.TIME_LIMIT_SECONDS,
    acks_late=True,
)
def rebuild_statistics(self, force: bool = True) -> dict:
    """Rebuild the aggregate statistics (``aggregates.statistics.rebuild``).

    Thin: the service coalesces concurrent requests, records failures and is
    idempotent. ``force=False`` (change notifications) skips the work when the data's
    fingerprint is unchanged; the beat schedule's default forces a pass.
    """
    result = statistics.rebuild(force=force)
    return {"outcome": result.outcome, "passes": result.passes, "statements": result.statements}


def enqueue_rebuild_after_change() -> None:
    """``ground.change_bus`` listener: after each committed content change, ask for a rebuild.

    Without a broker the task runs here, in-process. With one, a broker that cannot
    be reached must not fail the write that has already committed: the error is
    logged and the statistics are marked stale; the next beat run or ``rebuild_stats``
    catches up. Settings bound the attempt (one publish retry, short connect timeout).
    """
    if rebuild_statistics.app.conf.task_always_eager:
        # In-process default: run it here (apply_async would still set up a broker
        # producer, and log about the missing broker host, before running eagerly).
        rebuild_statistics.apply(kwargs={"force": False})
        return
    try:
        rebuild_statistics.apply_async(kwargs={"force": False})
    except Exception as exc:
        logger.error("Could not enqueue the statistics rebuild: %s", exc, exc_info=True)
        try:
            statistics.mark_stale(f"A rebuild could not be queued ({type(exc).__name__}: {exc})")
        except Exception:
            logger.exception("Could not mark the statistics stale")
