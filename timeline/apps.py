from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline, record pages and citing selections"

    def ready(self):
        from ground.fragment_cache import compute_on_start

        from .warm_up import timeline_fragments

        compute_on_start(timeline_fragments)
