"""The statistics document as tidy rows: one value per (scope, measure, key) row.

Tidy data (Wickham): each row one observation, each column one variable, so the CSV
loads straight into pandas, R or a spreadsheet pivot table without reshaping.

- ``scope``: what is counted and over which records: ``transfers`` (all of them),
  ``transfers/period/2014-present``, ``transfers/year/2015``, ``citations/records_per_endnote/<document>``...
- ``measure``: ``count``, ``value_usd``, ``with_value``... (see ``statistics.METRICS``), or
  ``records``/``endnotes``/``uncited`` for citation coverage.
- ``key``: the group within the scope: ``total``, ``direction=ru-cn``, ``category=aircraft``,
  ``unit=engines``; an endnote number, a source slug or a model for citation coverage.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

COLUMNS = ("scope", "measure", "key", "value")
RECORD_KINDS = ("transfers", "projects", "events")


def _metrics(scope: str, key: str, metrics: Any) -> Iterator[tuple[str, str, str, Any]]:
    if isinstance(metrics, dict):
        for measure, value in metrics.items():
            yield scope, measure, key, value
    else:  # a bare count
        yield scope, "count", key, metrics


def _block(scope: str, block: dict) -> Iterator[tuple[str, str, str, Any]]:
    for dimension, groups in block.items():
        if dimension == "total":
            yield from _metrics(scope, "total", groups)
            continue
        for group, metrics in groups.items():
            yield from _metrics(scope, f"{dimension}={group}", metrics)


def tidy_rows(data: dict) -> Iterator[tuple[str, str, str, Any]]:
    """Every number of a statistics document (``StatisticsSnapshot.data``) as a row."""
    for kind in RECORD_KINDS:
        scopes = data.get(kind) or {}
        if "all" in scopes:
            yield from _block(kind, scopes["all"])
        for scope_name in ("period", "year"):
            for name, block in (scopes.get(scope_name) or {}).items():
                yield from _block(f"{kind}/{scope_name}/{name}", block)
    citations = data.get("citations") or {}
    for document, counts in (citations.get("records_per_endnote") or {}).items():
        for number, records in counts.items():
            yield f"citations/records_per_endnote/{document}", "records", str(number), records
    for source, endnotes in (citations.get("endnotes_per_source") or {}).items():
        yield "citations/endnotes_per_source", "endnotes", source, endnotes
    for model, counts in (citations.get("records") or {}).items():
        for measure, value in counts.items():
            yield "citations/records", measure, model, value
    for document, counts in (citations.get("endnotes_cited") or {}).items():
        for measure, value in counts.items():
            yield "citations/endnotes_cited", measure, document, value
