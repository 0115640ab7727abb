"""What search knows of each thing it finds (decision 0035).

`SearchEntry` is one row per listed record, active member and public production, on every
database: what the filters need (type, kind, licence, remix policy, tags) and the date the
ranking's small recency boost reads. The words themselves live in the engine's own table,
keyed by the entry's id and created by the migration for one vendor only:
`search_fts` (an SQLite FTS5 virtual table) or `search_document` (PostgreSQL, a weighted
`tsvector` with a GIN index), each with the filters as words in a `facets` column that the
engine matches itself (decision 0039): the filter columns here are what those words are
written from. Only search's services write either (`search.services`).
"""

from django.db import models


class EntryType(models.TextChoices):
    RECORD = "record", "Records"
    MEMBER = "member", "Members"
    PRODUCTION = "production", "Productions"


class SearchEntry(models.Model):
    """One thing search can find. `object_id` points at a record, a member or a production
    (by `type`); the row is written and removed by the services that index them, in the
    transaction of the change. `tags` is `|`-delimited (`|lullaby|field recording|`) so
    that one tag filters with a substring test (tag names never hold `|`)."""

    type = models.CharField(max_length=12, choices=EntryType.choices)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=12, blank=True)
    licence = models.CharField(max_length=16, blank=True)
    remix_policy = models.CharField(max_length=8, blank=True)
    tags = models.TextField(blank=True)
    # Publication (records), joining (members) or creation (productions): the recency boost.
    dated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id"], name="search_entry_unique"),
            models.CheckConstraint(
                condition=models.Q(type__in=EntryType.values), name="search_entry_type_valid"
            ),
        ]
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.type} {self.object_id}"
