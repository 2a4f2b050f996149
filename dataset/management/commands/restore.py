"""``manage.py restore FILE``: replace the database's content with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataset.backups import restore


class Command(BaseCommand):
    help = "Replace all content with the backup in FILE (one transaction), then rebuild statistics."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            version = restore(path=file)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {file}; data version is now {version}"))
