"""`riffhouse api_snapshot`: rewrite the OpenAPI snapshot after a deliberate API change
(then review its diff); `--check` only compares, as the test does."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from riffhouse.api.snapshot import SNAPSHOT, schema_render


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Fail if the snapshot differs; write nothing."
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        rendered = schema_render()
        current = SNAPSHOT.read_text() if SNAPSHOT.exists() else None
        if check:
            if current != rendered:
                raise CommandError(
                    f"{SNAPSHOT} is missing or out of date: run `riffhouse api_snapshot`."
                )
            self.stdout.write("The API schema matches the snapshot.")
            return
        if current == rendered:
            self.stdout.write("The API schema matches the snapshot; nothing to write.")
            return
        SNAPSHOT.write_text(rendered)
        self.stdout.write(f"Wrote {SNAPSHOT}; review the diff before committing it.")
