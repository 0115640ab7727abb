"""API shapes for records, with their sources (the remix graph's shapes that a record's
own endpoints show: sources, graph nodes, remix requests)."""

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
    wants_collaborators: bool = Field(
        default=False, description="The author would like collaborators on it"
    )


class RecordPatchIn(Schema):
    title: str | None = Field(default=None, max_length=1000)
    description: str | None = Field(default=None, max_length=20000)
    tags: list[str] | None = Field(default=None, max_length=50)
    language: str | None = Field(default=None, max_length=64)
    licence: str | None = None
    remix_policy: str | None = None
    visibility: str | None = None
    body: str | None = None
    wants_collaborators: bool | None = None


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


class CoverOut(Schema):
    url: str
    origin: str = Field(
        description="author (its own cover image), source (the art of its first image "
        "source) or generated (drawn from its waveform)"
    )
    width: int | None
    height: int | None


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
    wants_collaborators: bool = Field(description="Its author would like collaborators on it")
    version: VersionOut | None
    cover: CoverOut | None = Field(description="The picture shown with music in lists")


class RecordPageOut(Schema):
    items: list[RecordOut]
    next_cursor: str | None


class SourceIn(Schema):
    record: int = Field(description="The id of the record built on")
    version: int | None = Field(default=None, description="Its version number; default: live")
    usage: str = Field(default="", max_length=400, description="What was used: “melody”")
    start_ms: int | None = Field(default=None, description="Part used, for music and film")
    end_ms: int | None = None


class RecordCreateIn(RecordIn):
    licence: str | None = Field(  # type: ignore[assignment]
        default=None, description="Default: the most permissive licence every source allows"
    )
    sources: str | None = Field(
        default=None,
        max_length=20000,
        description='JSON list: [{"record": 12, "version": 3, "usage": "melody"}]',
    )
    message: str = Field(
        default="", max_length=4000, description="For authors asked to approve (ask-first sources)"
    )


class RecordEditIn(RecordPatchIn):
    sources: list[SourceIn] | None = Field(
        default=None, max_length=100, description="Replaces the sources; omit to keep them"
    )
    message: str = Field(default="", max_length=4000)


class NodeOut(Schema):
    id: int
    title: str
    kind: str
    url: str
    lineage_url: str
    author: AuthorOut
    thumbnail: str | None
    remix_count: int
    remix_policy: str
    deleted: bool
    visible: bool
    depth: int
    via: list[int]
    usages: list[str]


class SourceOut(Schema):
    record: NodeOut
    version: int
    newer_version: int | None
    usage: str
    start_ms: int | None
    end_ms: int | None


class RemixRequestOut(Schema):
    id: int
    status: str
    remix: NodeOut
    source: NodeOut
    requester: AuthorOut
    message: str
    response_note: str
    created_at: datetime
    decided_at: datetime | None
    times_asked: int = Field(description="How many times the remixer has asked (at most twice).")
    may_ask_again: bool = Field(
        description="Declined once: the remixer may ask again with a new message."
    )


class RecordWithSourcesOut(RecordOut):
    sources: list[SourceOut]
    remix_requests: list[RemixRequestOut]
