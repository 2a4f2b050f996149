from django.apps import AppConfig


class GroundConfig(AppConfig):
    name = "ground"
    verbose_name = "Plumbing: data version"

    def ready(self) -> None:
        from . import change_bus  # signal receivers connect once the models are loaded

        change_bus.connect()
