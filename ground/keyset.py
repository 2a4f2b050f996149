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
from django.db import connections
from django.db.models import Q, QuerySet
from rest_framework.exceptions import NotFound, ValidationError


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
    values = model._default_manager.filter(**{key: after}).values(*(f.name for f in fields)).first()
    if values is None:  # like a page past the end (DRF: "Invalid page."), a 404 that names the parameter
        raise NotFound(f"{param}: no {model._meta.verbose_name} has the {key} '{after}'.")
    rows: list = []
    for condition in parts_after(queryset, fields, values):
        rows += list(queryset.filter(condition)[: size - len(rows)])
        if len(rows) >= size:
            break
    return rows
