"""`riffhouse records_covers`: give every processed audio version that has none a cover
drawn from its waveform (versions processed before covers existed). It enqueues one job per
version on the media queue, which the worker runs; the jobs read the waveform already
stored, so they are quick and never decode the audio again. Safe to run twice."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from riffhouse.records.processing import versions_without_cover
from riffhouse.records.tasks import version_cover_task


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        ids = versions_without_cover()
        with transaction.atomic():
            for version_id in ids:
                version_cover_task.enqueue(version_id=version_id)
        if options["verbosity"]:
            self.stdout.write(f"Enqueued covers for {len(ids)} audio version(s).")
