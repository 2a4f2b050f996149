"""Every cited record's ``get_FOO_display()`` (``ground.choice_labels``, labels built once)
is Django's own, for every choice of every field, and for a value no choice has."""

import pytest
from django.apps import apps
from django.db import models

from ground.choice_labels import ChoiceLabelsMixin
from sources.cited_record import CitedRecord


def cited_models():
    return [m for m in apps.get_models() if issubclass(m, CitedRecord)]


def test_every_cited_record_reads_its_labels_once():
    assert len(cited_models()) == 7
    assert all(issubclass(m, ChoiceLabelsMixin) for m in cited_models())


@pytest.mark.parametrize("model", cited_models(), ids=lambda m: m.__name__)
def test_each_label_is_djangos(model):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields or model.__name__ in {"PolicyOption"}
    for field in fields:
        display = getattr(model, f"get_{field.name}_display")
        for value in [*(v for v, _ in field.flatchoices), "no-such-choice", ""]:
            record = model(**{field.attname: value})
            assert display(record) == models.Model._get_FIELD_display(record, field), (field.name, value)
            assert display(record) == (dict(field.flatchoices).get(value, value))
