"""HTML pages for documents, endnotes and sources."""

from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Document


def document_detail(request, slug):
    document = get_object_or_404(Document, slug=slug)
    return render(request, "record_detail.html", {"object": document, "kind": "document"})


def source_detail(request, slug):
    source = get_object_or_404(selectors.source_list(), slug=slug)
    return render(request, "record_detail.html", {"object": source, "kind": "source"})


def endnote_detail(request, document, number):
    note = get_object_or_404(selectors.endnote_list(), document__slug=document, number=number)
    return render(request, "record_detail.html", {"object": note, "kind": "endnote"})
