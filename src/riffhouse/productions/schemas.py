"""API shapes for productions, their producers, needs, cover and history."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from riffhouse.records.schemas import AuthorOut


class CoverOut(Schema):
    url: str
    width: int | None
    height: int | None
    dominant_color: str


class ProductionIn(Schema):
    kind: str = Field(description="episode, anthology, film, album or collection")
    title: str = Field(max_length=1000)
    theme: str = Field(default="", max_length=1000)
    brief: str = Field(default="", max_length=40000, description="Markdown")
    submission_deadline: datetime | None = None


class ProductionPatchIn(Schema):
    kind: str | None = None
    title: str | None = Field(default=None, max_length=1000)
    theme: str | None = Field(default=None, max_length=1000)
    brief: str | None = Field(default=None, max_length=40000)
    submission_deadline: datetime | None = Field(default=None, description="null: no deadline")
    status: str | None = Field(
        default=None,
        description="open, curating, draft, archived (or released, from archived); "
        "a release goes through POST /productions/{id}/release",
    )


class ProductionOut(Schema):
    id: int
    url: str
    kind: str
    title: str
    theme: str
    brief: str
    brief_html: str
    status: str
    official: bool
    submission_deadline: datetime | None
    closing_soon: bool
    opened_at: datetime | None
    released_at: datetime | None
    created_at: datetime
    updated_at: datetime
    cover: CoverOut | None
    cover_pending: bool
    producers: list[AuthorOut]
    needs_count: int


class ProductionPageOut(Schema):
    items: list[ProductionOut]
    next_cursor: str | None


class ProducerIn(Schema):
    username: str = Field(max_length=200)


class ProducerOut(AuthorOut):
    added_at: datetime


class SeedOut(Schema):
    id: int
    title: str
    kind: str
    url: str
    version: int | None


class NeedIn(Schema):
    title: str = Field(max_length=1000)
    kinds: list[str] = Field(max_length=10, description="text, image, audio, video")
    description: str = Field(default="", max_length=10000)
    wanted: int = Field(default=1, description="1 to 500")
    deadline: datetime | None = None
    seed: int | None = Field(default=None, description="a published record's id to remix")


class NeedPatchIn(Schema):
    title: str | None = Field(default=None, max_length=1000)
    kinds: list[str] | None = Field(default=None, max_length=10)
    description: str | None = Field(default=None, max_length=10000)
    wanted: int | None = None
    deadline: datetime | None = Field(default=None, description="null: the production's")
    seed: int | None = Field(default=None, description="null: no seed")


class NeedOut(Schema):
    id: int
    production: int
    url: str
    title: str
    description: str
    kinds: list[str]
    wanted: int
    deadline: datetime | None
    seed: SeedOut | None
    position: int


class RevisionOut(Schema):
    id: int
    editor: AuthorOut
    created_at: datetime
    changed: list[str]
    title: str
    theme: str
    brief: str
    cover: CoverOut | None
