"""Citing a timeline selection: the page to choose records, and its endnotes as downloads."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.shortcuts import render

from sources import citing
from sources.citation_views import download
from sources.cite_menu import menu_context

from . import citing_selection
from .filters import timeline_form, timeline_query

#: Past this many endnotes the page offers the downloads only: formatting thousands of
#: notes inline (a broad selection of synthetic records at scale) would take seconds,
#: where a download formats them once, when asked.
INLINE_LIMIT = 100


def selection_cite(request, ext):
    """The endnotes the selected records cite, as a file; a bad parameter is a 400 naming it."""
    query = timeline_query(request.GET)
    if query.problems:
        message = " ".join(f"{name}: {' '.join(msgs)}" for name, msgs in query.problems.items())
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    notes = citing_selection.selected_endnotes(query)
    title, filename = citing_selection.selection_title(query), citing_selection.selection_filename(query)
    return download(citing.for_endnotes(notes, title=title, filename=filename), ext)


def selection_page(request):
    """A page to choose records with the timeline's filters and cite the endnotes they rest on."""
    query = timeline_query(request.GET)
    context = {"form": timeline_form(request.GET), "filters": query, "errors": query.problems}
    if not query.problems:
        notes = citing_selection.selected_endnotes(query)
        count, title = notes.count(), citing_selection.selection_title(query)
        heading, downloads = "Cite the endnotes of these records", citing_selection.selection_downloads(query)
        if count > INLINE_LIMIT:
            menu = {"heading": heading, "blocks": [], "downloads": downloads, "prefix": "cite-selection"}
            menu["blocks_note"] = (
                f"These records rest on {count:,} endnotes, more than {INLINE_LIMIT} to show here: download them below."
            )
        else:
            cset = citing.for_endnotes(notes, title=title, filename=citing_selection.selection_filename(query))
            menu = menu_context(cset, downloads, heading, "cite-selection")
        context |= {"count": count, "title": title, **menu}
    return render(request, "timeline/cite_selection.html", context, status=400 if query.problems else 200)
