"""Text fields that take text only.

DRF's ``CharField`` turns a JSON number into a string (``{"title": 0}`` saves "0"),
so a request the OpenAPI schema calls invalid (``type: string``) was accepted. These
refuse anything but a JSON string, as the schema says.
"""

from __future__ import annotations

from django.db import models
from rest_framework import serializers


class StrictTextMixin:
    default_error_messages = {"not_text": "must be a string (text), not {kind}."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", kind=type(data).__name__)
        return super().to_internal_value(data)


class StrictCharField(StrictTextMixin, serializers.CharField):
    pass


class StrictSlugField(StrictTextMixin, serializers.SlugField):
    pass


class StrictURLField(StrictTextMixin, serializers.URLField):
    pass


class StrictChoiceField(StrictTextMixin, serializers.ChoiceField):
    pass


class StrictDecimalField(serializers.DecimalField):
    """A decimal sent as the string the API writes ("12.500"), as the schema says; a JSON
    number is refused rather than silently rounded through a float."""

    default_error_messages = {"not_text": 'must be a decimal string such as "12.5", not {kind}.'}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", kind=type(data).__name__)
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text, slug, URL and decimal fields take JSON strings only."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **{
            model_field: strict
            for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
            for base, strict in (
                (serializers.SlugField, StrictSlugField),
                (serializers.URLField, StrictURLField),
                (serializers.CharField, StrictCharField),
            )
            if field is base
        },
    }
    serializer_field_mapping[models.DecimalField] = StrictDecimalField
    serializer_choice_field = StrictChoiceField


class StrictSlugRelatedField(StrictTextMixin, serializers.SlugRelatedField):
    """A related record named by its slug: a JSON string, as the schema says, never a number."""
