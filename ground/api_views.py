"""What every API view shares: strict query parameters, clear errors, formats, 304s.

- An unknown or malformed query parameter is a 400 naming it (DRF and django-filter
  would otherwise ignore an unknown one, and a typo such as ``?suplier=`` would
  silently return everything).
- Model validation (``ValidationError`` from ``full_clean`` in a service) becomes a 400
  keyed by the API field name; deleting a record others still reference is a 409.
- A body field the resource does not have (``"is_superuser": true``, a typo) is a 400
  naming it, not silently dropped.
- A unique constraint that a concurrent write beat this one to (``IntegrityError``
  after the serializer's own check passed) is answered like that check: the body is
  validated again, now seeing the other row, and its 409 names the field.
- JSON by default, CSV for lists (the whole filtered list, streamed, unless paged:
  ``ground.exports``), the browsable API for people; ETag/Last-Modified.
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError, UniqueConstraint
from django.http import Http404, QueryDict
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ground.json_renderer import JSONRenderer

from . import stored_rows
from .conditional_get import ConditionalGetMixin
from .exports import check_export_size, serialized, streaming_csv, wants_whole_selection
from .filtersets import AskedFiltersBackend
from .lean_rows import LeanPlan, lean_plan
from .pagination import PageNumberWithSize, has_unique_slug
from .renderers import CSVRenderer, csv_cell, csv_header

#: Formats that carry data only; errors in them are answered in JSON.
DATA_ONLY_FORMATS = {"csv", "timelinejs", "bibtex", "ris", "csljson", "sipri"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"


class UniqueConflict(Conflict):
    """A write that would duplicate a record (a slug, an endnote number, a citation) others hold: 409.

    The request is well formed (no schema can know which slugs are taken), so it is a
    conflict with the current data, not a 400; the body names the field as a 400 would.
    """

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


UNIQUENESS_CODES = {"unique", "unique_together"}


def _flat_codes(codes) -> list[str]:
    if isinstance(codes, dict):
        return [c for value in codes.values() for c in _flat_codes(value)]
    if isinstance(codes, list):
        return [c for value in codes for c in _flat_codes(value)]
    return [codes]


def _only_uniqueness(codes: list) -> bool:
    return bool(codes) and all(code in UNIQUENESS_CODES for code in codes)


def django_errors_to_api(exc: DjangoValidationError, renames: dict[str, str] | None = None) -> dict:
    """``{"year_ordered": ["year_ordered must be <= first delivery year."]}`` from a model error."""
    renames = {NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY, **(renames or {})}
    if hasattr(exc, "error_dict"):
        return {renames.get(field, field): messages for field, messages in exc.message_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


class StrictQueryParamsMixin:
    """Refuse query parameters the view does not understand, naming them."""

    list_query_params = frozenset({"page", "page_size"})
    #: ``?after=<slug>`` (``ground.keyset``): None means "where the records have a unique slug".
    keyset_after: bool | None = None

    def pages_after(self) -> bool:
        if self.keyset_after is not None:
            return self.keyset_after
        queryset = getattr(self, "queryset", None)
        return queryset is not None and has_unique_slug(queryset.model)

    def allowed_query_params(self) -> set[str]:
        allowed = {api_settings.URL_FORMAT_OVERRIDE}
        if getattr(self, "detail", None) is False:
            allowed |= self.list_query_params | ({"after"} if self.pages_after() else set())
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
        return allowed

    def repeatable_query_params(self) -> set[str]:
        """Filters that take several values (``?type=event&type=transfer``); any other parameter once."""
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is None or getattr(self, "detail", None) is not False:
            return set()
        multiple = (django_filters.MultipleChoiceFilter, django_filters.ModelMultipleChoiceFilter)
        return {name for name, f in filterset_class.base_filters.items() if isinstance(f, multiple)}

    def typed_query_params(self) -> set[str]:
        """Filters typed integer, boolean or list (``ordering``) in the schema: their empty
        value is no number and no list of fields, so it is refused, not read as "not given"."""
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is None or getattr(self, "detail", None) is not False:
            return set()
        typed = (django_filters.NumberFilter, django_filters.BooleanFilter, django_filters.OrderingFilter)
        return {name for name, f in filterset_class.base_filters.items() if isinstance(f, typed)}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = self.allowed_query_params()
        paginator = getattr(self, "paginator", None) if getattr(self, "detail", None) is False else None
        if paginator is not None and hasattr(paginator, "check_params"):
            paginator.check_params(request)
        repeated = sorted(
            name
            for name in set(request.query_params) & allowed
            if len(request.query_params.getlist(name)) > 1 and name not in self.repeatable_query_params()
        )
        if repeated:
            raise exceptions.ValidationError(
                {name: [f"'{name}' is given more than once; give it once."] for name in repeated}
            )
        empty = sorted(name for name in self.typed_query_params() if request.query_params.get(name, None) == "")
        if empty:  # a number, true/false or ordering left empty is not "any" (the schema types it): leave it out
            raise exceptions.ValidationError({name: ["must not be empty; leave the parameter out."] for name in empty})
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            hint = ", ".join(sorted(allowed))
            raise exceptions.ValidationError(
                {name: [f"Unknown query parameter '{name}'; known: {hint}."] for name in unknown}
            )

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as exc:  # DRF answers an unknown format with 404
            formats = ", ".join(r.format for r in self.get_renderers())
            suffix = self.kwargs.get(api_settings.FORMAT_SUFFIX_KWARG)
            if suffix:  # /api/events/x.0/: no such URL (the suffix wins over ?format=), so a 404 naming it
                raise exceptions.NotFound(f"Unknown format suffix '.{suffix}'; use one of: {formats}.") from exc
            name = api_settings.URL_FORMAT_OVERRIDE
            raise exceptions.ValidationError(
                {name: [f"Unknown format '{request.query_params.get(name)}'; use one of: {formats}."]}
            ) from exc


class ApiViewMixin(ConditionalGetMixin, StrictQueryParamsMixin):
    """Base behaviour of every MTC API view (put it first among the bases)."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    pagination_class = PageNumberWithSize
    #: Model field name -> API field name, for validation messages (``date_text`` is ``date``).
    error_field_names: dict[str, str] = {"date_text": "date"}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors are JSON whatever the format asked for: a CSV or TimelineJS client
        # still gets a message naming the parameter, not a one-cell spreadsheet.
        renderer = getattr(response, "accepted_renderer", None)
        if response.status_code >= 400 and renderer is not None and renderer.format in DATA_ONLY_FORMATS:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    #: Answer JSON reads from ``values()`` where the serializer compiles (``ground.lean_rows``).
    lean_reads = True

    def lean_plan(self) -> LeanPlan | None:
        """The lean plan for this request: a JSON read whose serializer compiles, else None."""
        if not self.lean_reads or self.request.method not in ("GET", "HEAD"):
            return None
        if type(self.request.accepted_renderer) is not JSONRenderer:
            return None
        return lean_plan(self.get_serializer_class())

    def list(self, request, *args, **kwargs):
        """JSON from the lean plan where there is one; CSV without ``page``/``page_size``/``after``
        is the whole filtered list, streamed (``ground.exports``); the rest DRF's way."""
        plan = self.lean_plan()
        if plan is not None:  # a page of keys (the index alone), then those rows' columns
            queryset = self.filter_queryset(self.get_queryset())
            keys = self.paginate_queryset(queryset.values_list(plan.key, flat=True))
            if keys is None:
                return Response(plan.build(list(plan.values(queryset)), request))
            return self.get_paginated_response(stored_rows.page_rows(plan, list(keys), request))
        if request.accepted_renderer.format != CSVRenderer.format or not wants_whole_selection(request):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        count = queryset.count()
        check_export_size(request, count)
        rows = serialized(self, queryset.iterator(chunk_size=settings.EXPORT_CHUNK_SIZE))
        name = getattr(self, "basename", None) or "export"
        return streaming_csv(header=csv_header(self), rows=rows, cell=csv_cell, filename=name, count=count)

    def filter_queryset(self, queryset):
        """A detail (one record by its slug) takes no filter: ``initial()`` refuses every
        query parameter but ``format`` there, so building the FilterSet and its form for it
        (a quarter of an API detail's time, cProfile at 100k records) would change nothing.

        Nor does a list asked for with none of its filters (only ``page``, ``page_size``,
        ``after``, ``format``): an empty filter leaves the rows as they are
        (``tests/test_filtersets.py`` holds every list's FilterSet to that), and its form
        was 0.8 of an unfiltered page's 8 ms at 100k records.
        """
        if getattr(self, "detail", None) is True or self._no_filter_asked():
            return queryset
        return super().filter_queryset(queryset)

    def _no_filter_asked(self) -> bool:
        filterset_class = getattr(self, "filterset_class", None)
        return (
            filterset_class is not None
            and list(self.filter_backends) == [AskedFiltersBackend]
            and set(self.request.query_params).isdisjoint(filterset_class.base_filters)
        )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        data = kwargs.get("data")
        if isinstance(data, dict) and not isinstance(data, QueryDict):
            known = set(serializer.fields)
            unknown = sorted(set(data) - known)
            if unknown:
                hint = ", ".join(sorted(known))
                errors = {name: [f"Unknown field '{name}'; known: {hint}."] for name in unknown}
                raise exceptions.ValidationError(errors)
            self._write_serializer = serializer
        return serializer

    def _unique_race_error(self) -> exceptions.ValidationError:
        """The serializer's own verdict on the body, now that the competing row is committed."""
        serializer = getattr(self, "_write_serializer", None)
        if serializer is not None:
            kwargs = {"data": serializer.initial_data, "partial": serializer.partial, "context": serializer.context}
            again = type(serializer)(serializer.instance, **kwargs)
            if not again.is_valid():
                return exceptions.ValidationError(again.errors)
        return exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: ["A record with these values already exists."]}
        )

    def handle_exception(self, exc):
        if isinstance(exc, IntegrityError) and getattr(self, "_write_serializer", None) is not None:
            exc = self._unique_race_error()  # then answered as the serializer's own check is, below
        if isinstance(exc, DjangoValidationError):
            errors = [e for es in exc.error_dict.values() for e in es] if hasattr(exc, "error_dict") else exc.error_list
            unique = _only_uniqueness([self._uniqueness_code(e) for e in errors])
            exc = exceptions.ValidationError(django_errors_to_api(exc, self.error_field_names))
            if unique:
                exc = UniqueConflict(exc.detail)
        elif isinstance(exc, exceptions.ValidationError) and _only_uniqueness(_flat_codes(exc.get_codes())):
            exc = UniqueConflict(exc.detail)
        elif isinstance(exc, ProtectedError | RestrictedError):
            blockers = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            names = sorted({str(obj._meta.verbose_name_plural) for obj in blockers})
            exc = Conflict(f"Cannot delete: still referenced by {', '.join(names)} ({len(blockers)} in all).")
        return super().handle_exception(exc)

    def _uniqueness_code(self, error: DjangoValidationError) -> str | None:
        """``unique`` for a broken uniqueness rule: by its code, or by the message a
        ``UniqueConstraint`` of the view's model was given (Django raises those without a code)."""
        if error.code in UNIQUENESS_CODES:
            return error.code
        queryset = getattr(self, "queryset", None)
        constraints = queryset.model._meta.constraints if queryset is not None else []
        messages = {str(c.violation_error_message) for c in constraints if isinstance(c, UniqueConstraint)}
        return "unique" if error.message in messages else error.code


