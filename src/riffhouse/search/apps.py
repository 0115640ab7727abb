from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "riffhouse.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from riffhouse.accounts import hooks as accounts_hooks
        from riffhouse.lineage import hooks as lineage_hooks
        from riffhouse.productions import hooks as productions_hooks
        from riffhouse.records import hooks as records_hooks
        from riffhouse.search import services

        # The index changes in the transaction of the write it follows (decision 0035).
        records_hooks.after_publish.register(services.search_on_record)
        records_hooks.after_visibility_change.register(services.search_on_record)
        records_hooks.after_change.register(services.search_on_record)
        records_hooks.after_delete.register(services.search_on_records_deleted)
        lineage_hooks.after_remix_created.register(services.search_on_remix_created)
        accounts_hooks.after_profile_change.register(services.search_on_profile_change)
        accounts_hooks.after_member_joined.register(services.search_on_member_joined)
        accounts_hooks.after_account_delete.register(services.search_on_account_delete)
        productions_hooks.after_change.register(services.search_on_production)
        productions_hooks.after_release.register(services.search_on_release)
