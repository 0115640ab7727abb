from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "riffhouse.records"
    label = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        from riffhouse.accounts import hooks as accounts_hooks
        from riffhouse.records import services

        accounts_hooks.after_account_delete.register(services.records_delete_for_account)
