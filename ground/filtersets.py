"""django-filter's FilterSet, without rebuilding the same filters and form per request.

Why: django-filter deep-copies every filter for each FilterSet instance (a filter caches
its form field, and that field its queryset), then builds a new form class from new
fields, whose form Django deep-copies once more: the deep copies alone were a sixth of
an uncached API list's time (cProfile at 100k records). Every filter of ours is the same
for every request (none has a queryset that depends on the request, which the form
class cache below checks), so:

- an instance gets shallow copies of the class's filters: its own ``parent``, ``model``
  and bound ``method``, without copying the querysets and choices they hold;
- the form class is built once per FilterSet class. Django still gives every form its
  own deep copy of the fields (``BaseForm.__init__``), so one request's form (its bound
  values, errors, widget attributes) never reaches another's;
- a list's filtering (``AskedFiltersBackend``) builds a form of only the fields the query
  string gives a value for. A filter given no value leaves the rows as they are
  (``tests/test_filtersets.py`` holds every list's FilterSet to that), so the other
  fields' copies and cleaning changed nothing: they were a third of the filtering of a
  list with two of its nineteen filters (1.3 of 3.2 ms for the form, at 100k records).
  A form that is shown (the timeline's, the browsable API's) keeps every field.

Every FilterSet of the project derives from this one (``tests/test_filtersets.py``).
"""

from __future__ import annotations

import copy

import django_filters
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django_filters.fields import ModelChoiceField
from django_filters.filters import FilterMethod, QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation

from ground.fragment_cache import per_data_version


class FilterSet(django_filters.FilterSet):
    #: Whether the form holds only the fields the data gives a value for (set by
    #: ``AskedFiltersBackend`` before the form is built).
    asked_only = False

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # BaseFilterSet.__init__, with copy.copy where it has copy.deepcopy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _own_copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            if not self.is_bound:
                self._form = form_class(prefix=self.form_prefix)
            else:
                if self.asked_only:
                    form_class = _asked_form_class(form_class, self.data, self.form_prefix)
                self._form = form_class(self.data, prefix=self.form_prefix)
        return self._form

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")  # this class's own, not a base class's
        if form_class is None:
            form_class = super().get_form_class()
            if not any(_depends_on_request(f) for f in self.filters.values()):
                cls._form_class = form_class
        return form_class


class AskedFiltersBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` filtering with a form of the asked fields (``FilterSet.asked_only``).

    Its ``to_html`` (the browsable API's filter form) still shows every field.
    """

    def filter_queryset(self, request, queryset, view):
        # DjangoFilterBackend.filter_queryset, with asked_only set before the form is built.
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        filterset.asked_only = True
        if not filterset.is_valid() and self.raise_exception:
            raise translate_validation(filterset.errors)
        # A FilterSet that can count its selection without reading it (``grouped_count``,
        # periods.filters) hands the count to the paginator (``ground.pagination``).
        counted = getattr(filterset, "grouped_count", None)
        view.grouped_count = counted() if counted is not None else None
        # One that ``q`` alone filters counts from the search index (``sources.filters``).
        searched = getattr(filterset, "search_count", None)
        view.search_count = searched() if searched is not None else None
        return filterset.qs


_asked_form_classes: dict[tuple[type, tuple[str, ...]], type] = {}


def _asked_form_class(form_class: type, data, prefix: str | None) -> type:
    """``form_class`` narrowed to the fields whose widgets find a value in ``data``
    (``value_omitted_from_data``: a range's two parameters, a checkbox always), one class
    per combination of fields."""
    names = tuple(
        name
        for name, form_field in form_class.base_fields.items()
        if not form_field.widget.value_omitted_from_data(data, {}, f"{prefix}-{name}" if prefix else name)
    )  # the names as BaseForm.add_prefix gives them
    if len(names) == len(form_class.base_fields):
        return form_class
    key = (form_class, names)
    narrowed = _asked_form_classes.get(key)
    if narrowed is None:
        narrowed = type(form_class.__name__, (form_class,), {})
        narrowed.base_fields = {name: form_class.base_fields[name] for name in names}
        if len(_asked_form_classes) < 4096:  # combinations a client can send: bounded
            _asked_form_classes[key] = narrowed
    return narrowed


def _own_copy(filter_):
    """A shallow copy whose ``method=`` filter calls the copy (it would call the class's filter,
    which has no FilterSet to find the method on)."""
    copied = copy.copy(filter_)
    if isinstance(copied.__dict__.get("filter"), FilterMethod):
        copied.filter = FilterMethod(copied)
    return copied


def _depends_on_request(filter_) -> bool:
    """A filter whose field is built from the request (a callable queryset) cannot be shared."""
    return isinstance(filter_, QuerySetRequestMixin) and callable(filter_.queryset)


class FewRowsChoiceField(ModelChoiceField):
    """A ``ModelChoiceField`` over a table of a few rows (the periods), read once per data version.

    Django reads the chosen row again for every form (``queryset.get``): a query per
    request that names a period, 0.3-0.5 ms of a 10 ms list at 100k records. Here every
    row is read once per data version (``ground.fragment_cache``) and the value is looked
    up among them, matching as the database does (the whole value, case and all).
    """

    def to_python(self, value):
        if value in self.empty_values or (self.null_label is not None and value == self.null_value):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        rows = per_data_version(
            "few-rows-choices",
            lambda: {str(getattr(row, key)): row for row in self.queryset},
            key=self._rows_key(key),
            pinned=True,
        )
        try:
            return rows[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None

    def _rows_key(self, key: str) -> tuple[str, str, str]:
        return (self.queryset.model._meta.label, key, str(self.queryset.query))


class FewRowsChoiceFilter(django_filters.ModelChoiceFilter):
    """A ``ModelChoiceFilter`` whose rows are few (``FewRowsChoiceField``)."""

    field_class = FewRowsChoiceField
