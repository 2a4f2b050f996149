"""The whole knowledge base as a Frictionless Data Package, read by ``frictionless``."""

import csv
import io
import json
import zipfile

import pytest
from frictionless import Package, validate

from aggregates import statistics
from sources.models import Citation, Endnote
from tests.factories import TransferFactory
from transfers.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(tmp_path, call, settings):
    statistics.rebuild()
    output = call("export_datapackage", str(tmp_path / "mtc"))
    assert "Data package written" in output
    return tmp_path / "mtc" / "datapackage.json"


def rows(package_path, table: str) -> list[dict[str, str]]:
    with (package_path.parent / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_exported_package_is_valid_for_frictionless(package):
    report = validate(str(package))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:20]
    assert len(report.tasks) == 24  # one per table: the analyses, the systems and their link tables included
    assert rows(package, "endnotes")[30]["id"] == "csis-mtc-primer-2020/31"
    assert len(rows(package, "endnotes")) == Endnote.objects.count() == 73
    assert len(rows(package, "citations")) == Citation.objects.count()
    assert len(rows(package, "transfers")) == Transfer.objects.count()
    assert {r["scope"] for r in rows(package, "statistics")} >= {"transfers", "transfers/period/2014-present"}


def test_package_describes_types_keys_licence_and_source(package):
    described = Package(str(package))
    transfers = described.get_resource("transfers").schema
    assert transfers.primary_key == ["slug"]
    assert {fk["fields"][0] for fk in transfers.foreign_keys} == {"supplier", "recipient", "period"}
    assert transfers.get_field("year_ordered").type == "integer"
    assert transfers.get_field("year_ordered").constraints["minimum"] == 0
    assert transfers.get_field("value_usd").type == "integer"
    assert transfers.get_field("tiv_per_unit").type == "number"
    assert "delivered" in transfers.get_field("status").constraints["enum"]
    citations = described.get_resource("citations").schema
    assert citations.foreign_keys == [{"fields": ["endnote"], "reference": {"resource": "endnotes", "fields": ["id"]}}]
    descriptor = json.loads(package.read_text())
    assert descriptor["licenses"][0]["name"] == "ODC-By-1.0"
    assert "Sino-Russian Military-Technical Cooperation: A Primer" in descriptor["sources"][0]["title"]


def test_a_broken_foreign_key_is_caught(package):
    """The validation above checks the relations: a citation of a missing endnote fails it."""
    path = package.parent / "data" / "citations.csv"
    text = path.read_text(encoding="utf-8").replace("csis-mtc-primer-2020/31", "csis-mtc-primer-2020/999", 1)
    path.write_text(text, encoding="utf-8")
    report = validate(str(package))
    assert not report.valid
    assert ["foreign-key"] in report.flatten(["type"])


def test_download_is_the_package_zipped_and_rebuilt_after_a_change(client, settings, tmp_path):
    settings.DATAPACKAGE_DIR = tmp_path / "cache"
    response = client.get("/data/mtc-timeline.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="mtc-timeline.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "mtc-timeline/datapackage.json" in archive.namelist()
    first = sorted(p.name for p in (tmp_path / "cache").iterdir())
    client.get("/data/mtc-timeline.zip")
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == first  # cached per data version
    TransferFactory(slug="after-the-first-download")
    response = client.get("/data/mtc-timeline.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    transfers = archive.read("mtc-timeline/data/transfers.csv").decode()
    assert "after-the-first-download" in transfers
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) != first
