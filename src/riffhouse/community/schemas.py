"""API shapes for community."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field


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


class NotificationLinkOut(Schema):
    id: int
    title: str
    url: str


class NotificationOut(Schema):
    id: int
    verb: str = Field(description="What happened: one of the `NotificationVerb` values")
    category: str = Field(description="The preference category the verb belongs to")
    text: str = Field(
        description="What the actor wrote with it (a message, an answer, a moderator's "
        "reason); for a remix, the usage"
    )
    created_at: datetime
    read: bool
    url: str = Field(description="Where the notification leads")
    actor: NotificationActorOut | None
    record: NotificationRecordOut | None = Field(description="The remix, or the record")
    source: NotificationRecordOut | None = Field(description="Your record it builds on")
    remix_request: int | None = Field(description="The remix request's id, if any")
    production: NotificationLinkOut | None = None
    submission: int | None = Field(default=None, description="The submission's id, if any")
    comment: int | None = Field(default=None, description="The comment's id, if any")
    target: NotificationLinkOut | None = Field(
        default=None, description="Another app's row (a payout, an appeal), if any"
    )
    target_type: str = Field(default="", description='The target\'s kind ("ledger.payout")')


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


Delivery = Literal["in_app", "digest", "off"]


class NotificationPreferencesOut(Schema):
    """How you hear of each category: `in_app`, `digest` (in the app and an email digest, at
    most once a day) or `off`."""

    remixes: Delivery
    comments: Delivery
    mentions: Delivery
    followers: Delivery
    submissions: Delivery
    releases: Delivery
    money: Delivery
    moderation: Delivery


class NotificationPreferencesIn(Schema):
    """The categories to change; those left out keep their setting."""

    model_config = ConfigDict(extra="forbid")

    remixes: Delivery | None = None
    comments: Delivery | None = None
    mentions: Delivery | None = None
    followers: Delivery | None = None
    submissions: Delivery | None = None
    releases: Delivery | None = None
    money: Delivery | None = None
    moderation: Delivery | None = None
