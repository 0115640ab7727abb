"""API shapes for community."""

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field


class NotificationQuery(Schema):
    unread: bool = Field(default=False, description="Only unread notifications")
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page")
    limit: int = Field(default=20, ge=1, le=100)


class NotificationActorOut(Schema):
    """Who acted; a member who has since left is "a former member", with no username or
    address."""

    username: str | None
    display_name: str
    url: str | None


class NotificationRecordOut(Schema):
    id: int
    title: str
    url: str


class NotificationOut(Schema):
    id: int
    verb: str = Field(description="remixed, remix_requested, remix_approved or remix_declined")
    text: str = Field(description="The request's message or answer; for a remix, the usage")
    created_at: datetime
    read: bool
    actor: NotificationActorOut | None
    record: NotificationRecordOut | None = Field(description="The remix")
    source: NotificationRecordOut | None = Field(description="Your record it builds on")
    remix_request: int | None = Field(description="The remix request's id, if any")


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    unread_count: int


class NotificationsReadIn(Schema):
    # Ids past a 64-bit integer overflowed SQLite's driver (a 500); none can exist.
    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] | None = Field(
        default=None, max_length=500, description="Leave out to mark every notification read"
    )


class UnreadCountOut(Schema):
    unread_count: int
