from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline, record pages and citing selections"

    def ready(self):
        from ground.fragment_cache import compute_on_start
        from ground.worker_start import answer_on_start

        from .warm_up import timeline_fragments, typical_paths

        compute_on_start(timeline_fragments)
        answer_on_start(typical_paths)
