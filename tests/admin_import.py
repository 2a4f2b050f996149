"""Helpers for import/export tests: export through the admin, import with preview and confirm."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from tests.admin_helpers import admin_url

FORMATS = {"csv": "0", "xlsx": "1"}  # order of ImportExportContentAdmin.export_formats / import_formats


def export(client, model, query: str = "", file_format: str = "csv"):
    url = admin_url(model, "export") + (f"?{query}" if query else "")
    form = client.get(url).context["form"]
    data = {"format": FORMATS[file_format], "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


def export_rows(client, model, query: str = "") -> list[dict]:
    return list(csv.DictReader(io.StringIO(export(client, model, query).decode("utf-8-sig"))))


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client, model, content: bytes, file_format: str = "csv"):
    upload = SimpleUploadedFile(f"upload.{file_format}", content)
    return client.post(
        admin_url(model, "import"), {"resource": "0", "format": FORMATS[file_format], "import_file": upload}
    )


def confirm(client, model, preview_response):
    form = preview_response.context["confirm_form"]
    return client.post(
        admin_url(model, "process_import"), {**form.initial, "resource": form.initial.get("resource", "0")}
    )


def row_errors(preview_response) -> list[tuple[int, str, list[str]]]:
    """(row number, field, messages) of every invalid row in the preview."""
    result = preview_response.context["result"]
    return [(row.number, field, messages) for row in result.invalid_rows for field, messages in row.error_dict.items()]


@dataclass
class ImportSpec:
    model: type[models.Model]
    query: str  # an admin filter, as in the changelist's query string
    expected: Callable[[], models.QuerySet]  # what that filter should select
    key: dict[str, str]  # columns naming the row to edit
    column: str
    new_value: str
    bad_column: str
    bad_value: str
    error_field: str
    error: str

    def __str__(self) -> str:
        return self.model.__name__

    def find(self, rows: list[dict]) -> int:
        return next(i for i, row in enumerate(rows) if all(row[k] == v for k, v in self.key.items()))

    def record(self):
        lookup = {("document__slug" if k == "document" else k): v for k, v in self.key.items()}
        return self.model.objects.get(**lookup)


def _key(model, row: dict) -> str:
    return row["slug"] if "slug" in row else f"{row['document']} {row['number']}"


class ImportContract:
    def test_export_is_the_filtered_list(self, spec, editor_client):
        rows = export_rows(editor_client, spec.model, spec.query)
        expected = spec.expected()
        assert rows
        assert len(rows) == expected.count()
        assert {_key(spec.model, r) for r in rows} == {
            r.slug if hasattr(r, "slug") else f"{r.document.slug} {r.number}" for r in expected
        }

    def test_editor_previews_then_imports_a_changed_row(
        self, spec, editor_client, editor, heard, django_capture_on_commit_callbacks
    ):
        rows = export_rows(editor_client, spec.model)
        rows[spec.find(rows)][spec.column] = spec.new_value
        page = preview(editor_client, spec.model, to_csv(rows))
        totals = page.context["result"].totals
        assert (totals["update"], totals["skip"], totals["invalid"]) == (1, len(rows) - 1, 0)
        assert str(getattr(spec.record(), spec.column)) != spec.new_value  # a preview keeps nothing

        with django_capture_on_commit_callbacks(execute=True):
            assert confirm(editor_client, spec.model, page).status_code == 302
        record = spec.record()
        assert str(getattr(record, spec.column)) == spec.new_value
        assert record.history.latest("history_date").history_user == editor
        assert heard == [1]

    def test_a_bad_row_is_reported_by_field_and_nothing_is_imported(self, spec, editor_client):
        rows = export_rows(editor_client, spec.model)
        target = spec.find(rows)
        rows[target][spec.column] = spec.new_value
        bad = (target + 1) % len(rows)
        rows[bad][spec.bad_column] = spec.bad_value
        page = preview(editor_client, spec.model, to_csv(rows))
        errors = row_errors(page)
        assert [(number, field) for number, field, _ in errors] == [(bad + 1, spec.error_field)]
        assert spec.error in " ".join(errors[0][2])
        assert "confirm_form" not in page.context
        assert spec.error in page.content.decode().replace("&lt;", "<").replace("&#x27;", "'")
        assert str(getattr(spec.record(), spec.column)) != spec.new_value

    def test_a_viewer_may_export_but_not_import(self, spec, viewer_client):
        assert export_rows(viewer_client, spec.model)
        rows = export_rows(viewer_client, spec.model)
        assert preview(viewer_client, spec.model, to_csv(rows)).status_code == 403
        assert viewer_client.post(admin_url(spec.model, "process_import"), {}).status_code == 403
