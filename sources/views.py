"""HTML pages for documents, endnotes and sources."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from ground.export_links import twin

from . import selectors
from .models import Document, Endnote


def document_detail(request, slug):
    document = get_object_or_404(Document, slug=slug)
    notes = list(selectors.endnote_list().filter(document=document))
    context = {
        "document": document,
        "object": document,
        "notes": notes,
        "twins": [twin("endnotes", "Endnotes", {"document": document.slug})],
    }
    return render(request, "sources/document_detail.html", context)


def source_list(request):
    sources = list(selectors.source_list())
    for source in sources:
        seen, notes = set(), []
        for work in source.endnote_works.all():
            if work.endnote_id not in seen:
                seen.add(work.endnote_id)
                notes.append(work)
        source.citing_works = notes
    context = {"sources": sources, "twins": [twin("sources", "Sources")]}
    return render(request, "sources/source_list.html", context)


def source_detail(request, slug):
    source = get_object_or_404(selectors.source_list(), slug=slug)
    works = list(source.endnote_works.all())
    endnote_ids = sorted({w.endnote_id for w in works})
    context = {
        "source": source,
        "object": source,
        "works": works,
        "citing": selectors.records_citing(endnote_ids),
    }
    return render(request, "sources/source_detail.html", context)


def endnote_detail(request, document, number):
    note = get_object_or_404(selectors.endnote_list(), document__slug=document, number=number)
    neighbours = set(
        Endnote.objects.filter(document=note.document, number__in=[number - 1, number + 1]).values_list(
            "number", flat=True
        )
    )
    citing = selectors.records_citing([note.pk], with_passages=True)
    context = {
        "note": note,
        "object": note,
        "works": list(note.works.all()),
        "repeated_by": list(note.repeated_by.order_by("number")),
        "citing": citing,
        "passages": selectors.passages_citing(citing),
        "previous": number - 1 if number - 1 in neighbours else None,
        "next": number + 1 if number + 1 in neighbours else None,
    }
    return render(request, "sources/endnote_detail.html", context)
