"""``/statistics/``: the stored statistics as charts and tables, beside the report's figures."""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from periods.models import Event, Figure, Period
from sources.models import Endnote, Source
from transfers.models import Project, Transfer

from . import statistics
from .charts import stacked_chart, usd

TOP = 10


def _transfer_charts(stats: statistics.StoredStatistics, periods: list) -> dict:
    directions = list(Transfer.Direction.choices)
    period_groups = [(p.slug, p.years) for p in periods]
    years = sorted(int(y) for y in stats.scope_keys("transfers", "year") if y != statistics.UNDATED)
    year_groups = [(str(y), str(y)) for y in range(years[0], years[-1] + 1)] if years else []
    if statistics.UNDATED in stats.scope_keys("transfers", "year"):
        year_groups.append((statistics.UNDATED, "undated"))

    def by(scope: str, metric: str):
        def value(group: str, direction: str) -> float:
            block = stats.block("transfers", scope, group)
            return block.get("direction", {}).get(direction, {}).get(metric, 0)

        return value

    overall = stats.block("transfers")
    categories = sorted(
        overall.get("category", {}).items(), key=lambda item: (-item[1]["count"], -item[1]["value_usd"], item[0])
    )
    category_labels = dict(Transfer.Category.choices)
    category_groups = [(key, category_labels.get(key, key)) for key, _ in categories]

    def by_category(metric: str):
        return lambda group, _series: overall.get("category", {}).get(group, {}).get(metric, 0)

    direction_groups = [(key, label) for key, label in directions if key in overall.get("direction", {})]
    return {
        "period_count": stacked_chart(
            chart_id="chart-period-count",
            title="Transfers per period, by direction",
            groups=period_groups,
            series=directions,
            values=by("period", "count"),
        ),
        "period_value": stacked_chart(
            chart_id="chart-period-value",
            title="Known value of transfers per period, by direction (US dollars)",
            groups=period_groups,
            series=directions,
            values=by("period", "value_usd"),
            fmt=usd,
        ),
        "year_count": stacked_chart(
            chart_id="chart-year-count",
            title="Transfers per year of the deal, by direction",
            groups=year_groups,
            series=directions,
            values=by("year", "count"),
        ),
        "year_value": stacked_chart(
            chart_id="chart-year-value",
            title="Known value of transfers per year of the deal, by direction (US dollars)",
            groups=year_groups,
            series=directions,
            values=by("year", "value_usd"),
            fmt=usd,
        ),
        "category_count": stacked_chart(
            chart_id="chart-category-count",
            title="Transfers by category",
            groups=category_groups,
            series=[("count", "transfers")],
            values=by_category("count"),
            horizontal=True,
        ),
        "category_value": stacked_chart(
            chart_id="chart-category-value",
            title="Known value of transfers by category (US dollars)",
            groups=category_groups,
            series=[("value", "known value")],
            values=by_category("value_usd"),
            fmt=usd,
            horizontal=True,
        ),
        "direction_count": stacked_chart(
            chart_id="chart-direction-count",
            title="Transfers by direction",
            groups=direction_groups,
            series=[("count", "transfers")],
            values=lambda group, _s: overall["direction"][group]["count"],
            horizontal=True,
        ),
        "direction_value": stacked_chart(
            chart_id="chart-direction-value",
            title="Known value of transfers by direction (US dollars)",
            groups=direction_groups,
            series=[("value", "known value")],
            values=lambda group, _s: overall["direction"][group]["value_usd"],
            fmt=usd,
            horizontal=True,
        ),
        "year_groups": [(key, label, stats.block("transfers", "year", key)) for key, label in year_groups],
        "categories": [(category_labels.get(k, k), v) for k, v in categories],
        "directions": [(label, overall["direction"][key]) for key, label in direction_groups],
        "units": sorted(overall.get("unit", {}).items()),
    }


