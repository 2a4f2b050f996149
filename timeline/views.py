"""HTML pages: the timeline, periods, and one page per record with the records around it.

Views stay thin: the query string goes through the timeline's one FilterSet
(``timeline.filters``), reads go through selectors, and bad filter values give the
page with a plain message and status 400.
"""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ground.export_links import twin
from ground.fragment_cache import per_data_version
from periods.models import Actor, Analysis, Event, Figure, PolicyOption
from sources.selectors import citations_of
from systems.models import System
from transfers.models import Project, Transfer

from . import display, selectors, summaries
from .chart_markup import chart_svg
from .entries import entries_for, group_by_period
from .filters import TimelineQuery, timeline_form, timeline_query
from .lanes import timeline_chart
from .neighbourhood import neighbourhood
from .overview import overview

KEY_FIGURES_PER_PERIOD = 3
TIMELINE_PAGE_SIZE = 200


def problem_messages(query: TimelineQuery, data) -> list[str]:
    """One plain sentence per bad parameter, naming it and the rule it broke."""
    messages = []
    for name, errors in query.problems.items():
        value = str(data.get(name, ""))
        value = value if len(value) <= 40 else value[:39] + "…"
        messages += [f"Filter “{name}” was ignored: “{value}” {error}" for error in errors]
    return messages


