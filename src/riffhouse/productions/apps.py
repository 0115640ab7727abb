from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "riffhouse.productions"
    label = "productions"
    verbose_name = "Productions"

    def ready(self) -> None:
        from riffhouse.productions import submissions
        from riffhouse.records import hooks as record_hooks

        # A remix of a need's seed (or an upload) started from the need and still waiting
        # to be published is submitted to the need the moment it is.
        record_hooks.after_publish.register(submissions.pending_submit)
