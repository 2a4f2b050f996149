"""The form renderer writes the ``<input>`` templates as Django's own templates do.

``ground.form_renderer.QuickWidgetRenderer`` writes a few widget templates in Python;
each widget those templates serve is rendered here by it and by Django's
``DjangoTemplates``, with values that need escaping, safe and lazy strings, booleans
and numbers among the attributes, checked and unchecked options, and the byte strings
must be equal.
"""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from ground.form_renderer import INPUT_TEMPLATES, QuickWidgetRenderer
from sources.filters import StrictCheckboxInput
from timeline.filters import TimelineFilterSet

HOSTILE = "\"><script>alert(1)</script>&amp;'x"
CHOICES = [("a", "Arms <transfers>"), ("b&c", gettext_lazy("Events")), ("d", mark_safe("<b>Projects</b>"))]


class EveryInput(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": HOSTILE, "autofocus": True}))
    number = forms.IntegerField(min_value=1, max_value=9999, required=False)
    decimal = forms.DecimalField(required=False)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"class": mark_safe("a&b"), "x": False}))
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "data-n": 3}), required=False)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False, initial=datetime.datetime(2014, 5, 20, 10, 0))
    share = forms.FloatField(required=False, widget=forms.NumberInput(attrs={"step": 0.25}))
    flag = forms.BooleanField(required=False)
    strict = forms.BooleanField(required=False, widget=StrictCheckboxInput)
    kinds = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)
    one = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)
    upload = forms.FileField(required=False)


DATA = [
    {},
    {
        "text": HOSTILE,
        "number": "42",
        "decimal": "1.50",
        "email": "a@b.example",
        "url": "https://example.org/?a=1&b=2",
        "password": "p<w>",
        "hidden": mark_safe("<i>safe</i>"),
        "search": "",
        "date": "2014-05-20",
        "when": "2014-05-20 10:00",
        "flag": "on",
        "strict": "1",
        "kinds": ["a", "b&c"],
        "one": "d",
    },
    {"number": "not a number", "kinds": ["zzz"], "one": "b&c", "text": "x" * 40},  # invalid: errors shown
]


def _rendered(form_class, data, renderer) -> list[str]:
    form = form_class(data or None, renderer=renderer)
    out = []
    for field in form:
        out.append(str(field))  # the whole widget (a multiple input through its container)
        out += [subwidget.tag() for subwidget in field.subwidgets]  # each option alone
        out += [str(subwidget) for subwidget in field.subwidgets]  # each option in its label
    return out


@pytest.mark.parametrize("data", DATA, ids=["unbound", "filled", "invalid"])
def test_every_input_widget_is_written_as_djangos_templates_write_it(data):
    quick, django = _rendered(EveryInput, data, QuickWidgetRenderer()), _rendered(EveryInput, data, DjangoTemplates())
    assert quick == django
    assert any("&quot;&gt;&lt;script&gt;" in html for html in quick)  # escaped, not passed through


def test_the_renderer_writes_the_inputs_itself(monkeypatch):
    """The control: the equality above compares Python's output, not the same templates twice."""
    renderer = QuickWidgetRenderer()
    asked: list[str] = []
    engine_render = DjangoTemplates.render

    def spy(self, template_name, context, request=None):
        asked.append(template_name)
        return engine_render(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", spy)
    _rendered(EveryInput, DATA[1], renderer)
    # Only ``share``: a float attribute (``step``) is left to the engine, which may localise it.
    assert set(asked) & INPUT_TEMPLATES == {"django/forms/widgets/number.html"}
    assert "django/forms/widgets/checkbox_option.html" not in asked


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{}, {"type": ["transfer", "event"], "period": "2006-2014", "from": "2001", "q": 'S-400 "<x>"', "undated": "1"}],
)
def test_the_timeline_filter_form_is_the_same_as_djangos(query):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in query.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    quick = TimelineFilterSet(data).form
    django = TimelineFilterSet(data).form
    django.renderer = DjangoTemplates()
    assert isinstance(quick.renderer, QuickWidgetRenderer)
    assert [str(field) for field in quick] == [str(field) for field in django]
