"""Download citations as files: a source, an endnote, all sources, a document's endnotes,
the endnotes a filtered set of records cites, and a record itself ("cite this record").

Every view answers the extensions of ``citing.FORMATS`` (``.bib``, ``.ris``, ``.json``,
``.txt``, ``.html``) as an attachment with a readable file name.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404

from . import citing
from .citation_selectors import RECORD_TYPES, RecordSelection, citable_endnotes, selected_endnotes
from .models import Document, Source


def _download(cset: citing.CitationSet, ext: str) -> HttpResponse:
    fmt = citing.EXTENSIONS.get(ext)
    if fmt is None:
        raise Http404(f"Unknown citation format '.{ext}'; use one of: {', '.join(citing.EXTENSIONS)}.")
    response = HttpResponse(citing.render(cset, fmt), content_type=citing.FORMATS[fmt][1])
    response["Content-Disposition"] = f'attachment; filename="{citing.download_filename(cset, fmt)}"'
    return response


def sources_cite(request, ext):
    return _download(citing.for_sources(Source.objects.all(), title="Sources cited by the report"), ext)


def source_cite(request, slug, ext):
    source = get_object_or_404(Source, slug=slug)
    return _download(citing.for_sources([source], title=source.title, filename=source.slug), ext)


def document_endnotes_cite(request, document, ext):
    doc = get_object_or_404(Document, slug=document)
    notes = citable_endnotes().filter(document=doc)
    return _download(citing.for_endnotes(notes, title=f"{doc.title}: endnotes", filename=f"{doc.slug}-endnotes"), ext)


def endnote_cite(request, document, number, ext):
    note = get_object_or_404(citable_endnotes(), document__slug=document, number=number)
    return _download(citing.for_endnote(note), ext)


def selection_cite(request, ext):
    try:
        selection = RecordSelection.from_query(request.GET)
    except ValidationError as exc:
        message = " ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    notes = selected_endnotes(selection)
    return _download(citing.for_endnotes(notes, title=selection.describe(), filename=selection.slug()), ext)


def record_cite(request, type, slug, ext):
    model = RECORD_TYPES.get(type)
    if model is None:
        raise Http404(f"Unknown record type '{type}'.")
    record = get_object_or_404(model, slug=slug)
    return _download(citing.cite_record(record, url=request.build_absolute_uri(record.get_absolute_url())), ext)


def selection_page(request):
    """A page to choose records by filters and cite the endnotes they rest on."""
    from django.shortcuts import render

    from periods.models import Period

    context = {"types": list(RECORD_TYPES), "periods": Period.objects.all()}
    try:
        selection = RecordSelection.from_query(request.GET)
    except ValidationError as exc:
        return render(request, "sources/cite_selection.html", {**context, "errors": exc.message_dict}, status=400)
    count = selected_endnotes(selection).count()
    return render(request, "sources/cite_selection.html", {**context, "selection": selection, "count": count})
