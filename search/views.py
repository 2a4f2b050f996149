"""The search page: every record, system, figure, endnote and source matching the words."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render

from ground.export_links import twin

from .forms import SearchForm
from .selectors import KIND_LABELS
from .selectors import search as run_search


def search(request):
    form = SearchForm(request.GET)
    form.is_valid()
    filters = form.filters()
    problems = form.problems()
    results = run_search(filters, page=request.GET.get("page")) if filters.q else None
    searched = results.searched if results else ""
    context = {
        "form": form,
        "query": filters.q,
        "filters": filters,
        "kind": filters.kind,
        "kind_label": KIND_LABELS.get(filters.kind, ""),
        "problems": problems,
        "results": results,
        "page": results.page if results else None,
        "total": results.total if results else 0,
        "facets": results.facets if results else {},
        "base_href": "?" + urlencode(filters.params(q=searched)),
        "twins": [twin("search", "These results", filters.params(q=searched))] if searched else [],
        # The records the results list, cited: the citing selection takes the same q.
        "cite_href": "/cite/?" + urlencode([("q", searched)]) if searched else "",
    }
    return render(request, "search/results.html", context, status=400 if problems else 200)
