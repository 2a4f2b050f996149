"""``python manage.py import_sipri FILE``: import a SIPRI trade-register CSV export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transfers.sipri import SipriImportError, import_sipri_register


def read_export(path: Path) -> str:
    """SIPRI's exports are UTF-8 (sometimes with a BOM); older ones are Windows-1252."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


class Command(BaseCommand):
    help = (
        "Import a SIPRI Arms Transfers Database trade register (CSV export) as transfers cited to the export. "
        "All or nothing; re-importing the same file updates instead of duplicating."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The trade-register CSV file exported from SIPRI.")
        parser.add_argument(
            "--document", help="Slug of the document that stands for this export (default: from the file name)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, keep nothing.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            result = import_sipri_register(
                text=read_export(path),
                file_name=path.name,
                document_slug=options["document"],
                dry_run=options["dry_run"],
            )
        except SipriImportError as exc:
            details = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(f"{path.name}: nothing was imported.\n{details}") from exc
        self.stdout.write(self.style.SUCCESS(f"{path.name}: {result}"))
