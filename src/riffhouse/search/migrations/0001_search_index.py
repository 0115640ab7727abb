"""The search index: `SearchEntry` on every database, and the engine's table for one vendor
only — an FTS5 virtual table on SQLite, a weighted `tsvector` with a GIN index on
PostgreSQL (decision 0035)."""

from typing import Any

from django.db import migrations, models


class RunSQLFor(migrations.RunSQL):
    """`RunSQL` that runs only when the connection is of `vendor` (a no-op on the other)."""

    def __init__(self, vendor: str, *args: Any, **kwargs: Any) -> None:
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, *args)


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("type", models.CharField(choices=[("record", "Records"), ("member", "Members"), ("production", "Productions")], max_length=12)),
                ("object_id", models.PositiveBigIntegerField()),
                ("kind", models.CharField(blank=True, max_length=12)),
                ("licence", models.CharField(blank=True, max_length=16)),
                ("remix_policy", models.CharField(blank=True, max_length=8)),
                ("tags", models.TextField(blank=True)),
                ("dated", models.DateTimeField()),
            ],
            options={
                "verbose_name_plural": "search entries",
                "constraints": [
                    models.UniqueConstraint(fields=("type", "object_id"), name="search_entry_unique"),
                    models.CheckConstraint(condition=models.Q(("type__in", ["record", "member", "production"])), name="search_entry_type_valid"),
                ],
            },
        ),
        # Columns in ranking order (bm25 weights in search.backends): the rowid is the entry's id.
        RunSQLFor(
            "sqlite",
            sql=(
                "CREATE VIRTUAL TABLE search_fts USING fts5("
                "title, tags, description, body, notes, "
                "tokenize = 'unicode61 remove_diacritics 2', prefix = '3')"
            ),
            reverse_sql="DROP TABLE search_fts",
        ),
        RunSQLFor(
            "postgresql",
            sql=[
                # No foreign key, as FTS5 has none: search's services delete both rows
                # together, and Django's flush (tests) truncates the entries alone.
                "CREATE TABLE search_document ("
                "entry_id bigint PRIMARY KEY, document tsvector NOT NULL)",
                "CREATE INDEX search_document_gin ON search_document USING GIN (document)",
            ],
            reverse_sql="DROP TABLE search_document",
        ),
    ]
