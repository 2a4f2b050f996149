from django.apps import AppConfig


class AggregatesConfig(AppConfig):
    name = "aggregates"
    verbose_name = "Aggregate statistics"

    def ready(self) -> None:
        # Imported once the app registry is ready (they use the models).
        from ground import change_bus
        from ground.health import register_probe

        from . import tasks
        from .health import statistics_probe

        change_bus.on_content_change(tasks.enqueue_rebuild_after_change)
        register_probe("statistics", statistics_probe)
