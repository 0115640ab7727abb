"""`riffhouse records_sweep`: mark versions stuck in processing as failed (a worker died in
the middle of a job), and remove files kept after a form error that nobody came back for
(`records.staging`). `riffhouse serve` runs it every few minutes; in production run it from
cron or a timer."""

from typing import Any

from django.core.management.base import BaseCommand

from riffhouse.records.processing import versions_sweep
from riffhouse.records.staging import staged_uploads_sweep


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        count = versions_sweep()
        staged = staged_uploads_sweep()
        if options["verbosity"]:
            self.stdout.write(
                f"Marked {count} stuck version(s) as failed; removed {staged} expired kept "
                "upload(s)."
            )
