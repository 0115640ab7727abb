"""`riffhouse tempfiles_sweep`: remove temporary files (uploads, processing folders) left by
Riffhouse processes that were killed, once they are TEMP_SWEEP_MIN_AGE_SECONDS old; never a
file a live process holds. `serve` and every `db_worker` run it when they start and `serve`
every few minutes; on machines that only serve the web, run it from cron."""

from typing import Any

from django.core.management.base import BaseCommand

from riffhouse.core.tempfiles import tempfiles_sweep


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--min-age",
            type=float,
            default=None,
            help="Seconds a file must be old to go (default: TEMP_SWEEP_MIN_AGE_SECONDS).",
        )

    def handle(self, *args: Any, min_age: float | None, **options: Any) -> None:
        removed, freed = tempfiles_sweep(min_age_seconds=min_age)
        if options["verbosity"] and (removed or options["verbosity"] > 1):
            self.stdout.write(
                f"Removed {removed} temporary file(s) left by stopped processes "
                f"({freed / 1024 / 1024:.1f} MB)."
            )
