"""API rows read straight from ``values()``: what a serializer would write, without it.

Why: an uncached API list of 50 transfers spent two thirds of its time building model
instances (about 400 a page: each row, its three related rows, each citation with its
endnote and document) and walking DRF's fields over them (cProfile at 100k records).
Reads need neither: a :class:`LeanPlan` is compiled once per serializer class from its
own fields, and turns a page into dicts from one ``values()`` query plus one query per
list-valued field (citations, many-to-many slugs).

What compiles (anything else makes :func:`lean_plan` answer None, and the view keeps
DRF's serializer; ``tests/test_api_lean_reads.py`` holds both outputs equal for every
list and record, and names the views that must compile):

- a field read from one concrete column of the model (``source`` a column name); its
  own ``to_representation`` formats the value, so dates, decimals and choices come out
  exactly as DRF writes them;
- a :class:`~rest_framework.relations.SlugRelatedField` on a foreign key: the related
  row's slug column, joined in the same query;
- a many-to-many of slugs: one query for the page, ordered as the related model's
  default ordering (what the serializer's ``.all()`` gives);
- the record's own API address (``HyperlinkedIdentityField``);
- any field that knows its own lean form: it defines ``lean_field(plan, name)``
  (``sources.serializers`` does for the page URL and the inline citations): it is
  handed the model and its own name, and answers a :class:`LeanField`.

Serializers stay the contract: writes, the schema, CSV, the browsable API and every
format but JSON use them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.urls import get_script_prefix
from rest_framework import relations, serializers

from .pagination import page_key
from .statements import int_markers, prepared, text_markers
from .url_reversing import SAFE_VALUE, reverser

#: A row's value from the values() dict and the page's context.
Build = Callable[[dict, "PageContext"], Any]
#: Loads what a list-valued field needs for a whole page, from its rows: {pk: value}.
Load = Callable[[list[dict], "PageContext"], dict]


#: A path Django's ``build_absolute_uri`` only prefixes with the scheme and host.
PLAIN_PATH = re.compile(r"/(?!/)[-a-zA-Z0-9_/.]*\Z")


class NotLean(Exception):
    """A serializer field with no lean form: the view keeps the serializer."""


@dataclass
class LeanField:
    """How one API field is read: the columns it needs, and its value per row.

    ``load`` (optional) runs once per page before the rows are built; its result is in
    ``context.loaded[name]`` for ``build`` to read. ``copied`` names the column whose
    value the field writes unchanged (a text column's ``str(value)``, a foreign key's
    slug): the page copies those in one C-level step instead of a call per value.
    ``reads`` names the tables (model labels) a ``load`` reads, so that rows stored
    ready to send (``ground.stored_rows``) are emptied when those tables change.
    """

    columns: tuple[str, ...]
    build: Build
    load: Load | None = None
    copied: str | None = None
    reads: tuple[str, ...] | None = None


@dataclass
class PageContext:
    """What a page's rows share: the request (for absolute URLs) and loaded lists."""

    request: Any
    loaded: dict[str, dict] = field(default_factory=dict)
    _urls: dict[tuple, str] = field(default_factory=dict)
    _reversers: dict[str, Callable[..., str]] = field(default_factory=dict)
    _origin: str | None = None
    #: Where the site is mounted ("/" at the root): the start of every path it reverses.
    script_prefix: str = field(default_factory=get_script_prefix)

    def absolute(self, path: str) -> str:
        """``request.build_absolute_uri(path)``; for a plain path (the only kind ``reverse``
        gives for slugs and numbers) that is the scheme and host before it, found once."""
        if self.request is None:
            return path
        if PLAIN_PATH.match(path) and "/./" not in path and "/../" not in path:
            if self._origin is None:
                self._origin = self.request.build_absolute_uri("/")[:-1]
            return self._origin + path
        return self.request.build_absolute_uri(path)

    def url(self, viewname: str, **kwargs) -> str:
        """An absolute URL by view name; the same address is built once per page."""
        key = (viewname, *kwargs.items())
        found = self._urls.get(key)
        if found is None:
            fill = self._reversers.get(viewname)
            if fill is None:
                fill = self._reversers[viewname] = reverser(viewname, *kwargs)
            found = self._urls[key] = self.absolute(fill(**kwargs))
        return found


