"""Filter parameters in the OpenAPI schema exactly as the server checks them.

drf-spectacular's django-filter extension gives a ``NumberFilter`` the type ``number``
and no bounds, so a schema-valid ``?year_ordered=0`` or ``?value_usd__gte=1.5`` was
refused by the server. This extension (registered when ``ground`` is ready) reads each
filter's form field: whole-number filters are ``integer``, their ``min_value`` and
``max_value`` become ``minimum`` and ``maximum``, and a filter naming a record by slug
says that the record must exist.
"""

from __future__ import annotations

from django import forms
from django_filters import filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension


class BoundedDjangoFilterExtension(DjangoFilterExtension):
    priority = 1  # before drf-spectacular's own

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            schema = parameter["schema"]
            if issubclass(filter_field.field_class, forms.IntegerField):
                schema["type"] = "integer"
                schema.pop("format", None)
                if filter_field.extra.get("min_value") is not None:
                    schema["minimum"] = filter_field.extra["min_value"]
                if filter_field.extra.get("max_value") is not None:
                    schema["maximum"] = filter_field.extra["max_value"]
            if schema.get("type") == "string" and "enum" not in schema:
                schema["pattern"] = "^[^\\u0000]*$"  # a NUL character is refused (Django's form fields)
                if filter_field.extra.get("max_length"):
                    schema["maxLength"] = filter_field.extra["max_length"]
            if isinstance(filter_field, filters.ModelChoiceFilter) and "enum" not in schema:
                parameter.setdefault(
                    "description", f"The slug of an existing {field_name}; an unknown one is a 400 naming it."
                )
        return parameters
