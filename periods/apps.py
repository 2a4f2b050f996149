from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "periods"
    verbose_name = "Timeline: periods, events, figures"

    def ready(self) -> None:
        from . import changes, tasks

        changes.connect()
        changes.on_content_change(tasks.enqueue_rebuild_after_change)
