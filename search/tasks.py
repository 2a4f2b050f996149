"""Celery tasks of the search: the common words' summaries, and the hook that enqueues them."""

from __future__ import annotations

import logging

from celery import shared_task

from ground import broker

from . import common_words

logger = logging.getLogger(__name__)


@shared_task(**broker.DATABASE_TASK_OPTIONS, ignore_result=True)
def refresh_common_searches(force: bool = False) -> dict:
    """Keep the common words' search summaries for the current data version
    (``search.common_words.refresh``; thin: the service is idempotent per version)."""
    refreshed = common_words.refresh(force=force)
    return {"version": refreshed.version, "words": len(refreshed.words), "fresh": refreshed.fresh}


def enqueue_after_change() -> None:
    """``ground.change_bus`` listener, after the index is refreshed: ask for the common
    words' summaries of the new version.

    Without a broker the task runs here, in-process, as the statistics rebuild does. With
    one, the publish is handed to this process's publisher thread (``ground.broker``), so
    the response never waits on the broker; a publish that fails is logged, and searches
    compute their summaries themselves until the next write's refresh.
    """
    broker.run_here_or_publish(refresh_common_searches, on_failure=_could_not_enqueue)


def _could_not_enqueue(exc: Exception) -> None:
    logger.error("Could not enqueue the common words' search summaries: %s", exc, exc_info=True)
