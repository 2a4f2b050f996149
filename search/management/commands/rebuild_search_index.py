from django.core.management.base import BaseCommand

from search.index import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the current content (it is also rebuilt after every change)."

    def handle(self, *args, **options):
        count = rebuild_search_index()
        self.stdout.write(f"Search index rebuilt: {count} entries.")
