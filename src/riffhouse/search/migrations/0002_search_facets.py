"""The filters as words in the index (decision 0039): a `facets` column in SQLite's FTS5 table
(made again, as FTS5 cannot add a column, with the text copied over, and with prefix
indexes of 3 to 6 characters for results as you type) and a `facets`
`tsvector` with its own GIN index on PostgreSQL, both filled from the entries' filters.

The facet words are written here as `search.backends.facet_tokens` writes them (a letter
and the value's UTF-8 in hex), kept in this file so that the migration stays what it was
when the backend changes."""

from typing import Any

from django.db import migrations

BATCH = 2000

FTS_0001 = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, tags, description, body, notes, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '3')"
)
FTS_0002 = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, tags, description, body, notes, facets, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4 5 6')"
)


def _facets(entry: dict[str, Any]) -> str:
    tokens = [f"t{entry['type'].encode().hex()}"]
    for letter, column in (("k", "kind"), ("l", "licence"), ("p", "remix_policy")):
        if entry[column]:
            tokens.append(f"{letter}{entry[column].encode().hex()}")
    tokens += [f"g{tag.encode().hex()}" for tag in entry["tags"].split("|") if tag]
    return " ".join(tokens)


def _entries(apps: Any) -> Any:
    SearchEntry = apps.get_model("search", "SearchEntry")
    rows = SearchEntry.objects.order_by("pk").values(
        "id", "type", "kind", "licence", "remix_policy", "tags"
    )
    batch: list[dict[str, Any]] = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def forwards(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ALTER TABLE search_fts RENAME TO search_fts_0001")
            cursor.execute(FTS_0002)
            for batch in _entries(apps):
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, tags, description, body, notes, facets) "
                    "SELECT rowid, title, tags, description, body, notes, %s "
                    "FROM search_fts_0001 WHERE rowid = %s",
                    [(_facets(entry), entry["id"]) for entry in batch],
                )
            cursor.execute("DROP TABLE search_fts_0001")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE search_document ADD COLUMN facets tsvector NOT NULL DEFAULT ''"
            )
            for batch in _entries(apps):
                cursor.executemany(
                    "UPDATE search_document SET facets = to_tsvector('simple', %s) "
                    "WHERE entry_id = %s",
                    [(_facets(entry), entry["id"]) for entry in batch],
                )
            cursor.execute("ALTER TABLE search_document ALTER COLUMN facets DROP DEFAULT")
            cursor.execute(
                "CREATE INDEX search_document_facets_gin ON search_document USING GIN (facets)"
            )
            # Searches plan on the new column's statistics; autovacuum would come later.
            cursor.execute("ANALYZE search_document")


def backwards(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ALTER TABLE search_fts RENAME TO search_fts_0002")
            cursor.execute(FTS_0001)
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, tags, description, body, notes) "
                "SELECT rowid, title, tags, description, body, notes FROM search_fts_0002"
            )
            cursor.execute("DROP TABLE search_fts_0002")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX search_document_facets_gin")
            cursor.execute("ALTER TABLE search_document DROP COLUMN facets")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