class LeanPlan:
    """The columns to read and the builder per API field, in the serializer's order."""

    def __init__(self, model: type[models.Model], fields: list[tuple[str, LeanField]]):
        self.model = model
        self.fields = fields
        self.key = page_key(model)
        columns = dict.fromkeys(["pk", self.key])  # pk for the list-valued fields' loads
        for _, lean in fields:
            columns.update(dict.fromkeys(lean.columns))
        self.columns = tuple(columns)
        # A row is the serializer's keys in order (``_order``, copied), the copied values
        # put in at once, then the computed ones: a 50-row page of transfers is 1,900
        # values, and a call per value was most of building it.
        self._order = dict.fromkeys(name for name, _ in fields)
        copied = [(name, lean.copied) for name, lean in fields if lean.copied is not None]
        self._copied_names = [name for name, _ in copied]
        getter = itemgetter(*(column for _, column in copied)) if copied else (lambda row: ())
        self._copied_values = getter if len(copied) != 1 else (lambda row: (getter(row),))
        self._computed = [(name, lean.build) for name, lean in fields if lean.copied is None]

    def values(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` reading only the plan's columns, as dicts (its order, filters and slicing kept)."""
        return queryset.prefetch_related(None).values(*self.columns)

    def values_by_key(self, keys: list) -> list[dict]:
        """The rows with these keys (a page's, from :attr:`key`, found by the view's filtered
        query), in their order: read by key alone, so the filters (a search's index
        lookup among them) are not run again, with SQL compiled once per page size."""

        def build(markers: list) -> QuerySet:
            return self.values(self.model._base_manager.filter(**{f"{self.key}__in": markers}).order_by())

        statement = prepared(("rows-by-key", self), self.model, build, self.markers(len(keys)))
        by_key = {row[self.key]: row for row in statement.dicts(keys)} if statement else {}
        return [by_key[key] for key in keys]

    def value_by_lookup(self, shape: Hashable, base: Callable[[], QuerySet], field: str, value: Any) -> dict | None:
        """The row of ``base()`` whose ``field`` is ``value``, or None; compiled once per
        ``shape`` (what fixes ``base()``'s SQL: a view class whose queryset is constant)."""

        def build(markers: list) -> QuerySet:
            return self.values(base().filter(**{field: markers[0]}).order_by())

        statement = prepared(("row-by-lookup", self, shape, field), self.model, build, self.markers(1, field))
        rows = statement.dicts([self._field(field).get_prep_value(value)]) if statement else []
        return rows[0] if rows else None

    def markers(self, n: int, field: str | None = None) -> list:
        """``n`` placeholder values of the key's (or ``field``'s) type, for a compiled statement."""
        numeric = isinstance(self._field(field or self.key), models.IntegerField | models.AutoField)
        return int_markers(n) if numeric else text_markers(n)

    def _field(self, name: str) -> models.Field:
        return self.model._meta.pk if name == "pk" else self.model._meta.get_field(name)

    def build(self, values: list[dict], request, context: PageContext | None = None) -> list[dict]:
        """The API rows of ``values`` (from :meth:`values`), in their order; ``context``
        instead of the request's where the rows are built for another address
        (``ground.stored_rows``)."""
        context = PageContext(request) if context is None else context
        for name, lean in self.fields:
            if lean.load is not None:
                context.loaded[name] = lean.load(values, context) if values else {}
        order, names, copied, computed = self._order, self._copied_names, self._copied_values, self._computed
        rows = []
        for row in values:
            out = order.copy()
            out.update(zip(names, copied(row), strict=True))
            for name, build in computed:
                out[name] = build(row, context)
            rows.append(out)
        return rows


_plans: dict[type, LeanPlan | None] = {}


def lean_plan(serializer_class: type[serializers.ModelSerializer]) -> LeanPlan | None:
    """The serializer's lean plan, compiled once; None when a field has no lean form."""
    if serializer_class not in _plans:
        _plans[serializer_class] = _compile(serializer_class)
    return _plans[serializer_class]


def _compile(serializer_class) -> LeanPlan | None:
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if model is None:  # not a model's serializer
        return None
    readable = [(name, f) for name, f in serializer_class().fields.items() if not f.write_only]
    try:
        return LeanPlan(model, [(name, _lean_field(model, name, api_field)) for name, api_field in readable])
    except NotLean:
        return None


def _lean_field(model, name: str, api_field) -> LeanField:
    own = getattr(api_field, "lean_field", None)
    if own is not None:
        return own(model, name)
    if isinstance(api_field, relations.HyperlinkedIdentityField):
        return _identity_url(api_field)
    if isinstance(api_field, relations.ManyRelatedField):
        return _many_slugs(model, api_field)
    if isinstance(api_field, serializers.BaseSerializer | serializers.SerializerMethodField):
        raise NotLean(name)
    model_field = _column(model, api_field.source)
    if isinstance(api_field, relations.SlugRelatedField):
        if not model_field.many_to_one:
            raise NotLean(name)
        column = f"{model_field.name}__{api_field.slug_field}"
        return LeanField((column,), lambda row, _: row[column], copied=column)
    if model_field.is_relation:
        raise NotLean(name)
    if _writes_unchanged(api_field, model_field):
        column = model_field.attname
        return LeanField((column,), lambda row, _: row[column], copied=column)
    return _formatted(model_field.attname, api_field.to_representation)


def _column(model, source: str) -> models.Field:
    if "." in source or source == "*":
        raise NotLean(source)
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist as exc:  # a property or method: only an instance can say
        raise NotLean(source) from exc
    if not model_field.concrete:
        raise NotLean(source)
    return model_field


#: DRF's ``to_representation`` of a field class, and the model columns whose values the
#: database driver already hands over in the type it returns: ``str(value)`` of a text
#: column, ``int(value)`` of an integer, a boolean's ``True``/``False`` are the value itself.
_UNCHANGED_BY = {
    serializers.CharField.to_representation: (models.CharField, models.TextField),
    serializers.IntegerField.to_representation: (models.IntegerField,),
    serializers.BooleanField.to_representation: (models.BooleanField,),
    serializers.ChoiceField.to_representation: (models.CharField,),
}


def _writes_unchanged(api_field, model_field: models.Field) -> bool:
    """Whether ``api_field`` writes ``model_field``'s values (and nulls) as they are read."""
    columns = _UNCHANGED_BY.get(type(api_field).to_representation)
    if columns is None or not isinstance(model_field, columns):
        return False
    if isinstance(api_field, serializers.ChoiceField):  # str(value) looked up among the choices' keys
        return all(isinstance(key, str) for key in api_field.choice_strings_to_values.values())
    return True


def _formatted(column: str, represent: Callable[[Any], Any]) -> LeanField:
    """A column as the field writes it; a null stays null, as DRF's serializer leaves it."""

    def build(row: dict, _) -> Any:
        value = row[column]
        return None if value is None else represent(value)

    return LeanField((column,), build)


def _identity_url(api_field: relations.HyperlinkedIdentityField) -> LeanField:
    column, kwarg, viewname = api_field.lookup_field, api_field.lookup_url_kwarg, api_field.view_name
    return LeanField((column,), lambda row, context: context.url(viewname, **{kwarg: row[column]}))


def _many_slugs(model, api_field: relations.ManyRelatedField) -> LeanField:
    """A list of related slugs, one query for the page, in the related model's order."""
    child = api_field.child_relation
    model_field = _column_or_m2m(model, api_field.source)
    if not isinstance(child, relations.SlugRelatedField) or not model_field.many_to_many:
        raise NotLean(api_field.source)
    related = model_field.related_model
    back = model_field.related_query_name()

    def pairs(markers: list) -> QuerySet:
        return related._default_manager.filter(**{f"{back}__in": markers}).values_list(back, child.slug_field)

    def load(rows: list[dict], _) -> dict:
        pks = [row["pk"] for row in rows]
        found = defaultdict(list)
        statement = prepared(("many-slugs", model_field), related, pairs, int_markers(len(pks)))
        for owner, slug in statement.tuples(pks) if statement else ():
            found[owner].append(slug)
        return found

    name = api_field.field_name
    reads = (related._meta.label_lower, model_field.remote_field.through._meta.label_lower)
    return LeanField((), lambda row, context: list(context.loaded[name].get(row["pk"], ())), load, reads=reads)


def _column_or_m2m(model, source: str) -> models.Field:
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist as exc:
        raise NotLean(source) from exc


def page_url(model) -> LeanField:
    """The record's page (``get_absolute_url()``) for a model whose page is addressed by its
    slug alone, from a template found once with a placeholder slug."""
    placeholder = "zq90817263qz"
    prefix = get_script_prefix()  # the template is kept without it: each request has its own
    try:
        template = model(slug=placeholder).get_absolute_url()
    except Exception as exc:
        raise NotLean("html_url") from exc
    if template.count(placeholder) != 1 or not template.startswith(prefix):
        raise NotLean("html_url")
    before, after = template[len(prefix) :].split(placeholder)

    def build(row: dict, context: PageContext) -> str:
        slug = row["slug"]
        if SAFE_VALUE.match(slug):
            path = context.script_prefix + before + slug + after
        else:
            path = model(slug=slug).get_absolute_url()
        return context.absolute(path)

    return LeanField(("slug",), build)
