"""API rows stored ready to send (``ground.stored_rows``): the bytes a reader gets are the
ones a row built per request gives, for every transfer, page and address; a write is
seen at once (before its rows are built again), whatever it changed: the record, an
actor's slug, an endnote's number, a citation and the record it cites."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix

from ground import stored_rows
from ground.models import DataVersion, StoredRow
from periods.models import Actor
from sources.models import Citation, Endnote
from tests.factories import TransferFactory
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

LABEL = "transfers.transfer"


@pytest.fixture
def built():
    """Every transfer's row stored and current (what the worker leaves after a write)."""
    stored_rows.refresh(everything=True)
    assert StoredRow.objects.filter(model=LABEL, body__isnull=False).count() == Transfer.objects.count()


def stored_and_built(api, settings, path: str, **extra) -> tuple[bytes, bytes]:
    """(the answer with stored rows, the answer with every row built per request)."""
    stored = api.get(path, **extra)
    settings.STORED_API_ROWS = False
    rebuilt = api.get(path, **extra)
    settings.STORED_API_ROWS = True
    assert stored.status_code == rebuilt.status_code == 200
    return stored.content, rebuilt.content


def queries(api, path: str, **extra) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, **extra)
    return [q["sql"] for q in captured.captured_queries], response


def designations(response) -> list[str]:
    return [row["designation"] for row in response.json()["results"]]


def test_every_transfer_reads_byte_for_byte_as_built_per_request(api, settings, built):
    stored, rebuilt = stored_and_built(api, settings, "/api/transfers/", data={"page_size": 500})
    assert stored == rebuilt
    assert json.loads(stored)["count"] == Transfer.objects.count()
    for slug in Transfer.objects.values_list("slug", flat=True):
        stored, rebuilt = stored_and_built(api, settings, f"/api/transfers/{slug}/")
        assert stored == rebuilt, slug


def test_filters_orderings_search_and_deep_pages_read_as_built(api, settings, built):
    for params in (
        {"q": "S-400"},
        {"q": "helicopters", "ordering": "-date"},
        {"supplier": "russia", "ordering": "value_usd", "page_size": 7, "page": 2},
        {"period": "2014-present", "category": "aircraft"},
        {"page_size": 3, "after": Transfer.objects.order_by("date_start", "date_end", "slug")[5].slug},
    ):
        stored, rebuilt = stored_and_built(api, settings, "/api/transfers/", data=params)
        assert stored == rebuilt, params


def test_a_stored_page_reads_no_columns_or_citations(api, settings, built):
    settings.DB_PREPARED_STATEMENTS = False  # the SQL itself, not EXECUTE of a prepared statement
    sql, response = queries(api, "/api/transfers/", data={"page_size": 50})
    assert response.status_code == 200
    assert len(response.json()["results"]) == Transfer.objects.count()
    assert sum("ground_storedrow" in q for q in sql) == 1
    assert not any("sources_citation" in q for q in sql)
    settings.STORED_API_ROWS = False
    per_request, _ = queries(api, "/api/transfers/", data={"page_size": 50, "ordering": "slug"})
    assert any("sources_citation" in q for q in per_request)
    assert len(sql) == len(per_request) - 1  # the columns and the citations: one read instead of two


def test_addresses_are_the_requests_own(api, built):
    slug = Transfer.objects.values_list("slug", flat=True).first()
    for host in ("localhost", "127.0.0.1"):
        row = api.get(f"/api/transfers/{slug}/", HTTP_HOST=host).json()
        assert row["url"] == f"http://{host}/api/transfers/{slug}/"
        assert row["html_url"] == f"http://{host}/transfers/{slug}/"
        for citation in row["citations"]:
            assert citation["url"].startswith(f"http://{host}/api/endnotes/")
    secure = api.get(f"/api/transfers/{slug}/", HTTP_HOST="localhost", secure=True).json()
    assert secure["url"] == f"https://localhost/api/transfers/{slug}/"


