"""HTML pages for the timeline."""

from django.shortcuts import get_object_or_404, render

from transfers import selectors as transfer_selectors

from . import selectors


def home(request):
    return render(
        request,
        "periods/home.html",
        {
            "periods": selectors.period_list(),
            "events": selectors.event_list().dated().chronological(),
            "transfers": transfer_selectors.transfer_list().dated().chronological(),
            "projects": transfer_selectors.project_list().dated().chronological(),
        },
    )


def period_detail(request, slug):
    period = get_object_or_404(selectors.period_list(), slug=slug)
    return render(request, "periods/period_detail.html", {"period": period, "object": period})


def _record(request, queryset, slug, kind):
    obj = get_object_or_404(queryset, slug=slug)
    return render(request, "record_detail.html", {"object": obj, "kind": kind})


def event_detail(request, slug):
    return _record(request, selectors.event_list(), slug, "event")


def figure_detail(request, slug):
    return _record(request, selectors.figure_list(), slug, "figure")


def actor_detail(request, slug):
    return _record(request, selectors.actor_list(), slug, "actor")


def policy_option_detail(request, slug):
    return _record(request, selectors.policy_option_list(), slug, "policy option")
