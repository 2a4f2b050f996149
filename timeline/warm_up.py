"""What the timeline and the API lists read on almost every request, computed as a server
process starts (``ground.fragment_cache.warm``) rather than by its first readers.

At a million transfers the year groups take 0.3 s per large record table and the period
summaries a grouped pass over each; the first requests of a fresh worker (four threads,
two workers) queued behind them for 1.1-1.8 s.
"""

from __future__ import annotations

from .record_types import RECORD_TYPES
from .selectors import year_groups, year_span
from .summaries import figures_by_period, period_summaries


def timeline_fragments() -> None:
    """Every record type's year groups, the overview's year span, the period summaries
    and the figures by period, for the current data version."""
    for kind in RECORD_TYPES:
        year_groups(kind)
    year_span()
    period_summaries()
    figures_by_period()
