from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PeriodsConfig(AppConfig):
    name = "periods"
    verbose_name = "Timeline: periods, events, figures"

    def ready(self) -> None:
        from . import changes, search, tasks

        changes.connect()
        # The search index first (in-process, quick); the statistics request last, so a
        # worker never counts before the rest of this process has seen the change.
        changes.on_content_change(search.refresh_after_change)
        changes.on_content_change(tasks.enqueue_rebuild_after_change)
        # A database migrated after its content was loaded gets its index here too.
        post_migrate.connect(_rebuild_search_index, sender=self, dispatch_uid="periods-search-post-migrate")


# Above this many events, indexing inside ``migrate`` would hold it for minutes; such a
# database is indexed by ``manage.py rebuild_search_index`` instead (README, Search).
MIGRATE_INDEX_LIMIT = 50_000


def _rebuild_search_index(using: str = "default", **kwargs) -> None:
    """Index a database migrated after its content was loaded; an existing index stays."""
    import logging

    from . import search
    from .models import Event, Period, SearchEntry

    if SearchEntry.objects.exists() or not Period.objects.exists():
        return
    if Event.objects.count() > MIGRATE_INDEX_LIMIT:
        logging.getLogger(__name__).warning("Search index empty: run manage.py rebuild_search_index")
        return
    search.rebuild_search_index()
