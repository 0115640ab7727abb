from django.apps import AppConfig


class LineageConfig(AppConfig):
    name = "riffhouse.lineage"
    label = "lineage"
    verbose_name = "Lineage"
