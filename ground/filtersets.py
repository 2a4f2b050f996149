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
  values, errors, widget attributes) never reaches another's.

Every FilterSet of the project derives from this one (``tests/test_filtersets.py``).
"""

from __future__ import annotations

import copy

import django_filters
from django.http import QueryDict
from django_filters.filters import FilterMethod, QuerySetRequestMixin


class FilterSet(django_filters.FilterSet):
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

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")  # this class's own, not a base class's
        if form_class is None:
            form_class = super().get_form_class()
            if not any(_depends_on_request(f) for f in self.filters.values()):
                cls._form_class = form_class
        return form_class


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
