from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "riffhouse.records"
    label = "records"
    verbose_name = "Records"
