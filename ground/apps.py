from django.apps import AppConfig


class GroundConfig(AppConfig):
    name = "ground"
    verbose_name = "Plumbing: data version"

    def ready(self) -> None:
        from . import change_bus, schema_filters  # noqa: F401 - receivers connect and schema extensions register once the models are loaded

        change_bus.connect()
