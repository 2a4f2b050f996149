"""Query-string filters for the API lists of documents, sources, endnotes and citations.

Also the bases every cited record's FilterSet builds on: ``q`` (text search), the
cited ``endnote`` number and whole-number filters. ``q`` asks the one search index
(``ground.search_index``) with the search page's query language, on SQLite and
PostgreSQL alike; only documents, which the index does not hold, match ``q`` as a
case-insensitive substring of their title, subtitle or publisher.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ground.filtersets import FilterSet
from ground.search_index import matching_count, matching_record_ids
from ground.stable_ordering import StableOrderingFilter
from ground.widgets import QuickSelect

from .models import Citation, Document, Endnote, Source
from .serializers import CITED_RECORD_TYPES

INT32_MAX = 2**31 - 1


class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter ("endnote=23"); 1.5 or a number past the column's range is refused."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", INT32_MAX)
        super().__init__(*args, **kwargs)


class YearFilter(IntegerFilter):
    """A year, 1 to 9999 (what a date can hold)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its slug (``actor=rostec``), documented as a string in the schema."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", QuickSelect)  # hundreds of actors on the timeline's form
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, yes/no); anything else is an error, not silently "any"."""

    TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE | self.FALSE:
            return text in self.TRUE
        raise forms.ValidationError("Enter true or false.", code="invalid")


class StrictCheckboxInput(forms.CheckboxInput):
    """A checkbox that sends ``1`` and is read strictly: ``?undated=-4375`` is an error, not "checked"."""

    def __init__(self, attrs=None):
        super().__init__({"value": "1", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class SearchFilterSet(FilterSet):
    """``q``: the rows the search index finds (``search_kind``), else every word in ``search_fields``."""

    search_kind: str = ""
    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(
        method="filter_q",
        label='Text search, as on /search/: every word; "a phrase", -exclude, or; S400 = S-400; defence = defense.',
    )

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.search_kind:
            return queryset.filter(pk__in=matching_record_ids(value, self.search_kind)) if value.strip() else queryset
        for word in value.split():
            queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in self.search_fields)))
        return queryset


class CitedRecordFilterSet(SearchFilterSet):
    """Adds ``endnote``: records citing the endnote with that number.

    ``q`` is the record type's own ``matching`` (``sources.querysets``), the meaning the
    timeline and the citing selection give it too.
    """

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self._searched_alone() and self._first_page():
            return queryset.matching_alone(value)
        return queryset.matching(value)

    def _first_page(self) -> bool:
        """Whether the list's first page is asked for: the only one ``matching_alone``
        walks to. With more than ``FEW_MATCHES`` matches, a page of n rows is found within
        n x records / FEW_MATCHES records (50,000 for 50 rows at a million); page 30 would
        walk thirty times as far, where reading every match costs less."""
        params = self.request.GET if self.request is not None else {}
        return params.get("page", "1") in ("", "1") and "after" not in params

    def _searched_alone(self) -> bool:
        """Whether ``q`` is the only filter asked (``asked_only``: an API list's form)."""
        return self.asked_only and set(self.form.fields) <= {"q", "ordering"} and not self.queryset.query.has_filters()

    def search_count(self) -> Callable[[int | None], int] | None:
        """The count of a list ``q`` alone filters, from the index (``matching_count``,
        given the most to count); None otherwise, and the list counts its rows. The
        paginator (``ground.pagination``) calls it."""
        if not self._searched_alone() or not self.is_valid() or not self.form.cleaned_data.get("q", "").strip():
            return None
        return functools.partial(matching_count, self.form.cleaned_data["q"], self.queryset.search_kind)

    endnote = IntegerFilter(field_name="citations__endnote__number", label="Records citing this endnote number.")


class DocumentFilterSet(SearchFilterSet):
    search_fields = ("title", "subtitle", "publisher")
    ordering = StableOrderingFilter(fields=("slug", "title", "date_edtf"))

    class Meta:
        model = Document
        fields = ["q"]


class SourceFilterSet(SearchFilterSet):
    search_kind = "source"
    endnote = IntegerFilter(field_name="endnotes__number", label="Sources cited by this endnote number.")
    document = django_filters.CharFilter(
        field_name="endnotes__document__slug", label="Sources a document's notes cite."
    )
    ordering = StableOrderingFilter(fields=("slug", "title", "kind", "date_edtf"))

    class Meta:
        model = Source
        fields = ["kind", "q"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        # Through endnotes, a source cited twice by the matching notes would repeat.
        if self.form.cleaned_data.get("endnote") is not None or self.form.cleaned_data.get("document"):
            queryset = queryset.distinct()
        return queryset


class EndnoteFilterSet(SearchFilterSet):
    search_kind = "endnote"
    document = django_filters.CharFilter(field_name="document__slug", label="The document's slug.")
    number = IntegerFilter(field_name="number")
    number__gte = IntegerFilter(field_name="number", lookup_expr="gte")
    number__lte = IntegerFilter(field_name="number", lookup_expr="lte")
    source = django_filters.CharFilter(field_name="sources__slug", label="Notes citing this source (slug).")
    ibid = BooleanFilter(field_name="ibid_of", lookup_expr="isnull", exclude=True, label='true: only "Ibid." notes.')
    ordering = StableOrderingFilter(fields=(("document__slug", "document"), "number"))

    class Meta:
        model = Endnote
        fields = ["q"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("source"):
            queryset = queryset.distinct()  # a note may cite the same work twice
        return queryset


class CitationFilterSet(FilterSet):
    record_type = django_filters.ChoiceFilter(
        choices=[(k, k) for k in CITED_RECORD_TYPES], method="filter_record_type", label="Kind of citing record."
    )
    endnote = IntegerFilter(field_name="endnote__number", label="The endnote's number.")
    document = django_filters.CharFilter(field_name="endnote__document__slug", label="The endnote's document.")
    ordering = StableOrderingFilter(fields=("id", ("endnote__number", "number"), "position"))

    class Meta:
        model = Citation
        fields = ["record_type", "endnote", "document"]

    def filter_record_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        app_label, model = CITED_RECORD_TYPES[value][0].lower().split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
