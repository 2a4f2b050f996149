"""What the timeline and the API lists read on almost every request, computed as a server
process starts (``ground.fragment_cache.warm``) rather than by its first readers.

At a million transfers the year groups take 0.3 s per large record table and the period
summaries a grouped pass over each; the first requests of a fresh worker (four threads,
two workers) queued behind them for 1.1-1.8 s.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from periods.models import Event, Period
from transfers.models import Transfer

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


def typical_paths() -> list[str]:
    """A request to each view most readers and API clients use, on records that exist
    (``ground.worker_start.rehearse`` answers them as a worker starts): the timeline,
    filtered and not; two transfers' pages and an event's; the transfer and event lists,
    a transfer's API record and a search on the lists and the search page."""
    paths = [reverse("timeline:home"), reverse("api:transfer-list"), reverse("api:event-list")]
    period = Period.objects.order_by("start_year").values_list("slug", flat=True).first()
    if period:
        paths.append(reverse("timeline:home") + "?" + urlencode({"type": "transfer", "period": period}))
    transfers = Transfer.objects.values_list("slug", "designation")
    first, last = transfers.order_by("pk").first(), transfers.order_by("-pk").first()
    if first and last:
        slug, designation = first
        paths += [
            # Two records, as a record page's statements are compiled per shape (dated or
            # not, with systems or not: ``timeline.neighbourhood``).
            reverse("timeline:transfer", args=[slug]),
            reverse("timeline:transfer", args=[last[0]]),
            reverse("api:transfer-detail", args=[slug]),
            reverse("api:transfer-list") + "?" + urlencode({"q": designation}),
            reverse("search:search") + "?" + urlencode({"q": designation}),
        ]
    event = Event.objects.order_by("pk").values_list("slug", flat=True).first()
    if event:
        paths.append(reverse("timeline:event", args=[event]))
    return paths
