"""Links from every list page to its JSON and CSV twin in the REST API.

The API (``/api/<resource>/``, ``?format=json|csv``) takes the same filter names as
the pages; this module is the one place that translates a page's filters into API
parameters, so "what you see is what you can export" stays true in one spot.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from .selectors import KIND_LABELS, TimelineFilters

API_ROOT = "/api/"
RESOURCES = {"event": "events", "transfer": "transfers", "project": "projects", "analysis": "analyses"}
# The timeline's year range is on the year a record's date starts in.
YEAR_PARAMS = {"from": "date_start__year__gte", "to": "date_start__year__lte"}
TRANSFER_ONLY = ("category", "direction")


@dataclass(frozen=True)
class Twin:
    label: str
    json: str
    csv: str


def twin(resource: str, label: str, params: dict[str, str] | None = None) -> Twin:
    params = dict(params or {})
    base = f"{API_ROOT}{resource}/"
    return Twin(
        label=label,
        json=f"{base}?{urlencode(params | {'format': 'json'})}",
        csv=f"{base}?{urlencode(params | {'format': 'csv'})}",
    )


def timeline_twins(filters: TimelineFilters) -> list[Twin]:
    """One JSON/CSV pair per record type the timeline shows, carrying its filters.

    The API lists undated records too; the timeline shows them with ``undated=1``.
    """
    page = filters.params()
    twins = []
    for kind in filters.kinds:
        params = {}
        for name, value in page.items():
            if name in ("type", "undated") or (name in TRANSFER_ONLY and kind != "transfer"):
                continue
            params[YEAR_PARAMS.get(name, name)] = value
        label = "Analyses" if kind == "analysis" else KIND_LABELS[kind] + "s"
        twins.append(twin(RESOURCES[kind], label, params))
    return twins
