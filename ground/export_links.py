"""Links from a page to its JSON and CSV twin in the REST API ("Export what you see").

A twin is the API URL of the same list plus the page's own filter parameters, with
nothing renamed: pages and API share their FilterSets, so the names mean the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

API_ROOT = "/api/"


@dataclass(frozen=True)
class Twin:
    label: str
    json: str
    csv: str


def twin(resource: str, label: str, params: Iterable[tuple[str, str]] | dict[str, str] = ()) -> Twin:
    """The JSON and CSV links of ``/api/<resource>/`` with ``params`` (pairs or a dict)."""
    pairs = list(params.items()) if isinstance(params, dict) else list(params)
    base = f"{API_ROOT}{resource}/"
    return Twin(
        label=label,
        json=f"{base}?{urlencode([*pairs, ('format', 'json')])}",
        csv=f"{base}?{urlencode([*pairs, ('format', 'csv')])}",
    )
