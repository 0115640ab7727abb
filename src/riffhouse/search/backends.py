"""The two search engines behind one interface (decision 0035): SQLite's FTS5 and
PostgreSQL's full text. `backend()` picks the one for the default connection's vendor;
everything else in search calls only the `Backend` methods, so the selectors and services
read the same on both.

Both rank by a text score with field weights — title above tags above description above
the body and usage notes — times a small recency boost (at most +25%, halving after about
a month), so that among equally good matches the newer comes first but a much better
match is never buried by age. Both rank a bounded set of candidates (decision 0039): the
`CANDIDATES` most recently indexed matches that pass the filters — every match of nearly
any real query, the newest ones of a word that is in most documents. Both read and write
with raw SQL: the engines' tables are not Django models (one exists on each vendor only).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.db import connection

# Largest share of the score recency can add (a brand-new document: +25%).
RECENCY_BOOST = 0.25
# Body text kept in the index per document: a long text is found by its first pages.
BODY_LIMIT = 100_000
# The most matches a search scores (decision 0039): the newest by entry id, filters applied.
# Scoring is the costly part (a word in 80 % of a million records took 6 s to score in
# full); reading the newest matches by id is not. Deeper than the last page a search shows
# (`selectors.MAX_OFFSET` + `MAX_LIMIT`), so paging never runs out of candidates early.
CANDIDATES = 2000


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
    def write(self, documents: Sequence[tuple[int, Document]], *, replace: bool = True) -> None:
        """Index each document's text under its entry id (replacing any text there, unless
        the caller knows there is none: `replace=False`)."""

    def remove(self, entry_ids: Sequence[int]) -> None:
        """Forget the text of these entries."""

    def clear(self) -> None:
        """Forget all text (a rebuild follows)."""

    def analyze(self) -> None:
        """After a rebuild: bring the planner's statistics up to date."""

    def search(self, query: Query, *, offset: int, limit: int) -> list[int]:
        """The object ids of the best matches among the `CANDIDATES` newest, best first (at
        most two queries)."""


def facet_tokens(
    *,
    type: str,
    kind: str = "",
    licence: str = "",
    remix_policy: str = "",
    tags: Sequence[str] = (),
) -> list[str]:
    """The filters as words in the index's `facets` column (decision 0039), so that the
    engine intersects them with the text's matches itself: a letter for the filter and the
    value's UTF-8 in hex (`k617564696f` is kind "audio"), one word to both engines'
    tokenisers whatever the value holds, and never a word anyone writes."""
    tokens = [f"t{type.encode().hex()}"]
    for letter, value in (("k", kind), ("l", licence), ("p", remix_policy)):
        if value:
            tokens.append(f"{letter}{value.encode().hex()}")
    tokens += [f"g{tag.encode().hex()}" for tag in tags]
    return tokens


def _query_facets(query: Query) -> list[str]:
    return facet_tokens(
        type=query.type,
        kind=query.kind or "",
        licence=query.licence or "",
        remix_policy=query.remix_policy or "",
        tags=[query.tag] if query.tag else (),
    )


def _document_facets(doc: Document) -> str:
    return " ".join(
        facet_tokens(
            type=doc.type,
            kind=doc.kind,
            licence=doc.licence,
            remix_policy=doc.remix_policy,
            tags=doc.tags,
        )
    )