def test_indented_json_decodes_the_stored_rows(api, settings, built):
    accept = {"HTTP_ACCEPT": "application/json; indent=2"}
    stored, rebuilt = stored_and_built(api, settings, "/api/transfers/", data={"page_size": 5}, **accept)
    assert stored == rebuilt
    assert b'\n  "count"' in stored


def test_a_record_edited_through_the_api_reads_new_at_once(editor_api, api, built):
    transfer = Transfer.objects.order_by("slug").first()
    response = editor_api.patch(f"/api/transfers/{transfer.slug}/", {"designation": "Edited-1"}, format="json")
    assert response.status_code == 200, response.content
    row = StoredRow.objects.get(model=LABEL, record_id=transfer.pk)
    assert row.body is None
    assert row.version == DataVersion.current().version
    assert api.get(f"/api/transfers/{transfer.slug}/").json()["designation"] == "Edited-1"
    assert stored_rows.refresh() == 1  # what the worker does after the commit: this row alone
    assert "Edited-1" in StoredRow.objects.get(model=LABEL, record_id=transfer.pk).body
    assert api.get(f"/api/transfers/{transfer.slug}/").json()["designation"] == "Edited-1"


def test_an_actors_new_slug_is_read_at_once_in_every_row(api, built):
    russia = Actor.objects.get(slug="russia")
    russia.slug = "russian-federation"
    russia.save()
    rows = api.get("/api/transfers/", {"page_size": 500}).json()["results"]
    assert "russia" not in {r["supplier"] for r in rows} | {r["recipient"] for r in rows}
    assert "russian-federation" in {r["supplier"] for r in rows}
    assert stored_rows.refresh() == Transfer.objects.count()  # every row read the old slug
    assert api.get("/api/transfers/", {"page_size": 500}).json()["results"] == rows


def test_an_endnotes_new_number_is_read_at_once(api, built):
    citation = Citation.objects.filter(content_type__model="transfer").select_related("endnote").first()
    endnote = citation.endnote
    transfer = Transfer.objects.get(pk=citation.object_id)
    Endnote.objects.filter(document=endnote.document, number__gte=900).delete()
    endnote.number = 901
    endnote.save()
    cited = api.get(f"/api/transfers/{transfer.slug}/").json()["citations"]
    assert 901 in [c["number"] for c in cited]
    assert any(c["url"].endswith(f"/{endnote.document.slug}/901/") for c in cited)


def test_a_citation_moved_to_another_record_leaves_the_first_and_reaches_the_second(editor_api, api, built):
    first, second = TransferFactory(), TransferFactory()
    endnote = Endnote.objects.order_by("pk").first()
    citation = Citation.objects.create(record=first, endnote=endnote, pinpoint="p. 7")
    stored_rows.refresh()
    assert [c["pinpoint"] for c in api.get(f"/api/transfers/{first.slug}/").json()["citations"]] == ["p. 7"]
    response = editor_api.patch(
        f"/api/citations/{citation.pk}/", {"record_type": "transfer", "record": second.slug}, format="json"
    )
    assert response.status_code == 200, response.content
    assert api.get(f"/api/transfers/{first.slug}/").json()["citations"] == []
    assert [c["pinpoint"] for c in api.get(f"/api/transfers/{second.slug}/").json()["citations"]] == ["p. 7"]
    citation.refresh_from_db()
    citation.pinpoint = "p. 8"
    citation.save()
    assert [c["pinpoint"] for c in api.get(f"/api/transfers/{second.slug}/").json()["citations"]] == ["p. 8"]
    citation.delete()
    assert api.get(f"/api/transfers/{second.slug}/").json()["citations"] == []


def test_a_builder_that_read_before_a_write_cannot_put_its_row_back(api, built):
    transfer = Transfer.objects.order_by("slug").first()
    stored = stored_rows._plans()[LABEL]
    read_before = DataVersion.current().version
    transfer.designation = "After-2"
    transfer.save()  # empties the row at the new version
    stored_rows._build(stored, [transfer.pk], read_before)  # an older builder finishing late: refused
    assert StoredRow.objects.get(model=LABEL, record_id=transfer.pk).body is None
    stored_rows._build(stored, [transfer.pk], DataVersion.current().version)
    assert "After-2" in StoredRow.objects.get(model=LABEL, record_id=transfer.pk).body


