from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "riffhouse.moderation"
    label = "moderation"
    verbose_name = "Moderation"
