"""Whole-selection exports: streamed in chunks, and bounded for anonymous clients.

A list asked for as CSV or TimelineJS without ``page``/``page_size`` is the whole
filtered selection, in list order (citation formats likewise cite the whole selection).
Such an export:

- is streamed (``StreamingHttpResponse``): rows are read from a server-side cursor
  (``QuerySet.iterator(chunk_size=EXPORT_CHUNK_SIZE)``, which also prefetches per chunk)
  and serialized a chunk at a time, so memory does not grow with the selection;
- says how many rows it holds (``X-Total-Count``), counted before the first row is read;
- is refused to anonymous clients beyond ``EXPORT_ANON_MAX_ROWS`` rows with a 403
  naming the limit, before any row is read: they page through it (``page``,
  ``page_size``) or use an API token. A handful of anonymous requests can therefore not
  tie up every worker with exports of the whole database.

With ``page``, ``page_size`` or ``after`` the export is that page, like the JSON.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.http import StreamingHttpResponse
from rest_framework import exceptions, status

PAGING_PARAMS = ("page", "page_size", "after")


class ExportTooLarge(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "export_too_large"


def wants_whole_selection(request) -> bool:
    """No ``page``/``page_size``/``after``: the export is the whole filtered selection."""
    return not any(name in request.query_params for name in PAGING_PARAMS)


def check_export_size(request, count: int) -> None:
    """Refuse an anonymous export of more than ``EXPORT_ANON_MAX_ROWS`` rows, naming the limit."""
    limit = settings.EXPORT_ANON_MAX_ROWS
    if count <= limit or (request.user and request.user.is_authenticated):
        return
    raise ExportTooLarge(
        f"This export selects {count} rows; anonymous clients may export at most {limit} at once "
        f"(EXPORT_ANON_MAX_ROWS). Narrow the filters, download it page by page with page and "
        f"page_size, or authenticate with an API token for the whole selection."
    )


def chunks(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Echo:
    """A file-like object whose ``write`` returns the line, for ``csv.writer`` in a generator."""

    def write(self, value: str) -> str:
        return value


def streaming_csv(*, header: list[str], rows: Iterable[dict], cell, filename: str, count: int) -> StreamingHttpResponse:
    """CSV of ``rows`` (dicts, produced lazily) under ``header``; ``cell`` turns a value into text."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")

    def lines() -> Iterator[bytes]:
        yield writer.writerow(header).encode()
        for row in rows:
            yield writer.writerow([cell(row.get(column)) for column in header]).encode()

    return streaming(lines(), content_type="text/csv; charset=utf-8", filename=f"{filename}.csv", count=count)


def streaming(
    chunks_: Iterable[bytes], *, content_type: str, count: int, filename: str | None = None
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks_, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Total-Count"] = str(count)
    return response


def serialized(view, objects: Iterable, serializer_class=None) -> Iterator[dict]:
    """Objects serialized a chunk at a time with the view's serializer (and context)."""
    serializer_class = serializer_class or view.get_serializer_class()
    context = view.get_serializer_context()
    for chunk in chunks(objects, settings.EXPORT_CHUNK_SIZE):
        yield from serializer_class(chunk, many=True, context=context).data