def test_a_record_whose_text_holds_the_address_marker_is_built_per_request(api, built):
    transfer = TransferFactory(description=f"odd {stored_rows.ADDRESS} text")
    assert stored_rows.refresh() == 0
    assert not StoredRow.objects.filter(model=LABEL, record_id=transfer.pk, body__isnull=False).exists()
    assert api.get(f"/api/transfers/{transfer.slug}/").json()["description"] == f"odd {stored_rows.ADDRESS} text"


def test_a_new_record_and_a_deleted_one(api, built):
    added = TransferFactory(designation="New-3")
    assert api.get(f"/api/transfers/{added.slug}/").json()["designation"] == "New-3"  # built per request
    assert stored_rows.refresh() == 1
    slug = added.slug
    added.delete()
    assert api.get(f"/api/transfers/{slug}/").status_code == 404
    stored_rows.refresh()
    assert not StoredRow.objects.filter(model=LABEL, record_id=added.pk).exists()  # pruned


def test_a_site_under_a_path_prefix_builds_its_rows_per_request(api, built):
    slug = Transfer.objects.values_list("slug", flat=True).first()
    set_script_prefix("/mtc/")  # as a server mounted under /mtc sets it for each request
    try:
        row = api.get(f"/api/transfers/{slug}/").json()
    finally:
        set_script_prefix("/")
    assert row["url"] == f"http://testserver/mtc/api/transfers/{slug}/"
    assert row["html_url"] == f"http://testserver/mtc/transfers/{slug}/"


def test_migrate_empties_the_rows_and_builds_them_again(call, built):
    StoredRow.objects.filter(model=LABEL).update(body='{"stale": true}')
    call("migrate", "--noinput", verbosity=0)
    assert not StoredRow.objects.filter(body__contains="stale").exists()
    assert StoredRow.objects.filter(model=LABEL, body__isnull=False).count() == Transfer.objects.count()


def test_the_command_builds_what_is_missing(call, built):
    StoredRow.objects.all().delete()
    assert "Stored API rows built: " in call("rebuild_stored_rows", "--missing")
    assert StoredRow.objects.filter(model=LABEL, body__isnull=False).count() == Transfer.objects.count()
    assert call("rebuild_stored_rows", "--missing").strip() == "Stored API rows built: 0."


@pytest.mark.django_db(transaction=True)
def test_after_a_committed_write_the_worker_stores_the_row_again(loaded_report, editor_api, api):
    """The listener runs after the commit (in-process without a broker, as here)."""
    stored_rows.refresh(everything=True)
    transfer = Transfer.objects.order_by("slug").first()
    response = editor_api.patch(f"/api/transfers/{transfer.slug}/", {"designation": "Committed-4"}, format="json")
    assert response.status_code == 200, response.content
    row = StoredRow.objects.get(model=LABEL, record_id=transfer.pk)
    assert row.body is not None
    assert "Committed-4" in row.body
    assert api.get(f"/api/transfers/{transfer.slug}/").json()["designation"] == "Committed-4"


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_reads_its_own_rows(loaded_report, call, api, tmp_path):
    """Record ids may change in a restore (natural keys): the rows are not in the backup,
    and are built again from the restored records."""
    stored_rows.refresh(everything=True)
    before = api.get("/api/transfers/", {"page_size": 500}).content
    path = tmp_path / "backup.json"
    call("backup", str(path))
    assert "ground.storedrow" not in path.read_text()
    Transfer.objects.filter(pk=Transfer.objects.order_by("slug").first().pk).update(designation="Vandalised")
    call("restore", str(path))
    assert StoredRow.objects.filter(model=LABEL, body__isnull=False).count() == Transfer.objects.count()
    assert api.get("/api/transfers/", {"page_size": 500}).content == before
