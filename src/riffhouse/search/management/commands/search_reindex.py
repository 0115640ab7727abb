from typing import Any

from django.core.management.base import BaseCommand

from riffhouse.search.services import search_reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from the database (records, members, productions)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = search_reindex_all()
        self.stdout.write(f"Indexed {count} documents.")
