"""The filter form's long selects (actors, systems) render exactly as Django's own Select."""

import pytest
from django import forms
from django.http import QueryDict

from ground.widgets import QuickSelect
from timeline.filters import timeline_form

pytestmark = pytest.mark.django_db

CHOICES = [("", "All <actors>"), ("a", "A & B"), ("Group", [("x", "X"), ("y", 'Y "quoted"')]), ("russia", "Russia")]


@pytest.mark.parametrize("value", ["", "russia", "y", None, "unknown"])
def test_quick_select_writes_djangos_markup(value):
    attrs = {"id": "id_actor", "aria-describedby": "id_actor_helptext", "required": True, "disabled": False}
    django_html = forms.Select(choices=CHOICES).render("actor", value, attrs)
    assert QuickSelect(choices=CHOICES).render("actor", value, attrs) == django_html
    assert "&lt;actors&gt;" in django_html  # the labels are escaped, in both


@pytest.mark.parametrize("query", ["", "actor=rostec&system=s-400", "actor=nobody"])
@pytest.mark.parametrize("name", ["actor", "system"])
def test_the_timeline_form_selects_are_djangos_markup(query, name):
    bound = timeline_form(QueryDict(query))[name]
    assert isinstance(bound.field.widget, QuickSelect)
    plain = forms.Select(attrs=bound.field.widget.attrs)
    plain.choices = bound.field.widget.choices
    assert str(bound) == bound.as_widget(widget=plain)
    assert str(bound).count("<option") == bound.field.queryset.count() + 1  # every choice and "All ..."
