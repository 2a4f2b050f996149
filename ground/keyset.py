"""Keyset paging: the rows after a given record in a list's (total) order.

``?page=k`` makes the database step over every row before the page; at a million rows
a deep page costs as much as reading half the table's index. ``?after=<slug>`` instead
starts where the named record stands in the list's order, read off that order's index:
the same cost at page 2 or page 20,000. Every ordering is total (``ground.stable_ordering``
ends it with a unique field), so "after" is exact: no row is repeated or skipped.

Why by hand: django-filter and DRF have no keyset paging for a user-chosen ordering over
nullable columns; DRF's ``CursorPagination`` takes one fixed ordering and pages ties by
offset. Nulls are placed as the database sorts them (``nulls_order_largest``: last
ascending on PostgreSQL, first on SQLite), so the rows after a record are the rows the
next ``OFFSET`` would have given.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import Q, QuerySet
from django.db.models.query import FlatValuesListIterable
from rest_framework.exceptions import NotFound, ValidationError

from ground.statements import date_markers, prepared, text_markers


@dataclass(frozen=True)
class OrderField:
    name: str
    descending: bool
    nullable: bool


def order_fields(queryset: QuerySet, param: str) -> list[OrderField]:
    """The queryset's ordering as column paths (``number``, ``document__slug``); a 400
    naming ``param`` where it orders by an expression, which keyset paging cannot follow."""
    names = queryset.query.order_by or queryset.model._meta.ordering
    fields = []
    for name in names:
        if not isinstance(name, str) or name.lstrip("-") == "?":
            raise ValidationError({param: [f"cannot be used with this list's ordering ({name})."]})
        bare = name.lstrip("-")
        fields.append(OrderField(bare, name.startswith("-"), _nullable(queryset.model, bare, param)))
    return fields


def _nullable(model, path: str, param: str) -> bool:
    """Whether the column at ``path`` can be null, a relation on the way included."""
    nullable = False
    for part in path.split("__"):
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist as exc:
            raise ValidationError({param: [f"cannot be used with this list's ordering ({path})."]}) from exc
        nullable = nullable or field.null
        model = field.related_model or model
    return nullable


def _equal(field: OrderField, value) -> Q:
    return Q(**{f"{field.name}__isnull": True}) if value is None else Q(**{field.name: value})


def _beyond(field: OrderField, value, nulls_largest: bool) -> Q | None:
    """Rows whose ``field`` comes strictly after ``value`` in the list's direction."""
    nulls_after = nulls_largest != field.descending  # the null block follows the values
    if value is None:
        return None if nulls_after else Q(**{f"{field.name}__isnull": False})
    beyond = Q(**{f"{field.name}__{'lt' if field.descending else 'gt'}": value})
    if field.nullable and nulls_after:
        beyond |= Q(**{f"{field.name}__isnull": True})
    return beyond


def _after(fields: list[OrderField], values: dict, nulls_largest: bool) -> Q:
    """Rows after ``values`` on ``fields``: beyond on the first, or equal on it and after on the rest."""
    if not fields:
        return Q(pk__in=[])
    first, rest = fields[0], fields[1:]
    condition = _equal(first, values[first.name]) & _after(rest, values, nulls_largest)
    beyond = _beyond(first, values[first.name], nulls_largest)
    return condition | beyond if beyond is not None else condition


def parts_after(queryset: QuerySet, fields: list[OrderField], values: dict) -> list[Q]:
    """Conditions for the rows after ``values``, in list order, each one range of the
    ordering's index: the first field bounded (``>= v``), then the null block where it
    follows. One condition with the null block OR-ed in would leave the index unbounded."""
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    first, value = fields[0], values[fields[0].name]
    whole = _after(fields, values, nulls_largest)
    if value is None or not first.nullable or nulls_largest == first.descending:
        bound = Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": value}) if value is not None else Q()
        return [bound & whole]
    within = Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": value})
    return [within & whole, Q(**{f"{first.name}__isnull": True})]


