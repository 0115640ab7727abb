"""The search API's input and output."""

from datetime import datetime

from ninja import Schema

from riffhouse.records.schemas import AuthorOut


class SearchQuery(Schema):
    q: str = ""
    type: str = "records"
    kind: str | None = None
    tag: str | None = None
    licence: str | None = None
    remix_policy: str | None = None
    cursor: str | None = None
    limit: int = 20


class SearchResultOut(Schema):
    """One result, as its card shows it. `type` says which: a record (with `kind`,
    `author`, `licence`, `remix_policy`, `published_at`), a member (`username`) or a
    production (`kind`, `status`)."""

    type: str
    id: int
    title: str
    url: str
    summary: str
    kind: str | None = None
    author: AuthorOut | None = None
    username: str | None = None
    licence: str | None = None
    remix_policy: str | None = None
    status: str | None = None
    published_at: datetime | None = None


class SearchPageOut(Schema):
    items: list[SearchResultOut]
    next_cursor: str | None
