"""Download citations as files: a source, an endnote, all sources, a document's endnotes,
and a record itself ("cite this record"); the timeline app adds a selection's endnotes.

Every view answers the extensions of ``citing.FORMATS`` (``.bib``, ``.ris``, ``.json``,
``.txt``, ``.html``) as an attachment with a readable file name; a record's citations are
also a page (``/cite/<type>/<slug>/``), which its Cite menu loads.
"""

from __future__ import annotations

from django.apps import apps
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import citing
from .cite_menu import record_menu
from .cited_record import CITED_RECORD_TYPES
from .models import Document, Source
from .selectors import citable_endnotes


def download(cset: citing.CitationSet, ext: str) -> HttpResponse:
    fmt = citing.EXTENSIONS.get(ext)
    if fmt is None:
        raise Http404(f"Unknown citation format '.{ext}'; use one of: {', '.join(citing.EXTENSIONS)}.")
    response = HttpResponse(citing.render(cset, fmt), content_type=citing.FORMATS[fmt][1])
    response["Content-Disposition"] = f'attachment; filename="{citing.download_filename(cset, fmt)}"'
    return response


def sources_cite(request, ext):
    return download(citing.for_sources(Source.objects.all(), title="Sources cited by the report"), ext)


def source_cite(request, slug, ext):
    source = get_object_or_404(Source, slug=slug)
    return download(citing.for_sources([source], title=source.title, filename=source.slug), ext)


def document_endnotes_cite(request, document, ext):
    doc = get_object_or_404(Document, slug=document)
    notes = citable_endnotes().filter(document=doc)
    return download(citing.for_endnotes(notes, title=f"{doc.title}: endnotes", filename=f"{doc.slug}-endnotes"), ext)


def endnote_cite(request, document, number, ext):
    note = get_object_or_404(citable_endnotes(), document__slug=document, number=number)
    return download(citing.for_endnote(note), ext)


def _cited_record(type: str, slug: str):
    if type not in CITED_RECORD_TYPES:
        raise Http404(f"Unknown record type '{type}'.")
    return get_object_or_404(apps.get_model(CITED_RECORD_TYPES[type][0]), slug=slug)


def record_cite(request, type, slug, ext):
    record = _cited_record(type, slug)
    return download(citing.cite_record(record, url=request.build_absolute_uri(record.get_absolute_url())), ext)


def record_cite_page(request, type, slug):
    """A record's citations as a page: what its Cite menu loads when opened, and where a
    reader without JavaScript follows the menu's link."""
    record = _cited_record(type, slug)
    return render(request, "sources/cite_record.html", {"record": record, **record_menu(record, request)})
