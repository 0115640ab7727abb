from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "riffhouse.productions"
    label = "productions"
    verbose_name = "Productions"
