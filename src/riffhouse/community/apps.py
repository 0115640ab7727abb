from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "riffhouse.community"
    label = "community"
    verbose_name = "Community"