def rows_after(queryset: QuerySet, key: str, after: str, size: int, param: str = "after") -> list:
    """Up to ``size`` rows of ``queryset`` after the record whose ``key`` is ``after``."""
    fields = order_fields(queryset, param)
    model = queryset.model
    values = _values_of(model, key, after, fields)
    if values is None:  # like a page past the end (DRF: "Invalid page."), a 404 that names the parameter
        raise NotFound(f"{param}: no {model._meta.verbose_name} has the {key} '{after}'.")
    rows: list = []
    for index, condition in enumerate(parts_after(queryset, fields, values)):
        wanted = size - len(rows)
        # The first part only: the null block after it (see ``parts_after``) uses no value.
        part = _prepared_first_part(queryset, fields, values, wanted) if index == 0 else None
        rows += list(queryset.filter(condition)[:wanted]) if part is None else part
        if len(rows) >= size:
            break
    return rows


# Why compiled once per shape (``ground.statements``): an unfiltered list's page after a
# record (a client following ``next`` through the whole list) compiled both its queries
# on every request, 2.1 of a page's 8 ms in-process at 100k records, with 0.2 ms of it in
# the database.


#: The largest page (500 rows) and the row that tells whether a next page exists: a
#: deeper ``?after=x&page=k`` is compiled per request, so a client cannot add shapes.
MAX_PREPARED_LIMIT = 501


def _values_of(model, key: str, after: str, fields: list[OrderField]) -> dict | None:
    """The ordering's values of the record whose ``key`` is ``after`` (None: no such record)."""
    names = tuple(f.name for f in fields)

    def build(markers: list) -> QuerySet:
        return model._default_manager.filter(**{key: markers[0]}).values(*names).order_by("pk")[:1]

    statement = prepared(("keyset-values", model, key, names), model, build, text_markers(1))
    rows = statement.dicts([after]) if statement else []
    return rows[0] if rows else None


def _markers(model, fields: list[OrderField]) -> list | None:
    """One marker per ordering field, of its column's type; None for a type without markers."""
    markers = []
    for index, field in enumerate(fields):
        column = _column(model, field.name)
        if isinstance(column, models.DateField) and not isinstance(column, models.DateTimeField):
            markers.append(date_markers(index + 1)[index])
        elif isinstance(column, models.CharField | models.TextField):
            markers.append(text_markers(index + 1)[index])
        else:  # numbers too: Django rewrites a bound outside a column's range (4 or 2 bytes)
            return None
    return markers


def _column(model, path: str):
    for part in path.split("__"):
        column = model._meta.pk if part == "pk" else model._meta.get_field(part)
        model = column.related_model or model
    return column


def _prepared_first_part(queryset: QuerySet, fields: list[OrderField], values: dict, limit: int) -> list | None:
    """The first of ``parts_after`` for a list of keys with no filter (the whole list in a
    client's order), from a statement compiled once per ordering, null pattern and limit;
    None for any other list, which the ORM compiles as before."""
    query = queryset.query
    plain = (
        queryset._iterable_class is FlatValuesListIterable
        and len(query.values_select) == 1
        and not (query.where or query.annotations or query.extra or query.distinct)
        and query.low_mark == 0
        and query.high_mark is None
    )
    markers = _markers(queryset.model, fields) if plain and limit <= MAX_PREPARED_LIMIT else None
    if markers is None:
        return None
    nulls = tuple(values[f.name] is None for f in fields)
    present = [(f, m) for f, m, null in zip(fields, markers, nulls, strict=True) if not null]

    def build(marked: list) -> QuerySet:
        stand_ins = dict.fromkeys((f.name for f in fields), None)
        stand_ins.update({f.name: m for (f, _), m in zip(present, marked, strict=True)})
        return queryset.filter(parts_after(queryset, fields, stand_ins)[0])[:limit]

    shape = ("keyset-rows", queryset.model, tuple(query.order_by), query.default_ordering, query.standard_ordering)
    statement = prepared((*shape, query.values_select, nulls, limit), queryset.model, build, [m for _, m in present])
    if statement is None:
        return []
    return [row[0] for row in statement.tuples([values[f.name] for f, _ in present])]
