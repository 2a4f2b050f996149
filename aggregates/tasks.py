"""Celery tasks of the timeline: the statistics rebuild, and the hook that enqueues it."""

from __future__ import annotations

import logging

from celery import shared_task

from ground import broker

from . import statistics

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    **broker.DATABASE_TASK_OPTIONS,
    soft_time_limit=statistics.TIME_LIMIT_SECONDS - 30,
    time_limit=statistics.TIME_LIMIT_SECONDS,
)
def rebuild_statistics(self, force: bool = True) -> dict:
    """Rebuild the aggregate statistics (``aggregates.statistics.rebuild``).

    Thin: the service coalesces concurrent requests, records failures and is
    idempotent. ``force=False`` (change notifications) skips the work when the data's
    fingerprint is unchanged; the beat schedule's default forces a pass.
    """
    result = statistics.rebuild(force=force)
    return {"outcome": result.outcome, "passes": result.passes, "statements": result.statements}


@shared_task(ignore_result=True, expires=60)
def sweep_stale_statistics() -> str:
    """Rebuild when the statistics are stale; beat runs it every ``STATS_STALE_SWEEP_SECONDS``.

    The retry for writes whose publish failed (broker down or hung): such a write marks
    the statistics stale, and the first sweep that reaches a worker once the broker
    answers again rebuilds them, without waiting for the long forced rebuild or
    another write. Cheap when nothing is stale (one query). ``expires`` drops sweeps
    that queued up while no worker ran: the next one will do.
    """
    if not statistics.current_statistics().stale:
        return "fresh"
    return statistics.rebuild(force=False).outcome


def enqueue_rebuild_after_change() -> None:
    """``ground.change_bus`` listener: after each committed content change, ask for a rebuild.

    Without a broker the task runs here, in-process. With one, the publish is handed to
    this process's publisher thread (``BROKER_PUBLISH_IN_BACKGROUND``), so the response
    never waits on the broker, and a broker that cannot be reached never fails the
    write that has already committed: the error is logged and the statistics are marked
    stale; the stale sweep (``sweep_stale_statistics``) catches up once the broker
    answers (it also catches a publish lost with its process: the data version then no
    longer matches the statistics'). Settings bound each attempt (no publish retry,
    timeouts of ``BROKER_TIMEOUT_SECONDS``), and for a few seconds after a failure
    ``ground.broker`` does not try at all.
    """
    broker.run_here_or_publish(rebuild_statistics, on_failure=_could_not_enqueue, kwargs={"force": False})


def _could_not_enqueue(exc: Exception) -> None:
    logger.error("Could not enqueue the statistics rebuild: %s", exc, exc_info=True)
    try:
        statistics.mark_stale(f"A rebuild could not be queued ({type(exc).__name__}: {exc})")
    except Exception:
        logger.exception("Could not mark the statistics stale")
