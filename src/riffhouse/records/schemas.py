"""API shapes for records."""

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class RecordIn(Schema):
    kind: str = Field(description="text, image, audio or video")
    title: str = Field(max_length=1000)
    description: str = Field(default="", max_length=20000)
    tags: str = Field(default="", max_length=2000, description="Comma-separated")
    language: str = Field(default="", max_length=64)
    licence: str = "riffhouse"
    remix_policy: str | None = Field(
        default=None, description="open, ask or closed; leave it out for the author's default"
    )
    visibility: str = "published"
    body: str | None = Field(default=None, description="Markdown, for text records")


class RecordPatchIn(Schema):
    title: str | None = Field(default=None, max_length=1000)
    description: str | None = Field(default=None, max_length=20000)
    tags: list[str] | None = Field(default=None, max_length=50)
    language: str | None = Field(default=None, max_length=64)
    licence: str | None = None
    remix_policy: str | None = None
    visibility: str | None = None
    body: str | None = None


class VersionFieldsIn(Schema):
    title: str | None = Field(default=None, max_length=1000)
    description: str | None = Field(default=None, max_length=20000)


class FileOut(Schema):
    label: str
    url: str
    mime: str
    width: int | None
    height: int | None
    size: int


class VersionOut(Schema):
    number: int
    title: str
    description: str
    status: str
    failure_reason: str
    created_at: datetime
    restored_from: int | None
    body: str | None
    body_html: str | None
    metadata: dict[str, Any]
    files: list[FileOut]


class AuthorOut(Schema):
    username: str | None
    display_name: str
    url: str | None


class RecordOut(Schema):
    id: int
    url: str
    kind: str
    title: str
    description: str
    tags: list[str]
    language: str
    licence: str
    remix_policy: str
    visibility: str
    author: AuthorOut
    created_at: datetime
    published_at: datetime | None
    deleted: bool
    remix_count: int = Field(description="Published remixes built directly on it")
    version: VersionOut | None


class RecordPageOut(Schema):
    items: list[RecordOut]
    next_cursor: str | None
