from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "riffhouse.search"
    label = "search"
    verbose_name = "Search"
