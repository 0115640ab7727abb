"""API shapes of feeds: a page of items, each saying why it is there."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from riffhouse.records.schemas import RecordOut


class FeedQuery(Schema):
    cursor: str | None = None
    limit: int = Field(default=24, ge=1, le=100)


class RecordListQuery(FeedQuery):
    kind: str | None = Field(default=None, description="text, image, audio or video")


class FeedProductionOut(Schema):
    id: int
    url: str
    title: str
    kind: str
    status: str


class FeedNeedOut(Schema):
    id: int
    url: str
    title: str
    kinds: list[str]
    deadline: datetime | None


class FeedItemOut(Schema):
    kind: str = Field(
        description="record, remix, opened, released, call (home feed); trending or listed"
    )
    at: datetime = Field(description="When it happened: published, opened or released")
    reason: str = Field(description="Why it is in the feed: “Because you follow Ana”")
    score: float | None = Field(default=None, description="The trending score (trending only)")
    record: RecordOut | None
    production: FeedProductionOut | None
    need: FeedNeedOut | None


class FeedPageOut(Schema):
    items: list[FeedItemOut]
    next_cursor: str | None


class PlayOut(Schema):
    counted: bool = Field(description="False for a repeat by the same browser within 30 minutes")
