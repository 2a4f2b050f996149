"""``manage.py backup FILE``: dump content, history and users to a JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand

from dataset.backups import backup


class Command(BaseCommand):
    help = "Write a portable JSON backup (content, history, users) to FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        backup(path=file)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {file} ({file.stat().st_size:,} bytes)"))
