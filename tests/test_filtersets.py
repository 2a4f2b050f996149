"""Every FilterSet shares its filters and form class between requests
(``ground.filtersets``), and no request's form reaches another's."""

import importlib

import django_filters
import pytest
from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.http import QueryDict

from ground.filtersets import FilterSet
from periods.models import Actor
from transfers.filters import TransferFilterSet

pytestmark = pytest.mark.django_db


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def test_every_project_filterset_derives_from_the_shared_one():
    for config in apps.get_app_configs():
        for module in ("filters", "api"):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError:
                continue
    ours = [c for c in all_subclasses(django_filters.FilterSet) if not c.__module__.startswith("django_filters")]
    assert len(ours) >= 15
    assert [c.__qualname__ for c in ours if not issubclass(c, FilterSet)] == []


def test_the_form_class_is_built_once_and_forms_are_apart():
    first = TransferFilterSet(QueryDict("from=abc"), queryset=None)
    second = TransferFilterSet(QueryDict("from=2001"), queryset=None)
    assert first.get_form_class() is second.get_form_class()
    assert not first.form.is_valid()
    assert "from" in first.form.errors
    assert second.form.is_valid(), second.form.errors
    assert second.form.cleaned_data["from"] == 2001
    assert first.filters["from"] is not second.filters["from"]
    assert first.filters["from"].parent is first


def test_one_requests_error_does_not_reach_the_next(api):
    bad = api.get("/api/transfers/", {"from": "abc"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"from"}
    good = api.get("/api/transfers/", {"from": "2001"})
    assert good.status_code == 200
    other = api.get("/api/transfers/", {"category": "no-such-category"})
    assert other.status_code == 400
    assert set(other.json()) == {"category"}


def test_a_filter_with_a_request_queryset_keeps_a_form_class_per_instance():
    class PerRequest(FilterSet):
        actor = django_filters.ModelChoiceFilter(queryset=lambda request: Actor.objects.all())

        class Meta:
            model = Actor
            fields = ["actor"]

    one, two = PerRequest(QueryDict()), PerRequest(QueryDict())
    assert one.get_form_class() is not two.get_form_class()


def sql(queryset) -> str:
    try:
        return str(queryset.query)
    except EmptyResultSet:  # a view of no rows (``/api/search/`` reads its own way)
        return "no rows"


def test_every_list_given_none_of_its_filters_is_its_whole_queryset(api):
    """What lets a list asked for with only page, page_size, after or format skip its
    FilterSet (``ApiViewMixin.filter_queryset``): no filter changes the rows when not given."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from mtc.api_urls import router

    checked = []
    for prefix, viewset, _ in router.registry:
        if getattr(viewset, "filterset_class", None) is None:
            continue
        view = viewset(action="list", kwargs={}, format_kwarg=None, detail=False)
        view.request = Request(APIRequestFactory().get(f"/api/{prefix}/"))
        queryset = view.get_queryset()
        filterset = view.filterset_class(QueryDict(), queryset=queryset, request=view.request)
        assert filterset.is_valid(), (prefix, filterset.errors)
        assert sql(filterset.qs) == sql(queryset), prefix
        assert view._no_filter_asked(), prefix
        checked.append(prefix)
    assert len(checked) >= 10
    # ...and a list asked for with a filter goes through its FilterSet.
    assert (
        api.get("/api/transfers/", {"category": "aircraft", "page_size": 500}).json()["count"]
        < (api.get("/api/transfers/", {"page_size": 500}).json()["count"])
    )
