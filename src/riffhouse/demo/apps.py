from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "riffhouse.demo"
    label = "demo"
    verbose_name = "Demo"
