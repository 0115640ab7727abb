from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "riffhouse.records"
    label = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        from riffhouse.records import receivers  # noqa: F401  (connects the receivers)
