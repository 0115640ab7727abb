from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "riffhouse.ledger"
    label = "ledger"
    verbose_name = "Ledger"
