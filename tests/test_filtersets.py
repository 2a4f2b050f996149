"""Every FilterSet shares its filters and form class between requests
(``ground.filtersets``), and no request's form reaches another's."""

import importlib

import django_filters
import pytest
from django.apps import apps
from django.core.exceptions import EmptyResultSet, FieldError
from django.http import QueryDict

from ground.filtersets import FilterSet
from periods.models import Actor, Period
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


def filtered_lists():
    """(prefix, list view with its request, its queryset) for every API list with a FilterSet."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from mtc.api_urls import router

    for prefix, viewset, _ in router.registry:
        if getattr(viewset, "filterset_class", None) is None:
            continue
        view = viewset(action="list", kwargs={}, format_kwarg=None, detail=False)
        view.request = Request(APIRequestFactory().get(f"/api/{prefix}/"))
        yield prefix, view, view.get_queryset()


def test_every_list_given_none_of_its_filters_is_its_whole_queryset(api):
    """What lets a list asked for with only page, page_size, after or format skip its
    FilterSet (``ApiViewMixin.filter_queryset``): no filter changes the rows when not given."""
    checked = []
    for prefix, view, queryset in filtered_lists():
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


VALUES = ["abc", "1", "2014", "true", "russia", "1992-2006", "aircraft", "s-400", "ru-cn", "-date", ""]


def query_strings(filterset_class):
    """Each filter's parameters (a range's suffixed pair too) alone with each value, and the
    filters two at a time."""
    form_fields = filterset_class(QueryDict()).form.fields
    keys = {}
    for name, form_field in form_fields.items():
        suffixes = getattr(form_field.widget, "suffixes", None)
        keys[name] = [f"{name}_{s}" if s else name for s in suffixes] if suffixes else [name]
    names = list(keys)
    for name in names:
        for value in VALUES:
            yield [(key, value) for key in keys[name]]
    for first, second in zip(names, names[1:], strict=False):
        yield [(keys[first][0], VALUES[2]), (keys[second][-1], VALUES[4])]


def filtered(filterset) -> str:
    try:
        return sql(filterset.qs)
    except FieldError as error:  # a FilterSet that only validates (the timeline's, the search's)
        return f"FieldError: {error}"


def test_every_list_filters_and_refuses_as_the_whole_form_does_with_only_the_asked_fields():
    """``AskedFiltersBackend``: a form of only the fields given a value selects the same rows
    and gives the same errors as the form of every field, for every list's filters."""
    compared = narrowed = 0
    for prefix, view, queryset in filtered_lists():
        for pairs in query_strings(view.filterset_class):
            data = QueryDict(mutable=True)
            for key, value in pairs:
                data.appendlist(key, value)
            whole = view.filterset_class(data, queryset=queryset, request=view.request)
            asked = view.filterset_class(data, queryset=queryset, request=view.request)
            asked.asked_only = True
            assert asked.is_valid() == whole.is_valid(), (prefix, pairs)
            assert asked.errors == whole.errors, (prefix, pairs)
            if whole.is_valid():
                assert filtered(asked) == filtered(whole), (prefix, pairs)
            compared += 1
            narrowed += len(asked.form.fields) < len(whole.form.fields)
    assert compared > 500
    assert narrowed > 0.9 * compared


def test_a_lists_filter_form_holds_the_asked_fields_and_the_browsable_form_every_field(api):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from ground.filtersets import AskedFiltersBackend
    from transfers.api import TransferViewSet

    request = Request(APIRequestFactory().get("/api/transfers/", {"category": "aircraft", "from": "2001"}))
    view = TransferViewSet(action="list", kwargs={}, format_kwarg=None, detail=False, request=request)
    backend = AskedFiltersBackend()
    filterset = backend.get_filterset(request, view.get_queryset(), view)
    filterset.asked_only = True
    assert set(filterset.form.fields) == {"category", "from"}
    assert (
        backend.filter_queryset(request, view.get_queryset(), view).count()
        == (api.get("/api/transfers/", {"category": "aircraft", "from": "2001"}).json()["count"])
    )
    page = api.get("/api/transfers/", {"category": "aircraft", "format": "api"}).content.decode()
    assert 'name="period"' in page  # the browsable API's form shows every field
    assert 'name="system"' in page


@pytest.mark.parametrize(
    "value", ["2006-2014", "2014-present", "nope", "2006-2014 ", "2006-2014".upper(), "1", "a\x00b"]
)
def test_a_period_is_chosen_as_djangos_field_chooses_it(fragment_cache, value):
    """``FewRowsChoiceField`` (the periods, read once per data version) accepts and refuses
    what Django's ``ModelChoiceField`` does, with its messages."""
    from django import forms

    from ground.filtersets import FewRowsChoiceField

    def outcome(field):
        try:
            chosen = field.clean(value)
        except forms.ValidationError as error:
            return ("refused", error.messages)
        return ("chosen", chosen.pk, chosen.slug)

    ours = FewRowsChoiceField(queryset=Period.objects.all(), to_field_name="slug")
    django_field = forms.ModelChoiceField(queryset=Period.objects.all(), to_field_name="slug")
    assert outcome(ours) == outcome(django_field)
    assert outcome(ours) == outcome(ours)  # read back from the cache


def test_a_period_filter_reads_the_periods_once_per_data_version(fragment_cache, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ground.models import DataVersion
    from tests.factories import PeriodFactory

    api.get("/api/transfers/", {"period": "1992-2006"})
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/transfers/", {"period": "2006-2014", "page_size": 500}).json()
    assert not [q for q in queries.captured_queries if 'FROM "periods_period"' in q["sql"]]
    assert body["count"] == Period.objects.get(slug="2006-2014").transfers.count() > 0
    assert {t["period"] for t in body["results"]} == {"2006-2014"}
    assert api.get("/api/transfers/", {"period": "2030-2040"}).status_code == 400
    PeriodFactory(slug="2030-2040", start_year=2030, end_year=2040)
    DataVersion.bump()
    assert api.get("/api/transfers/", {"period": "2030-2040"}).json()["count"] == 0
