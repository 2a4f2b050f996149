from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search index"

    def ready(self) -> None:
        # Imported once the app registry is ready (they use the models).
        from ground import change_bus

        from . import documents, index, tasks

        documents.register_documents()

        # The search index before the statistics request (aggregates registers after
        # this app), so a worker never counts before this process has seen the change.
        change_bus.on_content_change(index.refresh_after_change)
        # The common words' summaries (search.common_words) read the refreshed index; they
        # are asked for last, after the statistics, whose request must meet the broker first.
        change_bus.on_content_change(tasks.enqueue_after_change, last=True)
        # A database migrated after its content was loaded gets its index here too.
        post_migrate.connect(index.rebuild_index_after_migrate, sender=self, dispatch_uid="search-post-migrate")
