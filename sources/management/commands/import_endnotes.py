"""``python manage.py import_endnotes FILE --document SLUG``: a report's endnote list into the knowledge base."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.import_services import import_endnotes
from sources.importer import EndnoteImportError
from sources.models import Document


class Command(BaseCommand):
    help = (
        "Import a report-style numbered endnote list (numbers as '¹', '1.' or '1'; Ibid.; short forms; "
        "several works per note separated by ';') into endnotes and deduplicated sources. "
        "All-or-nothing; re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 text file holding the numbered endnote list.")
        parser.add_argument("--document", required=True, help="Slug of the document the notes belong to.")

    def handle(self, *args, file, document, **options):
        try:
            doc = Document.objects.get(slug=document)
        except Document.DoesNotExist as exc:
            raise CommandError(f"--document: no document with slug '{document}'; create it first.") from exc
        try:
            text = Path(file).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CommandError(f"FILE: '{file}' does not exist.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"FILE: '{file}' is not UTF-8 text.") from exc
        try:
            report = import_endnotes(document=doc, text=text)
        except EndnoteImportError as exc:
            raise CommandError(f"{file}: {exc} Nothing was imported.") from exc

        total = report.notes_created + report.notes_updated + report.notes_unchanged
        self.stdout.write(
            f"Imported {total} notes into {doc.slug}: {report.notes_created} created, "
            f"{report.notes_updated} updated, {report.notes_unchanged} unchanged. "
            f"Sources: {len(report.sources_created)} created, {report.sources_matched} matched existing."
        )
        for slug in report.sources_created:
            self.stdout.write(f"  new source: {slug}")
        if report.unresolved:
            self.stdout.write(f"Could not resolve ({len(report.unresolved)}):")
            for line in report.unresolved:
                self.stdout.write(f"  {line}")
        if report.warnings:
            self.stdout.write(f"Warnings ({len(report.warnings)}):")
            for line in report.warnings:
                self.stdout.write(f"  {line}")