def _opening(text: str, limit: int = 70) -> str:
    text = " ".join(text.replace("*", "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _coverage(stats: statistics.StoredStatistics) -> dict:
    citations = stats.data.get("citations", {})
    notes = [
        (doc, int(number), n)
        for doc, numbers in citations.get("records_per_endnote", {}).items()
        for number, n in numbers.items()
    ]
    notes.sort(key=lambda note: (-note[2], note[0], note[1]))
    sources = sorted(citations.get("endnotes_per_source", {}).items(), key=lambda item: (-item[1], item[0]))
    # The lists name works by title and author and endnotes by number and opening words
    # (one query each), not by slug.
    top_notes = notes[:TOP]
    note_texts = {
        (doc, number): _opening(text)
        for doc, number, text in Endnote.objects.filter(
            document__slug__in={d for d, _, _ in top_notes}, number__in={num for _, num, _ in top_notes}
        ).values_list("document__slug", "number", "text")
    }
    works = {
        source.slug: (source.title, source.author_display)
        for source in Source.objects.filter(slug__in=[slug for slug, _ in sources[:TOP]])
    }
    records = []
    for label, row in sorted(citations.get("records", {}).items()):
        model = apps.get_model(label)
        records.append((model._meta.verbose_name_plural, row))
    return {
        "endnotes": len(notes),
        "endnotes_uncited": sum(1 for *_, n in notes if n == 0),
        "endnotes_cited": sum(1 for *_, n in notes if n > 0),
        "top_endnotes": [
            (
                reverse("sources:endnote", kwargs={"document": doc, "number": number}),
                number,
                n,
                note_texts.get((doc, number), ""),
            )
            for doc, number, n in notes[:TOP]
        ],
        "sources": len(sources),
        "sources_single": sum(1 for _, n in sources if n == 1),
        "top_sources": [
            (reverse("sources:source", kwargs={"slug": slug}), *works.get(slug, (slug, "")), n)
            for slug, n in sources[:TOP]
        ],
        "records": records,
        "records_total": sum(row["records"] for _, row in records),
        "records_uncited": sum(row["uncited"] for _, row in records),
    }


def _by_period_table(stats: statistics.StoredStatistics, family: str, dimension: str, labels: dict, periods) -> dict:
    """Rows of a dimension (status, kind) with a count per period and overall."""
    overall = stats.block(family).get(dimension, {})
    per_period = [stats.block(family, "period", p.slug).get(dimension, {}) for p in periods]
    keys = [key for key in labels if key in overall] + sorted(k for k in overall if k not in labels)
    rows = [
        (labels.get(key, key), [block.get(key, {}).get("count", 0) for block in per_period], overall[key]["count"])
        for key in keys
    ]
    return {"rows": rows, "total": stats.block(family)["total"]["count"]}


def statistics_page(request: HttpRequest) -> HttpResponse:
    stats = statistics.current_statistics()
    periods = list(Period.objects.all())
    figures = list(Figure.objects.with_joins().with_citations().filter(period__isnull=False))
    per_period = []
    for period in periods:
        block = stats.block("transfers", "period", period.slug)
        per_period.append(
            {
                "period": period,
                "transfers": block,
                "directions": [
                    (label, block.get("direction", {}).get(key)) for key, label in Transfer.Direction.choices
                ],
                "projects": stats.block("projects", "period", period.slug)["total"],
                "events": stats.block("events", "period", period.slug)["total"],
                "figures": [f for f in figures if f.period_id == period.pk],
            }
        )
    context = {
        "stats": stats,
        "periods": periods,
        "per_period": per_period,
        "projects": _by_period_table(stats, "projects", "status", dict(Project.Status.choices), periods),
        "events": _by_period_table(stats, "events", "kind", dict(Event.Kind.choices), periods),
        "coverage": _coverage(stats),
    }
    if stats.exists:
        context.update(_transfer_charts(stats, periods))
    return render(request, "aggregates/statistics.html", context)
