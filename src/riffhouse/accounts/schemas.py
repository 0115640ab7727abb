"""API input and output shapes for accounts."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from riffhouse.accounts.selectors import BLOCKS_MAX_PER_PAGE, BLOCKS_PER_PAGE


class TokenRequestIn(Schema):
    username: str = Field(min_length=1, max_length=254, description="Username or email")
    password: str = Field(min_length=1, max_length=256)
    name: str = Field(default="API token", max_length=80, description="What will use it")


class TokenIssuedOut(Schema):
    id: int
    name: str
    prefix: str
    token: str = Field(description="Shown once. Send as `Authorization: Bearer <token>`.")
    created_at: datetime


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class SignUpIn(Schema):
    username: str = Field(min_length=1, max_length=30)
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=256)


class MessageOut(Schema):
    detail: str
    code: str


class AvatarOut(Schema):
    original: str | None
    small: str | None
    medium: str | None


class UserOut(Schema):
    username: str
    display_name: str
    bio: str
    links: list[str]
    role: str
    avatar: AvatarOut
    date_joined: datetime
    url: str


class MeOut(UserOut):
    email: str
    default_remix_policy: str = Field(description="What new records get: open, ask or closed")


class ProfilePatchIn(Schema):
    display_name: str | None = Field(default=None, max_length=80)
    bio: str | None = Field(default=None, max_length=2000)
    links: list[str] | None = Field(default=None, max_length=20)
    default_remix_policy: str | None = Field(
        default=None, max_length=8, description="open, ask or closed: the default of new records"
    )


class AccountDeleteIn(Schema):
    password: str = Field(min_length=1, max_length=256, description="Your current password")


class BlockOut(Schema):
    username: str
    display_name: str
    url: str
    blocked_at: datetime


class BlockPageOut(Schema):
    items: list[BlockOut]
    next_cursor: str | None


class BlockQuery(Schema):
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page")
    limit: int = Field(default=BLOCKS_PER_PAGE, ge=1, le=BLOCKS_MAX_PER_PAGE)
