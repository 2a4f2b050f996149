"""``manage.py export_datapackage DIR``: the whole knowledge base as a Frictionless Data Package."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from dataset.datapackage import export_datapackage


class Command(BaseCommand):
    help = "Write the knowledge base as a Frictionless Data Package (datapackage.json and one CSV per table) to DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Folder to write into (created if missing).")

    def handle(self, *args, **options):
        path = export_datapackage(options["directory"])
        self.stdout.write(f"Data package written: {path} (validate with: frictionless validate {path})")
