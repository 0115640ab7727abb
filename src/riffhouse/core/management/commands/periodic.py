"""`riffhouse periodic`: list the periodic jobs; `--now` enqueues each of them at once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from riffhouse.core.periodic import periodic_enqueue_all, periodic_registered


class Command(BaseCommand):
    help = "List the periodic jobs (trending, digests); --now enqueues every one of them now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="enqueue every periodic job now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            for name in periodic_enqueue_all():
                self.stdout.write(f"enqueued {name}")
            return
        for entry in periodic_registered():
            self.stdout.write(f"{entry.name}\tevery {entry.every}")
