from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "riffhouse.records"
    label = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        from riffhouse.accounts import hooks as accounts_hooks
        from riffhouse.core.workers import job_abandoned_register
        from riffhouse.records import processing, services
        from riffhouse.records.tasks import version_process_task

        accounts_hooks.after_account_delete.register(services.records_delete_for_account)
        # A version whose processing job's workers kept dying is failed with a reason.
        job_abandoned_register(version_process_task, processing.version_process_abandoned)
