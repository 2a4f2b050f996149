from django.core.management.base import BaseCommand

from search import common_words


class Command(BaseCommand):
    help = (
        "Keep the search summaries of the index's common words for the current data version "
        "(the worker does it after every write; see README, Search)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compute them again even if kept for this version.")

    def handle(self, *args, force: bool = False, **options):
        refreshed = common_words.refresh(force=force)
        if refreshed.fresh:
            self.stdout.write(f"Common words' summaries already kept for data version {refreshed.version}.")
            return
        words = ", ".join(refreshed.words[:20]) + ("..." if len(refreshed.words) > 20 else "")
        self.stdout.write(
            f"Kept the summaries of {len(refreshed.words)} common words for data version {refreshed.version} "
            f"in {refreshed.seconds:.1f} s: {words}"
        )
