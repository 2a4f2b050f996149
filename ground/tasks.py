"""Celery task of the plumbing: the API rows stored ready to send, and the hook that enqueues it."""

from __future__ import annotations

import logging

from celery import shared_task

from . import broker, stored_rows

logger = logging.getLogger(__name__)


@shared_task(**broker.DATABASE_TASK_OPTIONS, ignore_result=True)
def refresh_stored_rows() -> dict:
    """Build the stored API rows a change emptied or made stale (``ground.stored_rows.refresh``;
    thin: the service is idempotent, so a repeated or late run builds nothing twice)."""
    return {"built": stored_rows.refresh()}


def enqueue_after_change() -> None:
    """``ground.change_bus`` listener: ask for the rows of the records a write changed.

    Without a broker the task runs here, in-process, as the statistics rebuild does; with
    one, the publish goes through this process's publisher thread (``ground.broker``). A
    publish that fails is logged: those records are built per request until the next
    write's refresh (or ``manage.py rebuild_stored_rows``).
    """
    broker.run_here_or_publish(refresh_stored_rows, on_failure=_could_not_enqueue)


def _could_not_enqueue(exc: Exception) -> None:
    logger.error("Could not enqueue the stored API rows' refresh: %s", exc, exc_info=True)
