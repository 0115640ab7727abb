from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "riffhouse.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from riffhouse.community import receivers  # noqa: F401  (connects the receivers)