class SqliteBackend:
    """FTS5 (`search_fts`, columns title, tags, description, body, notes and the filters'
    `facets`; rowid = entry id), ranked by bm25 (lower is better) with per-column weights
    (none for the facets)."""

    WEIGHTS = "10.0, 5.0, 3.0, 1.0, 1.0, 0.0"
    TEXT_COLUMNS = "{title tags description body notes}"

    def write(self, documents: Sequence[tuple[int, Document]], *, replace: bool = True) -> None:
        if not documents:
            return
        if replace:
            self.remove([entry_id for entry_id, _ in documents])
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, tags, description, body, notes, facets) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        entry_id,
                        doc.title,
                        ", ".join(doc.tags),
                        doc.description,
                        doc.body[:BODY_LIMIT],
                        doc.notes,
                        _document_facets(doc),
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

    # The table as migration 0002 creates it: `clear` makes it again.
    TABLE = (
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "title, tags, description, body, notes, facets, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4 5 6')"
    )

    def clear(self) -> None:
        """A new, empty table: deleting the rows of an FTS5 table reads and tokenises each
        one again to take its words out of the index (as long as writing them)."""
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE search_fts")
            cursor.execute(self.TABLE)

    def analyze(self) -> None:
        """Nothing to do: the queries fix their join order (CROSS JOIN) themselves."""

    @classmethod
    def match(cls, query: Query) -> str:
        """An FTS5 expression: the quoted terms (implicitly ANDed) in the text columns, and
        the filters' words but the type (the entry's column, below) in the facets column.
        No operator of the user's survives: the terms hold letters, digits and marks only."""
        quoted = [f'"{term}"' for term in query.terms]
        if query.prefix:
            quoted[-1] += "*"
        expression = f"{cls.TEXT_COLUMNS} : ({' '.join(quoted)})"
        facets = " ".join(f'"{token}"' for token in _query_facets(query)[1:])
        return f"{expression} AND facets : ({facets})" if facets else expression

    def search(self, query: Query, *, offset: int, limit: int) -> list[int]:
        # One query. The candidates: the newest matches of the type, read in the index's
        # own order (FTS5 walks the rowids backwards; CROSS JOIN keeps it the outer loop)
        # and cut at `CANDIDATES`, each scored by bm25 as it is read; then the boost and the
        # page. The type is the entry's column rather than a facet: bm25 counts the matches
        # of every phrase in the expression, and a type's are most of the index.
        # Only constants and placeholders are interpolated: the text goes as parameters.
        sql = (
            "SELECT object_id FROM (SELECT e.id AS id, e.object_id AS object_id, "  # noqa: S608
            f"e.dated AS dated, bm25(search_fts, {self.WEIGHTS}) AS score FROM search_fts "
            "CROSS JOIN search_searchentry e ON e.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND e.type = %s "
            "ORDER BY search_fts.rowid DESC LIMIT %s) "
            "ORDER BY score * (1.0 + %s / (1.0 + (julianday('now') - julianday(dated)) / 30.0)), "
            "id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [self.match(query), query.type, CANDIDATES, RECENCY_BOOST, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]


class PostgresBackend:
    """`search_document` (entry id, a `tsvector` weighted A title, B tags, C description,
    D body and usage notes, and a `tsvector` of the filters' `facets`; a GIN index on each),
    ranked by `ts_rank_cd` with those weights. The
    `simple` configuration (no stemming, no stop words: members write in many languages),
    on text lower-cased here so that case folds the same whatever the database's locale."""

    WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A

    def write(self, documents: Sequence[tuple[int, Document]], *, replace: bool = True) -> None:
        if not documents:
            return
        if replace:
            self.remove([entry_id for entry_id, _ in documents])
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document (entry_id, document, facets) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'C') || "
                "setweight(to_tsvector('simple', %s), 'D'), "
                "to_tsvector('simple', %s))",
                [
                    (
                        entry_id,
                        doc.title.lower(),
                        ", ".join(doc.tags).lower(),
                        doc.description.lower(),
                        f"{doc.body[:BODY_LIMIT]}\n{doc.notes}".lower(),
                        _document_facets(doc),
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

    def analyze(self) -> None:
        """The candidates' plan rests on the entries' and documents' statistics (how many of
        each type, how common a word is); a rebuild replaces them all at once, faster than
        autovacuum notices. ANALYZE reads this transaction's new rows as live."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry, search_document")

    @staticmethod
    def tsquery(query: Query) -> str:
        """A `to_tsquery` text of quoted lexemes joined by `&` (terms hold letters, digits
        and marks only, so no operator of the user's survives)."""
        quoted = [f"'{term}'" for term in query.terms]
        if query.prefix:
            quoted[-1] += ":*"
        return " & ".join(quoted)

    def search(self, query: Query, *, offset: int, limit: int) -> list[int]:
        tsquery = self.tsquery(query)
        facets = " & ".join(_query_facets(query))
        # The candidates: the newest matches (filters included: both GIN indexes, or the
        # primary key read backwards for a word in most documents), cut at `CANDIDATES`;
        # then their ranking, read by their ids (the match is not run twice).
        candidates = (
            "SELECT entry_id FROM search_document "
            "WHERE document @@ to_tsquery('simple', %s) AND facets @@ to_tsquery('simple', %s) "
            "ORDER BY entry_id DESC LIMIT %s"
        )
        ranked = (
            "SELECT e.object_id FROM search_document d "  # noqa: S608
            "JOIN search_searchentry e ON e.id = d.entry_id "
            "CROSS JOIN to_tsquery('simple', %s) q "
            "WHERE d.entry_id = ANY(%s) "
            f"ORDER BY ts_rank_cd('{self.WEIGHTS}', d.document, q) * (1.0 + %s / (1.0 + "
            "extract(epoch FROM (now() - e.dated)) / 2592000.0)) DESC, e.id DESC "
            "LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(candidates, [tsquery, facets, CANDIDATES])
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return []
            cursor.execute(ranked, [tsquery, ids, RECENCY_BOOST, limit, offset])
            return [row[0] for row in cursor.fetchall()]


def backend() -> Backend:
    """The engine for the default connection: PostgreSQL's full text there, FTS5 otherwise."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
