"""Moderation's API shapes: separate input and output schemas per endpoint."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field


class TargetIn(Schema):
    """Name exactly one: a record, comment or production by id, or a member by username."""

    record: int | None = None
    comment: int | None = None
    production: int | None = None
    member: str | None = Field(default=None, max_length=150)


class ReportIn(TargetIn):
    category: str = Field(max_length=16)
    text: str = Field(max_length=2000)


class TargetOut(Schema):
    type: Literal["record", "comment", "production", "member"]
    id: int
    title: str
    url: str | None


class ReportOut(Schema):
    id: int
    target: TargetOut
    category: str
    status: str
    created_at: datetime


class QueueReportOut(Schema):
    id: int
    category: str
    text: str
    reporter: str | None
    created_at: datetime


class QueueItemOut(Schema):
    target: TargetOut
    count: int
    first_reported_at: datetime
    reports: list[QueueReportOut]


class QueueOut(Schema):
    items: list[QueueItemOut]
    open_reports: int
    open_targets: int
    open_appeals: int
    next_cursor: str | None


class ActionIn(TargetIn):
    kind: Literal["hide", "remove", "warn", "suspend"]
    reason: str = Field(max_length=2000)
    until: datetime | None = None


class UndoIn(Schema):
    reason: str = Field(max_length=2000)


class ActionOut(Schema):
    id: int
    kind: str
    target: TargetOut
    reason: str
    subject: str | None
    suspended_until: datetime | None
    created_at: datetime
    undone_at: datetime | None
    undo_reason: str
    reports: list[int]


class AppealIn(Schema):
    action: int
    text: str = Field(max_length=4000)


class DecideIn(Schema):
    decision: Literal["grant", "uphold"]
    note: str = Field(max_length=2000)


class AppealOut(Schema):
    id: int
    action: int
    text: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    note: str


class AppealPageOut(Schema):
    items: list[AppealOut]
    next_cursor: str | None
