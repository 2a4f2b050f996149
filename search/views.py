"""The search page: every record, figure, endnote and source matching the words."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from ground.export_links import twin

from .forms import SearchForm
from .index import search as run_search
from .models import SearchEntry

SEARCH_PAGE_SIZE = 20


def search(request):
    form = SearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "") if hasattr(form, "cleaned_data") else ""
    kinds = dict(SearchEntry.Kind.choices)
    kind = request.GET.get("type", "")
    problems = form.problems()
    if kind and kind not in kinds:
        problems.append(f"Filter “type” was ignored: “{kind[:40]}” is not one of the choices.")
        kind = ""
    hits = run_search(query) if query else []
    facets = {}
    for hit in hits:
        facets[hit.kind] = facets.get(hit.kind, 0) + 1
    shown = [h for h in hits if h.kind == kind] if kind else hits
    page = Paginator(shown, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "query": query,
        "kind": kind,
        "problems": problems,
        "page": page,
        "total": len(shown),
        "facets": [(k, kinds[k], n) for k, n in sorted(facets.items(), key=lambda item: -item[1])],
        "twins": [
            twin(resource, label, {"q": query})
            for resource, label in (
                ("events", "Events"),
                ("transfers", "Arms transfers"),
                ("projects", "Joint projects"),
                ("figures", "Figures"),
                ("endnotes", "Endnotes"),
                ("sources", "Sources"),
            )
        ]
        if query
        else [],
    }
    return render(request, "search/results.html", context, status=400 if problems else 200)
