from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "riffhouse.api"
    label = "api"
    verbose_name = "API"
