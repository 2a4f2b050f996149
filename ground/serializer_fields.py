"""Serializer fields that take only the JSON type the OpenAPI schema declares.

DRF coerces generously: ``CharField`` turns a JSON number into a string (``{"title": 0}``
saves "0"), ``BooleanField`` reads ``0``/``"yes"`` as false/true, ``IntegerField`` reads
``"5"``, and a many-related field takes any iterable, so ``{"actors": {}}`` cleared a
record's actors. Each is a request the schema calls invalid, accepted. These refuse
anything but the declared type and name the rule in the 400.
"""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS


class StrictTextMixin:
    # "must not be empty", not DRF's "This field may not be blank.": clients that learn
    # from 400s (schemathesis' error feedback) read that wording as "the field is
    # required", which an optional field refusing only "" (a PATCH's title, a CSL name's
    # given name) is not.
    default_error_messages = {
        "not_text": "must be a string (text), not {kind}.",
        "blank": "must not be empty.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", kind=type(data).__name__)
        return super().to_internal_value(data)


class StrictCharField(StrictTextMixin, serializers.CharField):
    pass


class StrictSlugField(StrictTextMixin, serializers.SlugField):
    pass


# The rule a URL field that may be empty enforces, in its 400. Django's own "Enter a valid
# URL." does not say that "" (no URL) is accepted too, and API clients that learn from
# error messages (schemathesis' error feedback) read it as `format: uri`, under which the
# empty string this API stores for "none" is invalid.
URL_OR_EMPTY_RULE = "must be a URL starting with http://, https://, ftp:// or ftps://, or empty for none."


def url_or_empty_validator() -> URLValidator:
    """Django's URL validator, its error naming the rule of a URL that may be empty."""
    return URLValidator(message=URL_OR_EMPTY_RULE)


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


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` only (DRF also reads 0, 1, "yes", "off"... as booleans)."""

    default_error_messages = {"not_boolean": "must be true or false (a JSON boolean), not {kind}."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("not_boolean", kind=type(data).__name__)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON number without a fraction; the string "5" or ``true`` is refused, not coerced."""

    default_error_messages = {"not_integer": "must be an integer (a JSON number), not {kind}."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("not_integer", kind=type(data).__name__)
        return super().to_internal_value(data)


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A list of related records: a JSON array only (DRF takes any iterable, even ``{}``)."""

    default_error_messages = {"not_a_list": "must be a list (a JSON array), not {input_type}."}

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictManyMixin:
    """``many=True`` wraps the related field in a :class:`StrictManyRelatedField`."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        # DRF's own many_init, with our list field in place of ManyRelatedField.
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return StrictManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)


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
    serializer_field_mapping[models.BooleanField] = StrictBooleanField
    for integer_field in (
        models.IntegerField,
        models.SmallIntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField,
    ):
        serializer_field_mapping[integer_field] = StrictIntegerField
    serializer_choice_field = StrictChoiceField


class SharedQuerysetMixin:
    """Copy a related field without copying its queryset.

    DRF deep-copies every declared field for each serializer it builds, and deep-copying a
    ``QuerySet`` copies its whole ``Query``: a fifth of an API detail's time (cProfile,
    100k records). Sharing it is safe because ``RelatedField.get_queryset()`` calls
    ``.all()`` on it before every use, so no request ever evaluates or alters the shared one.
    """

    def __deepcopy__(self, memo):
        queryset = self._kwargs.get("queryset")
        if queryset is not None:
            memo[id(queryset)] = queryset
        return super().__deepcopy__(memo)


class SlugRelatedField(SharedQuerysetMixin, serializers.SlugRelatedField):
    pass


class StrictSlugRelatedField(StrictManyMixin, StrictTextMixin, SlugRelatedField):
    """A related record named by its slug: a JSON string, as the schema says, never a number."""
