"""Importing and exporting transfers through the admin (CSV and XLSX)."""

import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
import tablib
from django.contrib.messages import get_messages

from tests.admin_import import ImportContract, ImportSpec, confirm, export, export_rows, preview, row_errors, to_csv
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

SPEC = ImportSpec(
    model=Transfer,
    query="direction__exact=cn-ru",
    expected=lambda: Transfer.objects.filter(direction="cn-ru"),
    key={"slug": "s-400-2015"},
    column="number_delivered",
    new_value="2",
    bad_column="period",
    bad_value="1980-1991",
    error_field="period",
    error="no period with slug '1980-1991'.",
)


@pytest.mark.parametrize("spec", [SPEC], ids=str)
class TestTransferImport(ImportContract):
    pass


def test_a_row_breaking_a_database_rule_is_refused_with_its_message(editor_client):
    rows = export_rows(editor_client, Transfer)
    rows[SPEC.find(rows)]["number_delivered"] = "3"  # two regiments ordered
    page = preview(editor_client, Transfer, to_csv(rows))
    assert [(field, messages) for _, field, messages in row_errors(page)] == [
        ("__all__", ["number_delivered must be <= number_ordered."])
    ]


def test_citations_round_trip_through_the_citations_column(editor_client):
    rows = export_rows(editor_client, Transfer)
    row = rows[SPEC.find(rows)]
    assert row["citations"] == "csis-mtc-primer-2020 n. 31"
    row["citations"] = "csis-mtc-primer-2020 n. 50 (p. 7); csis-mtc-primer-2020 n. 31"
    confirm(editor_client, Transfer, preview(editor_client, Transfer, to_csv(rows)))
    citations = Transfer.objects.get(slug="s-400-2015").citations.order_by("position")
    assert [(c.endnote.number, c.pinpoint) for c in citations] == [(50, "7"), (31, "")]


def test_an_unknown_endnote_in_the_citations_column_names_the_field(editor_client):
    rows = export_rows(editor_client, Transfer)
    rows[SPEC.find(rows)]["citations"] = "csis-mtc-primer-2020 n. 99"
    page = preview(editor_client, Transfer, to_csv(rows))
    result = page.context["result"]
    assert [(r.number, r.error_dict) for r in result.invalid_rows] == [
        (SPEC.find(rows) + 1, {"citations": ["no endnote 99 in document 'csis-mtc-primer-2020'."]})
    ]


def test_xlsx_export_and_import_round_trip(editor_client):
    content = export(editor_client, Transfer, "direction__exact=ru-cn", file_format="xlsx")
    book = tablib.Dataset().load(content, format="xlsx")
    assert len(book) == Transfer.objects.filter(direction="ru-cn").count()
    index = book["slug"].index("s-400-2015")
    row = list(book[index])
    row[book.headers.index("notes")] = "Edited in a spreadsheet."
    book[index] = row
    page = preview(editor_client, Transfer, book.export("xlsx"), file_format="xlsx")
    assert page.context["result"].totals["update"] == 1
    confirm(editor_client, Transfer, page)
    assert Transfer.objects.get(slug="s-400-2015").notes == "Edited in a spreadsheet."


def test_confirm_validates_again_and_keeps_no_row_if_one_went_bad(editor_client):
    rows = export_rows(editor_client, Transfer)
    rows[SPEC.find(rows)]["notes"] = "A valid change."
    page = preview(editor_client, Transfer, to_csv(rows))
    rows[0]["period"] = "no-such-period"  # the stored upload changes between preview and confirm
    stored = Path(tempfile.gettempdir()) / page.context["confirm_form"].initial["import_file_name"]
    stored.write_bytes(to_csv(rows))
    response = confirm(editor_client, Transfer, page)
    assert response.status_code == 302
    assert "Nothing was imported. Row 1" in [str(m) for m in get_messages(response.wsgi_request)][0]
    assert Transfer.objects.get(slug="s-400-2015").notes != "A valid change."


FORMULAE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1+1"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_writes_no_live_formula_and_round_trips(editor_client, file_format):
    transfer = Transfer.objects.get(slug="s-400-2015")
    transfer.notes, transfer.designation = FORMULAE[0], FORMULAE[2]
    transfer.save()
    content = export(editor_client, Transfer, file_format=file_format)
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [cell.value for cell in cells if cell.data_type == "f"]  # no formula cell
        book = tablib.Dataset().load(content, format="xlsx")
    else:
        book = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    row = book[book["slug"].index("s-400-2015")]
    assert row[book.headers.index("notes")] == "'" + FORMULAE[0]
    assert row[book.headers.index("designation")] == "'" + FORMULAE[2]
    # Imported back unchanged: the apostrophe is the export's, not the data's.
    page = preview(editor_client, Transfer, content, file_format=file_format)
    assert page.context["result"].totals["update"] == 0
    assert page.context["result"].totals["skip"] >= 1
