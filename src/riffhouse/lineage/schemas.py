"""API shapes for lineage: sources, the remix graph, credits and remix requests."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from riffhouse.records.schemas import AuthorOut, RecordIn, RecordOut, RecordPatchIn


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


class LineageOut(Schema):
    record: NodeOut
    direction: str
    items: list[NodeOut]
    next_cursor: str | None
    total: int | None
    truncated: bool


class SourceOut(Schema):
    record: NodeOut
    version: int
    newer_version: int | None
    usage: str
    start_ms: int | None
    end_ms: int | None


class CreditOut(Schema):
    member: AuthorOut
    former_member: bool
    closeness: int
    roles: list[str]
    works: int


class CreditsOut(Schema):
    record: int
    credits: list[CreditOut]
    jsonld: str


class RemixRequestIn(Schema):
    remix: int = Field(description="Your record that uses this one")
    usage: str = Field(default="", max_length=400)
    message: str = Field(default="", max_length=4000)


class DecisionIn(Schema):
    note: str = Field(default="", max_length=4000)


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


class RecordWithSourcesOut(RecordOut):
    sources: list[SourceOut]
    remix_requests: list[RemixRequestOut]
