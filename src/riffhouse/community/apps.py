from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "riffhouse.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from riffhouse.community import services
        from riffhouse.lineage import hooks as lineage_hooks

        # Lineage's changes become notifications, written in the change's transaction.
        lineage_hooks.after_remix_created.register(services.notify_remix_created)
        lineage_hooks.after_remix_requested.register(services.notify_remix_requested)
        lineage_hooks.after_remix_request_decided.register(services.notify_remix_request_decided)
