"""The two search engines behind one interface (decision 0035): SQLite's FTS5 and
PostgreSQL's full text. `backend()` picks the one for the default connection's vendor;
everything else in search calls only the `Backend` methods, so the selectors and services
read the same on both.

Both rank by a text score with field weights — title above tags above description above
the body and usage notes — times a small recency boost (at most +25%, halving after about
a month), so that among equally good matches the newer comes first but a much better
match is never buried by age. Both read and write with raw SQL: the engines' tables are
not Django models (one exists on each vendor only).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import connection

# Largest share of the score recency can add (a brand-new document: +25%).
RECENCY_BOOST = 0.25
# Body text kept in the index per document: a long text is found by its first pages.
BODY_LIMIT = 100_000


@dataclass(frozen=True)
class Document:
    """What is indexed of one thing: the filters (on its `SearchEntry`) and its text."""

    type: str
    object_id: int
    dated: datetime
    title: str
    description: str = ""
    body: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    kind: str = ""
    licence: str = ""
    remix_policy: str = ""


@dataclass(frozen=True)
class Query:
    """A search as the engines take it: safe `terms` (letters, digits and marks only, see
    `selectors.query_terms`), the last one a prefix when `prefix`, and the filters."""

    type: str
    terms: tuple[str, ...]
    prefix: bool = False
    kind: str | None = None
    licence: str | None = None
    remix_policy: str | None = None
    tag: str | None = None


class Backend(Protocol):
    def write(self, documents: Sequence[tuple[int, Document]]) -> None:
        """Index each document's text under its entry id (replacing any text there)."""

    def remove(self, entry_ids: Sequence[int]) -> None:
        """Forget the text of these entries."""

    def clear(self) -> None:
        """Forget all text (a rebuild follows)."""

    def search(self, query: Query, *, offset: int, limit: int) -> list[int]:
        """The object ids of the best matches, best first (one query)."""


def _filters(query: Query) -> tuple[str, list[Any]]:
    sql = ["e.type = %s"]
    params: list[Any] = [query.type]
    for column in ("kind", "licence", "remix_policy"):
        value = getattr(query, column)
        if value:
            sql.append(f"e.{column} = %s")
            params.append(value)
    if query.tag:
        sql.append("{position}(e.tags, %s) > 0")
        params.append(f"|{query.tag}|")
    return " AND ".join(sql), params


class SqliteBackend:
    """FTS5 (`search_fts`, columns title, tags, description, body, notes; rowid = entry id),
    ranked by bm25 (lower is better) with per-column weights."""

    WEIGHTS = "10.0, 5.0, 3.0, 1.0, 1.0"

    def write(self, documents: Sequence[tuple[int, Document]]) -> None:
        if not documents:
            return
        self.remove([entry_id for entry_id, _ in documents])
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, tags, description, body, notes) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        entry_id,
                        doc.title,
                        ", ".join(doc.tags),
                        doc.description,
                        doc.body[:BODY_LIMIT],
                        doc.notes,
                    )
                    for entry_id, doc in documents
                ],
            )

    def remove(self, entry_ids: Sequence[int]) -> None:
        if not entry_ids:
            return
        marks = ", ".join(["%s"] * len(entry_ids))
        with connection.cursor() as cursor:
            sql = f"DELETE FROM search_fts WHERE rowid IN ({marks})"  # noqa: S608 - placeholders
            cursor.execute(sql, list(entry_ids))

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    @staticmethod
    def match(query: Query) -> str:
        """An FTS5 expression of quoted terms (implicitly ANDed); no operator of the user's
        survives, because the terms hold letters, digits and marks only."""
        quoted = [f'"{term}"' for term in query.terms]
        if query.prefix:
            quoted[-1] += "*"
        return " ".join(quoted)

    def search(self, query: Query, *, offset: int, limit: int) -> list[int]:
        where, params = _filters(query)
        sql = (
            # Only constants and placeholders are interpolated: the text goes as parameters.
            "SELECT e.object_id FROM search_fts "  # noqa: S608
            "JOIN search_searchentry e ON e.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {where.format(position='instr')} "
            f"ORDER BY bm25(search_fts, {self.WEIGHTS}) * (1.0 + %s / (1.0 + "
            "(julianday('now') - julianday(e.dated)) / 30.0)), e.id DESC "
            "LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match(query), *params, RECENCY_BOOST, limit, offset])
            return [row[0] for row in cursor.fetchall()]


class PostgresBackend:
    """`search_document` (entry id, a `tsvector` weighted A title, B tags, C description,
    D body and usage notes; a GIN index), ranked by `ts_rank_cd` with those weights. The
    `simple` configuration (no stemming, no stop words: members write in many languages),
    on text lower-cased here so that case folds the same whatever the database's locale."""

    WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A

    def write(self, documents: Sequence[tuple[int, Document]]) -> None:
        if not documents:
            return
        self.remove([entry_id for entry_id, _ in documents])
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document (entry_id, document) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'C') || "
                "setweight(to_tsvector('simple', %s), 'D'))",
                [
                    (
                        entry_id,
                        doc.title.lower(),
                        ", ".join(doc.tags).lower(),
                        doc.description.lower(),
                        f"{doc.body[:BODY_LIMIT]}\n{doc.notes}".lower(),
                    )
                    for entry_id, doc in documents
                ],
            )

    def remove(self, entry_ids: Sequence[int]) -> None:
        if not entry_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE entry_id = ANY(%s)", [list(entry_ids)]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_document")

    @staticmethod
    def tsquery(query: Query) -> str:
        """A `to_tsquery` text of quoted lexemes joined by `&` (terms hold letters, digits
        and marks only, so no operator of the user's survives)."""
        quoted = [f"'{term}'" for term in query.terms]
        if query.prefix:
            quoted[-1] += ":*"
        return " & ".join(quoted)

    def search(self, query: Query, *, offset: int, limit: int) -> list[int]:
        where, params = _filters(query)
        sql = (
            # Only constants and placeholders are interpolated: the text goes as parameters.
            "SELECT e.object_id FROM search_document d "  # noqa: S608
            "JOIN search_searchentry e ON e.id = d.entry_id "
            "CROSS JOIN to_tsquery('simple', %s) q "
            f"WHERE d.document @@ q AND {where.format(position='strpos')} "
            f"ORDER BY ts_rank_cd('{self.WEIGHTS}', d.document, q) * (1.0 + %s / (1.0 + "
            "extract(epoch FROM (now() - e.dated)) / 2592000.0)) DESC, e.id DESC "
            "LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.tsquery(query), *params, RECENCY_BOOST, limit, offset])
            return [row[0] for row in cursor.fetchall()]


def backend() -> Backend:
    """The engine for the default connection: PostgreSQL's full text there, FTS5 otherwise."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
