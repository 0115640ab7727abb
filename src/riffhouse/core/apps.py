from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "riffhouse.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from riffhouse.core import page_cache
        from riffhouse.core.sessions import read_with_session

        # Every logged-in page asks the cache generations: read with its session.
        read_with_session(
            name="generations",
            columns=page_cache.GENERATIONS_COLUMNS,
            take=page_cache.generations_taken,
        )
