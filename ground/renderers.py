"""CSV and TimelineJS renderers for the API.

Written here rather than taken from djangorestframework-csv because that package
flattens nested lists into one column per index (``citations.0.number``,
``citations.1.number``...), so a page's header would depend on its rows, and it does
not guard against spreadsheet formula injection. TimelineJS has no Python package.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from html import escape

from rest_framework.renderers import BaseRenderer

from ground.json_renderer import JSONRenderer

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with an apostrophe (OWASP advice)."""
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def _flatten(value) -> str:
    """One cell for one field: lists joined by '; ', citations as "31 (p. 14)"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, list):
        return "; ".join(_flatten_item(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return neutralise(str(value))


def _flatten_item(item) -> str:
    if isinstance(item, dict):
        if "number" in item:  # a citation or an endnote reference
            pinpoint = item.get("pinpoint")
            return f"{item['number']} (p. {neutralise(str(pinpoint))})" if pinpoint else str(item["number"])
        if "source" in item:  # a work an endnote cites
            pinpoint = item.get("pinpoint")
            return neutralise(str(item["source"])) + (f" ({pinpoint})" if pinpoint else "")
        if "family" in item or "literal" in item:  # a CSL name
            return neutralise(item.get("literal") or ", ".join(filter(None, [item.get("family"), item.get("given")])))
        return json.dumps(item, ensure_ascii=False, sort_keys=True)
    return _flatten(item)


class CSVRenderer(BaseRenderer):
    """The rows of a list page (or one record) with the serializer's fields as columns.

    A view may set ``csv_columns`` to put some columns first (transfers follow the
    SIPRI trade register's order); the remaining fields follow in serializer order.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:  # 204 / 304: no body
            return b""
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        response = renderer_context.get("response")
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        header = self._header(view, rows, response)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_flatten(row.get(column)) if isinstance(row, dict) else "" for column in header])
        if response is not None and view is not None and response.status_code == 200:
            name = getattr(view, "basename", None) or "export"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            if isinstance(data, dict) and "count" in data:  # a page: the selection's size
                response["X-Total-Count"] = str(data["count"])
        return out.getvalue().encode(self.charset)

    @staticmethod
    def _header(view, rows, response) -> list[str]:
        ok = response is None or response.status_code < 400
        if ok and view is not None and hasattr(view, "get_serializer"):
            return csv_header(view)
        return list(rows[0]) if rows and isinstance(rows[0], dict) else []


def csv_header(view) -> list[str]:
    """The view's serializer fields as CSV columns, its ``csv_columns`` first."""
    fields = list(view.get_serializer().fields)
    first = [c for c in getattr(view, "csv_columns", ()) if c in fields]
    return first + [f for f in fields if f not in first]


#: One CSV cell for one field value (public name for streaming exports).
csv_cell = _flatten


def _date_object(iso: str | None, precision: str) -> dict | None:
    """A TimelineJS date object ({year, month, day}) only as precise as the record's date."""
    if not iso:
        return None
    date = datetime.date.fromisoformat(iso)
    obj: dict = {"year": date.year}
    if precision in ("month", "day"):
        obj["month"] = date.month
    if precision == "day":
        obj["day"] = date.day
    return obj


def _compact(value) -> str:
    """JSON as DRF's renderer writes it (compact, UTF-8 kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_HAS_YEAR = re.compile(r"\d{4}|\d{2,3}0s")


def display_date(worded: str, start: dict | None) -> str:
    """The report's wording of a date, always with its year.

    The report often leaves the year to the sentence around it ("on December 11"); a
    slide shows the date alone, so a wording without a year gets the record's year.
    """
    worded = worded.strip()
    if not start:
        return worded
    if not worded:
        return str(start["year"])
    return worded if _HAS_YEAR.search(worded) else f"{worded}, {start['year']}"


class TimelineJSRenderer(JSONRenderer):
    """The whole (filtered) timeline as a TimelineJS3 JSON document.

    Expects ``{"periods": [...], "results": [...]}`` from the timeline view: periods
    become eras (an open period ends in the current year, as TimelineJS needs an end),
    records become events with ``unique_id`` = slug and ``group`` = type, and each
    event's text ends with links to the endnotes it cites. TimelineJS builds its slides
    with ``innerHTML``, so every text it shows (headline, text, ``display_date``, group)
    is HTML-escaped here; only the markup written here is markup.
    """

    media_type = "application/vnd.timelinejs+json"
    format = "timelinejs"

    TITLE = {
        "text": {
            "headline": "Sino-Russian military-technical cooperation",
            "text": "From the CSIS primer (March 2020); every record cites the report's endnotes.",
        }
    }

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict) and "results" in data and "periods" in data:
            data = self.document(data["periods"], data["results"])
        return super().render(data, accepted_media_type, renderer_context)

    @classmethod
    def document(cls, periods: list[dict], items: Iterable[dict]) -> dict:
        return {"title": cls.TITLE, "eras": cls.eras(periods), "events": list(cls.events(items))}

    @classmethod
    def stream(cls, periods: list[dict], items: Iterable[dict]) -> Iterator[bytes]:
        """The same document as ``document``, written event by event (whole-timeline exports)."""
        head = _compact({"title": cls.TITLE, "eras": cls.eras(periods)})
        yield (head[:-1] + ',"events":[').encode()
        for number, event in enumerate(cls.events(items)):
            yield (("," if number else "") + _compact(event)).encode()
        yield b"]}"

    @staticmethod
    def eras(periods: list[dict]) -> list[dict]:
        this_year = datetime.date.today().year
        return [
            {
                "start_date": {"year": period["start_year"]},
                "end_date": {"year": period["end_year"] or this_year},
                "text": {"headline": escape(period["name"]), "text": escape(period["summary"])},
            }
            for period in periods
        ]

    @staticmethod
    def events(items: Iterable[dict]) -> Iterator[dict]:
        seen = set()
        for item in items:
            unique_id = item["slug"]
            if unique_id in seen:  # slugs are unique per type; keep ids unique across types
                unique_id = f"{item['type']}-{item['slug']}"
            seen.add(unique_id)
            precision = item.get("date_precision") or "year"
            start = _date_object(item["date_start"], precision)
            end = _date_object(item["date_end"], precision)
            event = {
                "start_date": start,
                "text": {"headline": escape(item["title"]), "text": TimelineJSRenderer.event_text(item)},
                "unique_id": unique_id,
                "group": escape(item["type"]),
            }
            display = display_date(item.get("date") or "", start)
            if display:
                # TimelineJS inserts display_date (like headline and text) as HTML.
                event["display_date"] = escape(display)
            if end and end != start:
                event["end_date"] = end
            yield event

    @staticmethod
    def event_text(item: dict) -> str:
        parts = []
        if item.get("description"):
            parts.append(f"<p>{escape(item['description'])}</p>")
        links = [
            f'<a href="{escape(c["html_url"])}">{c["number"]}</a>'
            + (f" (p. {escape(c['pinpoint'])})" if c.get("pinpoint") else "")
            for c in item.get("citations", [])
        ]
        if links:
            parts.append("<p>Endnotes: " + ", ".join(links) + "</p>")
        parts.append(f'<p><a href="{escape(item["html_url"])}">Record page</a></p>')
        return "".join(parts)
