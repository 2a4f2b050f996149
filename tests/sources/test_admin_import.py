"""Importing and exporting endnotes and sources through the admin."""

import json

import pytest

from sources.models import Endnote, Source
from tests.admin_import import ImportContract, ImportSpec, export_rows

pytestmark = pytest.mark.django_db

SPECS = [
    ImportSpec(
        model=Endnote,
        query="ibid_of__isempty=0",
        expected=lambda: Endnote.objects.exclude(ibid_of=None),
        key={"document": "csis-mtc-primer-2020", "number": "31"},
        column="remarks",
        new_value="Checked against the PDF.",
        bad_column="ibid_of",
        bad_value="99",
        error_field="ibid_of",
        error="no endnote 99 in document 'csis-mtc-primer-2020' for Ibid.",
    ),
    ImportSpec(
        model=Source,
        query="kind__exact=chapter",
        expected=lambda: Source.objects.filter(kind="chapter"),
        key={"slug": "meick-2017"},
        column="remarks",
        new_value="Seen in print.",
        bad_column="kind",
        bad_value="pamphlet",
        error_field="kind",
        error="Value 'pamphlet' is not a valid choice.",
    ),
]


@pytest.mark.parametrize("spec", SPECS, ids=str)
class TestSourcesImport(ImportContract):
    pass


def test_authors_export_as_json_lists(editor_client):
    rows = {r["slug"]: r for r in export_rows(editor_client, Source)}
    assert json.loads(rows["meick-2017"]["authors"]) == [{"family": "Meick", "given": "Ethan"}]
