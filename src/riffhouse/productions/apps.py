from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "riffhouse.productions"
    label = "productions"
    verbose_name = "Productions"

    def ready(self) -> None:
        from riffhouse.accounts import hooks as account_hooks
        from riffhouse.productions import show_cache, submissions
        from riffhouse.records import hooks as record_hooks

        # A remix of a need's seed (or an upload) started from the need and still waiting
        # to be published is submitted to the need the moment it is.
        record_hooks.after_publish.register(submissions.pending_submit)
        # What a released page shows that can change after release: its cached fragment's
        # version moves with it (decision 0026).
        record_hooks.after_delete.register(show_cache.show_version_bump_for_deleted)
        record_hooks.after_visibility_change.register(show_cache.show_version_bump_for_visibility)
        account_hooks.after_profile_change.register(show_cache.show_version_bump_for_member)
        account_hooks.after_account_delete.register(show_cache.show_version_bump_for_member)
