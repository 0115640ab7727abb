from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "riffhouse.core"
    label = "core"
    verbose_name = "Core"
