"""The filter form's long selects (actors, systems) render exactly as Django's own Select."""

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from ground.models import DataVersion
from ground.widgets import QuickSelect
from tests.factories import ActorFactory
from timeline.filters import timeline_form

pytestmark = pytest.mark.django_db

CHOICES = [("", "All <actors>"), ("a", "A & B"), ("Group", [("x", "X"), ("y", 'Y "quoted"')]), ("russia", "Russia")]


@pytest.mark.parametrize("value", ["", "russia", "y", None, "unknown"])
def test_quick_select_writes_djangos_markup(value):
    attrs = {"id": "id_actor", "aria-describedby": "id_actor_helptext", "required": True, "disabled": False}
    django_html = forms.Select(choices=CHOICES).render("actor", value, attrs)
    assert QuickSelect(choices=CHOICES).render("actor", value, attrs) == django_html
    assert "&lt;actors&gt;" in django_html  # the labels are escaped, in both


@pytest.mark.parametrize(
    "query",
    ["", "actor=rostec&system=s-400", "actor=nobody", "period=2006-2014&category=aircraft&direction=cn-ru",
     "ordering=-date", "period=1800&category=boats&ordering=up"],
)  # fmt: skip
@pytest.mark.parametrize("name", ["actor", "system", "period", "category", "direction", "ordering"])
def test_the_timeline_form_selects_are_djangos_markup(query, name):
    bound = timeline_form(QueryDict(query))[name]
    assert isinstance(bound.field.widget, QuickSelect)
    plain = forms.Select(attrs=bound.field.widget.attrs)
    plain.choices = bound.field.widget.choices
    assert str(bound) == bound.as_widget(widget=plain)
    choices = list(bound.field.choices)
    assert str(bound).count("<option") == len(choices) >= 2  # every choice (and "All ...")
    if name in QueryDict(query) and not bound.errors:
        assert str(bound).count(" selected>") == 1


def test_the_actor_options_are_read_once_per_data_version(fragment_cache, client):
    """Every home page offers the same actors: read and written once per data version,
    each page marks its own selection; an actor added (a new version) is offered at once."""
    client.get("/?actor=rostec")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/?actor=russia").content.decode()
    every_actor = [q for q in queries.captured_queries if 'FROM "periods_actor" ORDER BY' in q["sql"]]
    assert not every_actor  # the selected one is still read, to validate it
    assert '<option value="russia" selected>' in page
    assert '<option value="rostec">' in page
    ActorFactory(slug="new-bureau", name="New Design Bureau")
    DataVersion.bump()
    page = client.get("/?actor=new-bureau").content.decode()
    assert '<option value="new-bureau" selected>New Design Bureau</option>' in page
