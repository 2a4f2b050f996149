"""``python manage.py load_report``: load the curated CSIS primer dataset."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataset.loader import DATA_DIR, DatasetError, load_report


class Command(BaseCommand):
    help = "Load the curated report (dataset/data/report) into the database. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=DATA_DIR, help="Folder of the YAML data files.")

    def handle(self, *args, **options):
        try:
            summary = load_report(directory=options["data"])
        except DatasetError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        for model in sorted(set(summary.created) | set(summary.updated) | set(summary.unchanged)):
            self.stdout.write(
                f"  {model}: {summary.created[model]} created, {summary.updated[model]} updated, "
                f"{summary.unchanged[model]} unchanged"
            )
        self.stdout.write(self.style.SUCCESS(f"Report loaded: {summary}"))
