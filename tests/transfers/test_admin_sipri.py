"""Importing a SIPRI trade register from the admin: upload, preview, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.transfers.sipri_files import ROWS, register
from transfers.models import Transfer

pytestmark = pytest.mark.django_db
URL = "/admin/transfers/transfer/import-sipri/"


def upload(client, text: str, name: str = "trade-register.csv"):
    return client.post(URL, {"preview": "1", "file": SimpleUploadedFile(name, text.encode())})


def test_the_transfer_list_links_to_the_sipri_import(editor_client):
    page = editor_client.get(reverse("admin:transfers_transfer_changelist")).content.decode()
    assert f'href="{URL}"' in page


def test_preview_shows_each_row_with_its_line_and_keeps_nothing(editor_client):
    response = upload(editor_client, register())
    page = response.content.decode()
    assert "4 to create, 0 to update, 0 unchanged" in page
    assert [(line, action) for line, action, _ in response.context["preview_rows"]] == [
        (13, "create"),
        (14, "create"),
        (15, "create"),
        (16, "create"),
    ]
    assert not Transfer.objects.filter(slug__startswith="sipri-").exists()


def test_confirm_imports_the_file_in_one_go(editor_client, editor, heard, django_capture_on_commit_callbacks):
    preview = upload(editor_client, register())
    form = preview.context["confirm_form"]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(URL, {"confirm": "1", **form.initial})
    assert response.status_code == 302
    assert response["Location"].endswith("?document=sipri-trade-register")
    imported = Transfer.objects.filter(slug__startswith="sipri-")
    assert imported.count() == 4
    assert {t.history.get().history_user for t in imported} == {editor}
    assert heard == [1]
    listed = editor_client.get(response["Location"]).context["cl"].result_list
    assert {t.designation for t in listed} == {"Su-35", "S-400", "Mi-171E", "Kilo"}


def test_a_malformed_file_is_reported_by_line_and_cannot_be_confirmed(editor_client):
    rows = [list(r) for r in ROWS]
    rows[1][4] = "four"
    response = upload(editor_client, register(rows=rows))
    page = response.content.decode()
    assert "nothing was imported" in page
    assert "Line 14, Number ordered: &#x27;four&#x27; must be a whole number." in page
    assert "confirm_form" not in response.context
    assert not Transfer.objects.filter(slug__startswith="sipri-").exists()


def test_confirm_validates_the_text_again(editor_client):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "1985"
    response = editor_client.post(
        URL,
        {"confirm": "1", "text": register(rows=rows), "file_name": "x.csv", "document": "sipri-x"},
    )
    assert response.status_code == 200
    assert "Line 13, Year of order: 1985 falls in no period." in response.content.decode()
    assert not Transfer.objects.filter(slug__startswith="sipri-").exists()


def test_a_viewer_is_refused(viewer_client):
    assert viewer_client.get(URL).status_code == 403
    assert upload(viewer_client, register()).status_code == 403
    assert not Transfer.objects.filter(slug__startswith="sipri-").exists()
