from django.core.management.base import BaseCommand

from ground import stored_rows


class Command(BaseCommand):
    help = (
        "Build every stored API row again from the current records (after the tables were edited by hand; "
        "writes through the site, the admin and the API keep them current by themselves)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only the rows that are empty, stale or missing.")

    def handle(self, *args, **options):
        built = stored_rows.refresh(everything=not options["missing"])
        self.stdout.write(f"Stored API rows built: {built}.")