def home(request):
    query = timeline_query(request.GET)
    periods = summaries.period_summaries()
    records = selectors.timeline(query, citations=False)
    spans = records.spans()
    page = Paginator(records, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = entries_for(page.object_list)
    params = query.params()
    problems = problem_messages(query, request.GET)
    context = {
        # The same for every reader but folded under a filter: 6-7 ms of an uncached
        # page at 100k records, its figures and endnotes written in the template.
        "periods_html": mark_safe(  # noqa: S308 - rendered by the template engine, which escapes
            per_data_version(
                "timeline-periods-html", lambda: _periods_html(periods, query), key=query.active, pinned=True
            )
        ),
        "form": timeline_form(request.GET),
        "problems": problems,
        "filters": query,
        "summary": query.describe(),
        "groups": group_by_period(entries, periods),
        "page": page,
        "entry_count": page.paginator.count,
        "undated_count": selectors.undated_count(query),
        "page_href": "?" + urlencode([*params, ("page", "")]),
        "undated_href": "?" + urlencode([*[p for p in params if p[0] != "undated"], ("undated", "1")]) + "#timeline",
        "overview": overview(spans.year_counts(query.year_from, query.year_to), periods, selectors.year_span(), params),
        # The same for every page of a selection: drawn once per data version and filters
        # (its marks query and layout were 63 ms of a page at 100k transfers); kept as
        # markup (``chart_markup``), which a cache reads back fastest.
        "chart_html": mark_safe(  # noqa: S308 - chart_svg escapes every text value
            per_data_version("timeline-chart-html", lambda: _chart_html(query, periods, spans), key=query.params())
        ),
        "twins": [twin("timeline", "These records", params)],
    }
    return render(request, "timeline/home.html", context, status=400 if problems else 200)


def _first_page(query: TimelineQuery) -> tuple[list, bool]:
    """The first page of ``query``'s records, dated then undated, and whether more follow.

    A system's, a period's or an actor's page lists one page of its records and links to
    the filterable timeline for the rest (``includes/first_page_note.html`` says so). One
    record read past the page says whether there is a rest, without counting it (a
    system's records at a million took 170-360 ms to count); the timeline counts them.
    """
    entries = entries_for(selectors.timeline(query, citations=False)[0 : TIMELINE_PAGE_SIZE + 1])
    return entries[:TIMELINE_PAGE_SIZE], len(entries) > TIMELINE_PAGE_SIZE


def _periods_html(periods, query: TimelineQuery) -> str:
    """The three periods' section: each with its counts and first key figures, open
    unless a filter is set."""
    figures = summaries.figures_by_period()
    periods = [copy.copy(period) for period in periods]  # the summaries are pinned, shared by every thread
    for period in periods:
        period.key_figures = figures.get(period.pk, [])[:KEY_FIGURES_PER_PERIOD]
    return render_to_string("timeline/_periods.html", {"periods": periods, "filters": query})


def _chart_html(query, periods, spans) -> str:
    """The timeline chart of ``query``'s records as SVG markup (``chart_markup``), or nothing."""
    chart = timeline_chart(selectors.timeline_marks(query, periods, spans=spans), periods, query)
    if not chart:
        return ""
    return str(chart_svg(chart, filtered=query.active, mark_limit=selectors.MARK_LIMIT))


def period_detail(request, slug):
    periods = summaries.period_summaries()
    period = next((p for p in periods if p.slug == slug), None)
    if period is None:
        raise Http404(f"No period “{slug}”.")
    index = periods.index(period)
    query = TimelineQuery(period=period, undated=True)
    entries, more = _first_page(query)
    context = {
        "period": period,
        "object": period,
        "previous": periods[index - 1] if index > 0 else None,
        "next": periods[index + 1] if index + 1 < len(periods) else None,
        "dated": [e for e in entries if e.date_start],
        "undated": [e for e in entries if not e.date_start],
        "shown_count": len(entries),
        "more": more,
        "figures": summaries.figures_by_period().get(period.pk, []),
        "categories": summaries.transfer_categories(period),
        "event_kinds": summaries.event_kinds(period),
        "twins": [
            twin("timeline", "Its records", query.params()),
            twin("figures", "Figures", {"period": period.slug}),
        ],
    }
    return render(request, "timeline/period_detail.html", context)


def _record_or_404(model, slug: str):
    record = selectors.record_by_slug(model, slug)
    if record is None:
        raise Http404(f"No {model._meta.verbose_name} is at {slug!r}.")
    return record


def record_page(request, obj, *, kind: str, rows, actors=(), extra=None):
    """The page of one record: its fields, citations and the records around it."""
    systems = selectors.record_systems(obj)
    context = {
        "object": obj,
        "kind": kind,
        "rows": rows,
        "systems": systems,
        "citations": citations_of(obj),
        "around": neighbourhood(obj, actors=actors, systems=systems),
        **(extra or {}),
    }
    return render(request, "records/detail.html", context)


def event_detail(request, slug):
    event = _record_or_404(Event, slug)
    actors = list(event.actors.all())
    return record_page(request, event, kind="Event", rows=display.event_rows(event), actors=actors)


def figure_detail(request, slug):
    figure = _record_or_404(Figure, slug)
    return record_page(request, figure, kind="Figure", rows=display.figure_rows(figure))


def actor_detail(request, slug):
    actor = _record_or_404(Actor, slug)
    query = TimelineQuery(actor=actor, undated=True)
    involved, more = _first_page(query)
    extra = {
        "involved": involved,
        "involved_more": more,
        "involved_href": "/?" + urlencode([("actor", actor.slug)]) + "#timeline",
        "twins": [twin("timeline", "Its records", query.params())],
    }
    return record_page(request, actor, kind="Actor", rows=display.actor_rows(actor), extra=extra)


def system_detail(request, slug):
    """A weapon system: its names (with where each comes from) and every record about it,
    dated and undated, on one timeline with their endnotes; the Cite menu cites them."""
    system = get_object_or_404(System.objects.with_names(), slug=slug)
    query = TimelineQuery(system=system, undated=True)
    entries, more = _first_page(query)
    context = {
        "object": system,
        "system": system,
        "names": list(system.names.all()),
        "filters": query,
        "shown_count": len(entries),
        "more": more,
        "dated": [e for e in entries if e.date_start],
        "undated": [e for e in entries if not e.date_start],
        "timeline_href": "/?" + urlencode([("system", system.slug)]) + "#timeline",
        "search_href": "/search/?" + urlencode([("system", system.slug), ("q", system.name)]),
        "api_url": f"/api/systems/{system.slug}/",
        "twins": [twin("timeline", "Its records", query.params())],
    }
    return render(request, "timeline/system_detail.html", context)


def policy_option_detail(request, slug):
    option = get_object_or_404(PolicyOption, slug=slug)
    return record_page(request, option, kind="Policy option", rows=display.policy_option_rows(option))


def analysis_detail(request, slug):
    analysis = _record_or_404(Analysis, slug)
    actors = [a for a in (analysis.made_by, *analysis.made_by_others.all(), *analysis.actors.all()) if a is not None]
    return record_page(request, analysis, kind="Analysis", rows=display.analysis_rows(analysis), actors=actors)


def transfer_detail(request, slug):
    transfer = _record_or_404(Transfer, slug)
    return record_page(
        request,
        transfer,
        kind="Arms transfer",
        rows=display.transfer_rows(transfer),
        actors=[transfer.supplier, transfer.recipient],
    )


def project_detail(request, slug):
    project = _record_or_404(Project, slug)
    actors = list(project.partners.all())
    return record_page(request, project, kind="Joint project", rows=display.project_rows(project), actors=actors)
