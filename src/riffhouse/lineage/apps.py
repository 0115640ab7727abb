from django.apps import AppConfig


class LineageConfig(AppConfig):
    name = "riffhouse.lineage"
    label = "lineage"
    verbose_name = "Lineage"

    def ready(self) -> None:
        from riffhouse.lineage import receivers  # noqa: F401  (connects them)
