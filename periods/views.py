"""HTML pages: the timeline, periods, one page per record, and search.

Views stay thin: they validate the query string with a form, call selectors, and
render. Bad filter values give the page with a plain message and status 400.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from sources.selectors import citations_of

from . import display, exports, selectors
from .forms import SearchForm, TimelineFilterForm
from .models import Actor, Event, Figure, PolicyOption, SearchEntry
from .search import search as run_search

KEY_FIGURES_PER_PERIOD = 3
SEARCH_PAGE_SIZE = 20


def home(request):
    periods = list(selectors.period_summaries())
    actors = list(Actor.objects.order_by("name"))
    form = TimelineFilterForm(request.GET, periods=periods, actors=actors)
    form.is_valid()
    filters = form.filters()
    page_size = selectors.TIMELINE_PAGE_SIZE
    dated_count, undated_count = selectors.timeline_counts(filters)
    entry_count = dated_count + (undated_count if filters.undated else 0)
    last_page = max(1, -(-entry_count // page_size))
    page = _page(request, last_page)
    entries = selectors.timeline(filters, dated=not filters.undated, limit=page * page_size)[(page - 1) * page_size :]
    figures = selectors.figures_by_period()
    for period in periods:
        period.all_figures = figures.get(period.pk, [])
        period.key_figures = period.all_figures[:KEY_FIGURES_PER_PERIOD]
    context = {
        "periods": periods,
        "form": form,
        "problems": form.problems(),
        "filters": filters,
        # Filtered to one period, its records are shown under it whatever their dates.
        "groups": selectors.group_by_period(
            entries, [p for p in periods if p.pk == filters.period.pk] if filters.period else periods
        ),
        "entry_count": entry_count,
        "undated_count": undated_count,
        "page": page,
        "last_page": last_page,
        "first_shown": (page - 1) * page_size + 1 if entries else 0,
        "last_shown": (page - 1) * page_size + len(entries),
        "page_href": "?" + urlencode(filters.params()) + ("&" if filters.params() else "") + "page=",
        "undated_href": "?" + urlencode(filters.params() | {"undated": "1"}) + "#timeline",
        "overview": selectors.overview(
            selectors.year_counts(filters), periods, selectors.year_span(), filters.params()
        ),
        "twins": exports.timeline_twins(filters),
    }
    return render(request, "periods/home.html", context, status=400 if form.errors else 200)


def _page(request, last_page: int) -> int:
    """The timeline page asked for; anything not a page number shows the first."""
    raw = request.GET.get("page", "1")
    return min(int(raw), last_page) if raw.isdigit() and int(raw) >= 1 else 1


def period_detail(request, slug):
    periods = list(selectors.period_summaries())
    period = next((p for p in periods if p.slug == slug), None)
    if period is None:
        raise Http404(f"No period “{slug}”.")
    index = periods.index(period)
    entries = selectors.timeline(
        selectors.TimelineFilters(period=period), dated=False, limit=selectors.TIMELINE_PAGE_SIZE
    )
    context = {
        "period": period,
        "object": period,
        "previous": periods[index - 1] if index > 0 else None,
        "next": periods[index + 1] if index + 1 < len(periods) else None,
        "dated": [e for e in entries if e.date_start],
        "undated": [e for e in entries if not e.date_start],
        "figures": selectors.figures_by_period().get(period.pk, []),
        "categories": selectors.transfer_categories(period),
        "event_kinds": selectors.event_kinds(period),
        "twins": [
            *exports.timeline_twins(selectors.TimelineFilters(period=period)),
            exports.twin("figures", "Figures", {"period": period.slug}),
        ],
    }
    return render(request, "periods/period_detail.html", context)


def record_page(request, obj, *, kind: str, rows, actors=(), system: str = "", extra=None):
    """The page of one record: its fields, citations and the records around it."""
    context = {
        "object": obj,
        "kind": kind,
        "rows": rows,
        "citations": citations_of(obj),
        "around": selectors.neighbourhood(obj, actors=actors, system=system),
        **(extra or {}),
    }
    return render(request, "records/detail.html", context)


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.select_related("period").prefetch_related("actors"), slug=slug)
    actors = list(event.actors.all())
    return record_page(request, event, kind="Event", rows=display.event_rows(event), actors=actors)


def figure_detail(request, slug):
    figure = get_object_or_404(Figure.objects.select_related("period"), slug=slug)
    return record_page(request, figure, kind="Figure", rows=display.figure_rows(figure))


def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("country"), slug=slug)
    involved = selectors.timeline(
        selectors.TimelineFilters(actor=actor), dated=False, limit=selectors.TIMELINE_PAGE_SIZE
    )
    extra = {
        "involved": involved,
        "involved_href": "/?" + f"actor={actor.slug}#timeline",
        "twins": exports.timeline_twins(selectors.TimelineFilters(actor=actor)),
    }
    return record_page(request, actor, kind="Actor", rows=display.actor_rows(actor), extra=extra)


def policy_option_detail(request, slug):
    option = get_object_or_404(PolicyOption, slug=slug)
    return record_page(request, option, kind="Policy option", rows=display.policy_option_rows(option))


def analysis_detail(request, slug):
    analysis = get_object_or_404(selectors.analysis_list(), slug=slug)
    return record_page(
        request, analysis, kind="Analysis", rows=display.analysis_rows(analysis), actors=list(analysis.actors.all())
    )


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
            exports.twin(resource, label, {"q": query})
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
