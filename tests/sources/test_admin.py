"""The admin for documents, sources, endnotes and citations (see tests/admin_contract.py)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from periods.models import Event
from sources.models import Citation, Document, Endnote, Source
from tests.admin_contract import AdminContract, Spec
from tests.admin_helpers import admin_url, form_data
from tests.factories import CitationFactory, DocumentFactory, EndnoteFactory, EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _citation_add() -> dict:
    event = EventFactory()
    return {
        "content_type": str(ContentType.objects.get_for_model(Event).pk),
        "object_id": str(event.pk),
        "endnote": str(Endnote.objects.get(document__slug="csis-mtc-primer-2020", number=5).pk),
        "position": "1",
    }


SPECS = [
    Spec(Document, DocumentFactory, lambda: {"title": "Another report", "slug": "another-report"}, "title", "Renamed"),
    Spec(
        Source,
        SourceFactory,
        lambda: {"title": "A new work", "slug": "a-new-work", "kind": "book"},
        "title",
        "A retitled work",
    ),
    Spec(
        Endnote,
        EndnoteFactory,
        lambda: {"document": str(Document.objects.get(slug="csis-mtc-primer-2020").pk), "number": "74", "text": "X."},
        "text",
        "Ibid., 12.",
    ),
    Spec(Citation, lambda: CitationFactory(record=EventFactory()), _citation_add, "pinpoint", "14"),
]


@pytest.mark.parametrize("spec", SPECS, ids=str)
class TestSourcesAdmin(AdminContract):
    pass


def test_a_record_cites_endnotes_through_the_inline(editor_client):
    event = EventFactory()
    url = admin_url(Event, "change", event.pk)
    data = form_data(editor_client.get(url))
    prefix = "sources-citation-content_type-object_id"
    note = Endnote.objects.get(document__slug="csis-mtc-primer-2020", number=31)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-endnote": str(note.pk),
            f"{prefix}-0-pinpoint": "14",
            f"{prefix}-0-position": "1",
        }
    )
    assert editor_client.post(url, data).status_code == 302
    assert [(c.endnote.number, c.pinpoint) for c in event.citations.all()] == [(31, "14")]


def test_an_endnote_number_clash_is_refused_with_the_constraint_message(editor_client):
    document = Document.objects.get(slug="csis-mtc-primer-2020")
    url = admin_url(Endnote, "add")
    data = {**form_data(editor_client.get(url)), "document": str(document.pk), "number": "31", "text": "Again."}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "An endnote with this number already exists in this document." in response.content.decode()


def test_recovering_a_deleted_record_restores_its_citations(editor_client):
    event = EventFactory()
    note = Endnote.objects.get(document__slug="csis-mtc-primer-2020", number=12)
    CitationFactory(record=event, endnote=note, pinpoint="3")
    editor_client.post(admin_url(Event, "delete", event.pk), {"post": "yes"})
    assert not Citation.objects.filter(object_id=event.pk, endnote=note).exists()

    record = next(
        r for r in editor_client.get(admin_url(Event, "recoverlist")).context["records"] if r.instance.pk == event.pk
    )
    page = editor_client.get(admin_url(Event, "recover", record.history_id))
    assert "csis-mtc-primer-2020 n. 12, 3" in page.content.decode()
    editor_client.post(admin_url(Event, "recover", record.history_id))
    assert [(c.endnote.number, c.pinpoint) for c in Event.objects.get(pk=event.pk).citations.all()] == [(12, "3")]


def test_a_record_whose_slug_was_taken_meanwhile_is_not_recovered_and_says_why(editor_client):
    event = EventFactory(slug="taken-later")
    editor_client.post(admin_url(Event, "delete", event.pk), {"post": "yes"})
    EventFactory(slug="taken-later")
    record = next(
        r for r in editor_client.get(admin_url(Event, "recoverlist")).context["records"] if r.instance.pk == event.pk
    )
    response = editor_client.post(admin_url(Event, "recover", record.history_id))
    assert response.status_code == 200
    assert "Event with this Slug already exists." in response.content.decode()
    assert not Event.objects.filter(pk=event.pk).exists()
