from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = "Arms transfers and joint projects"

    def ready(self) -> None:
        from ground import stored_rows

        from .serializers import TransferSerializer

        # The table that grows to a million rows: its API rows are stored ready to send.
        stored_rows.store(TransferSerializer)
