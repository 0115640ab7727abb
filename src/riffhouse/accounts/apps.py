from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "riffhouse.accounts"
    label = "accounts"
    verbose_name = "Accounts"