class LeanRetrieveMixin:
    """A JSON read of one record from ``values()`` where the serializer compiles.

    A mixin apart from :class:`ApiViewMixin` because a router gives every view that has
    ``retrieve`` a detail route; list-only views must not gain one.
    """

    def retrieve(self, request, *args, **kwargs):
        """A JSON read of one record by its lookup field, from ``values()`` (``ground.lean_rows``)."""
        plan = self.lean_plan()
        if plan is None or type(self).get_object is not GenericAPIView.get_object:  # a custom lookup: DRF's way
            return super().retrieve(request, *args, **kwargs)
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        whole_table = type(self).get_queryset is GenericAPIView.get_queryset and not self.queryset.query.where
        if whole_table and self.lookup_field == plan.key:  # stored ready to send, where it is
            stored = stored_rows.stored_row(plan, value, request)
            if stored is not None:
                return Response(stored)
        if type(self).get_queryset is GenericAPIView.get_queryset:  # the class's queryset: one SQL per view
            row = plan.value_by_lookup(type(self), self.get_queryset, self.lookup_field, value)
        else:
            row = next(iter(plan.values(self.get_queryset().filter(**{self.lookup_field: value}))), None)
        if row is None:  # the words of DRF's get_object (Django's get_object_or_404)
            raise Http404(f"No {plan.model._meta.object_name} matches the given query.")
        return Response(plan.build([row], request)[0])
