import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Above this many events, indexing inside ``migrate`` would hold it for minutes; such a
# database is indexed by ``manage.py rebuild_search_index`` instead (README, Search).
MIGRATE_INDEX_LIMIT = 50_000


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search index"

    def ready(self) -> None:
        # Imported once the app registry is ready (they use the models).
        from ground import change_bus

        from . import index

        # The search index before the statistics request (aggregates registers after
        # this app), so a worker never counts before this process has seen the change.
        change_bus.on_content_change(index.refresh_after_change)
        # A database migrated after its content was loaded gets its index here too.
        post_migrate.connect(rebuild_index_after_migrate, sender=self, dispatch_uid="search-post-migrate")


def rebuild_index_after_migrate(using: str = "default", **kwargs) -> None:
    """Index a database migrated after its content was loaded; an existing index stays."""
    # apps.py is imported before the models exist; this runs after they do.
    from periods.models import Event, Period

    from . import index
    from .models import SearchEntry

    if SearchEntry.objects.exists() or not Period.objects.exists():
        return
    if Event.objects.count() > MIGRATE_INDEX_LIMIT:
        logging.getLogger(__name__).warning("Search index empty: run manage.py rebuild_search_index")
        return
    index.rebuild_search_index()
