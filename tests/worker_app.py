"""The Celery app the worker tests start: mtc's own, plus a way to hold the statistics swap.

With ``STATS_REBUILD_TEST_PAUSE`` (seconds) in its environment, the worker sleeps inside
the rebuild's swap transaction, so a test can kill it mid-swap. The hook lives here, in
the tests, not in the production code it observes.
"""

import os
import time

from celery.signals import worker_init

from aggregates.signals import snapshot_swapped
from mtc.celery import app

__all__ = ["app"]


@worker_init.connect
def hold_swaps_open(**kwargs) -> None:
    pause = float(os.environ.get("STATS_REBUILD_TEST_PAUSE", "0"))
    if pause:
        snapshot_swapped.connect(lambda **_: time.sleep(pause), weak=False)
