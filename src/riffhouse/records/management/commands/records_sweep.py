"""`riffhouse records_sweep`: mark versions stuck in processing as failed (a worker died in
the middle of a job). `riffhouse serve` runs it every few minutes; in production run it from
cron or a timer."""

from typing import Any

from django.core.management.base import BaseCommand

from riffhouse.records.processing import versions_sweep


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        count = versions_sweep()
        if options["verbosity"]:
            self.stdout.write(f"Marked {count} stuck version(s) as failed.")
