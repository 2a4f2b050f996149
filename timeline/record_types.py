"""The record types the timeline merges, in one table: adding a type is one entry here.

Each entry says how a record of that type reads on the timeline (title, kind of
record, one-line summary) and what the API calls it; the filters themselves are
queryset methods of the type (``periods.querysets``, ``transfers.querysets``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from ground.url_reversing import reverser
from periods.models import Analysis, Event, Figure
from transfers.models import Project, Transfer


@dataclass(frozen=True)
class RecordType:
    slug: str
    label: str
    plural: str
    model: type[Model]
    api_route: str
    title: Callable[[Model], str]
    subtype: Callable[[Model], str]
    summary: Callable[[Model], str]
    #: The fields the timeline chart reads besides dates, slug and period: what ``title``
    #: needs, and a transfer's label and delivery years (``timeline.lanes``).
    chart_fields: tuple[str, ...] = ()
    transfers_only_filters: bool = False

    @property
    def order(self) -> int:
        return list(RECORD_TYPES).index(self.slug)

    def page_urls(self) -> Callable[..., str]:
        """``get_absolute_url`` for many records of this type: ``page_urls()(slug=...)``.

        The URL's template is found once (``ground.url_reversing.reverser``); each
        record's own call looked the URL configuration and script prefix up in thread
        locals again, about 10 µs a call, and a timeline page builds 600 of these (its
        chart's marks and its entries). Call it per request, as the script prefix is.
        """
        return reverser(f"timeline:{self.slug}", "slug")


RECORD_TYPES: dict[str, RecordType] = {
    "event": RecordType(
        "event", "Event", "Events", Event, "event",
        title=lambda r: r.title, subtype=lambda r: r.get_kind_display(), summary=lambda r: r.description,
        chart_fields=("title",),
    ),
    "transfer": RecordType(
        "transfer", "Arms transfer", "Arms transfers", Transfer, "transfer",
        title=lambda r: r.headline, subtype=lambda r: r.get_category_display(),
        summary=lambda r: r.notes,
        chart_fields=(
            "designation", "description", "number_ordered", "quantity_unit", "year_ordered", "delivery_years",
        ),
        transfers_only_filters=True,
    ),
    "project": RecordType(
        "project", "Joint project", "Joint projects", Project, "project",
        title=lambda r: r.name, subtype=lambda r: r.get_status_display(), summary=lambda r: r.description,
        chart_fields=("name",),
    ),
    "figure": RecordType(
        "figure", "Figure", "Figures", Figure, "figure",
        title=lambda r: r.statement, subtype=lambda r: "Reported figure", summary=lambda r: r.scope,
        chart_fields=("statement",),
    ),
    # The report's analysis, on the timeline where the report dates it.
    "analysis": RecordType(
        "analysis", "Analysis", "Analyses", Analysis, "analysis",
        title=lambda r: r.title, subtype=lambda r: r.get_kind_display(), summary=lambda r: r.claim,
        chart_fields=("title",),
    ),
}  # fmt: skip
