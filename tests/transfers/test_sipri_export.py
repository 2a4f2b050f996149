"""SIPRI out as well as in: the register's fields in the API and CSV, and ?format=sipri read back by import_sipri."""

import csv
import io

import pytest

from sources.models import Citation, Document, Endnote
from tests.transfers.sipri_files import KILO, MI171, S400, SU35, write_register
from transfers.models import Transfer
from transfers.sipri import HEADER, parse_register

pytestmark = pytest.mark.django_db

# In the list's (chronological) order, as a register sorted by year of order is.
CHRONOLOGICAL = [KILO, S400, SU35, MI171]


def snapshot() -> dict:
    """Everything an import could touch, compared field by field."""
    return {
        "transfers": list(Transfer.objects.order_by("slug").values()),
        "history": Transfer.history.count(),
        "citations": list(Citation.objects.order_by("pk").values()),
        "endnotes": list(Endnote.objects.order_by("pk").values()),
        "documents": list(Document.objects.order_by("pk").values()),
    }


@pytest.fixture
def imported(tmp_path, call):
    call("import_sipri", str(write_register(tmp_path, rows=CHRONOLOGICAL)))


def test_sipri_fields_are_in_the_transfer_api_and_csv(api, imported):
    results = api.get("/api/transfers/", {"page_size": 500}).json()["results"]
    item = next(t for t in results if t["slug"].startswith("sipri-russia-china-s-400"))
    assert (item["year_ordered_uncertain"], item["number_ordered_uncertain"], item["number_delivered_uncertain"]) == (
        True,
        True,
        False,
    )
    assert (item["sipri_status"], item["tiv_per_unit"], item["tiv_total_order"], item["tiv_delivered"]) == (
        "New",
        "250.000",
        "1000.000",
        "500.000",
    )
    response = api.get("/api/transfers/", {"page_size": 500, "format": "csv"})
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    row = rows[item["slug"]]
    assert (row["sipri_status"], row["tiv_total_order"], row["year_ordered_uncertain"]) == ("New", "1000.000", "true")


def test_format_sipri_is_a_register_import_sipri_reads(api, imported):
    response = api.get("/api/transfers/", {"format": "sipri"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    lines = text.splitlines()
    assert next(csv.reader([lines[11]])) == HEADER  # the 12th line, after SIPRI's 11-line preamble
    register = list(csv.reader(io.StringIO("\n".join(lines[12:]))))
    assert len(register) == Transfer.objects.count()  # the whole selection, not a page
    su35 = next(r for r in register if r[6] == "Su-35" and r[11] == "New")
    assert su35 == SU35


def test_exporting_and_re_importing_a_register_changes_nothing(api, imported, tmp_path, call):
    # The report's own deals mostly lack a year of order and a SIPRI status, which the
    # importer (like SIPRI) requires: keep only the imported register's deals.
    report_deals = Transfer.objects.exclude(slug__startswith="sipri-")
    Citation.objects.filter(content_type__model="transfer", object_id__in=report_deals.values("pk")).delete()
    report_deals.delete()
    before = snapshot()
    response = api.get("/api/transfers/", {"format": "sipri"})
    rows = parse_register(response.content.decode())
    assert [(r.designation, r.year_ordered) for r in rows] == [
        ("Kilo", 2011),
        ("S-400", 2014),
        ("Su-35", 2015),
        ("Mi-171E", 2016),
    ]
    export = tmp_path / "trade-register.csv"  # the same file name: the same export document
    export.write_bytes(response.content)
    output = call("import_sipri", str(export))
    assert "0 created, 0 updated, 4 unchanged" in output
    assert snapshot() == before
