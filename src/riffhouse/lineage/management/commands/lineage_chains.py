"""`riffhouse lineage_chains`: check the chains that speed up ancestry walks
(lineage.chains, decision 0013), and with `--rebuild` rebuild them from the links. The
application keeps them as it writes; run this after writing links some other way, such as a
bulk import."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from riffhouse.lineage.chains import chains_check, chains_rebuild


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="set every link's chain columns again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            with transaction.atomic():
                continuing = chains_rebuild()
            self.stdout.write(f"Rebuilt the chains: {continuing} link(s) continue one.")
        problems = chains_check()
        for problem in problems[:50]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) in the chains; `--rebuild` sets them again."
            )
        if options["verbosity"]:
            self.stdout.write("The chains are consistent.")
