"""API shapes for lineage: the remix graph, credits and remix requests. A record's own
endpoints (`POST /records`, `PATCH /records/{id}`) take and show its sources, so the shapes
of sources, graph nodes and remix requests live with them in records/schemas.py."""

from ninja import Schema
from pydantic import Field

from riffhouse.records.schemas import AuthorOut, NodeOut
from riffhouse.records.schemas import RemixRequestOut as RemixRequestOut
from riffhouse.records.schemas import SourceOut as SourceOut


class LineageOut(Schema):
    record: NodeOut
    direction: str
    items: list[NodeOut]
    next_cursor: str | None
    total: int | None
    truncated: bool


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
