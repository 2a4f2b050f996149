from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GroundConfig(AppConfig):
    name = "ground"
    verbose_name = "Plumbing: data version"

    def ready(self) -> None:
        from . import change_bus, schema_filters  # noqa: F401 - receivers connect and schema extensions register once the models are loaded

        change_bus.connect()

        from . import stored_rows, tasks

        # After each committed change, the stored API rows of what it changed: last, as
        # they only speed reads up, and the statistics' request must meet the broker first.
        change_bus.on_content_change(tasks.enqueue_after_change, last=True)
        post_migrate.connect(stored_rows.rebuild_after_migrate, sender=self, dispatch_uid="stored-rows-post-migrate")
