"""Follows and hearts over the API. Every write answers the state it left and the exact
count (read after the write, in its transaction's aftermath), so a client never guesses.

Who may do what: members follow other members and public productions, and heart listed
records and public productions (403 `blocked` across a block, 400 `self_follow` for
yourself, 404 for what they may not see, 429 with Retry-After when too fast); anyone reads
a member's followers and whom they follow.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema

from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.community import social
from riffhouse.community.social.selectors import FOLLOWS_PER_PAGE
from riffhouse.core.api import error_responses
from riffhouse.productions.selectors import production_get_visible
from riffhouse.records.selectors import record_get_visible

router = Router(tags=["follows and hearts"])
WRITE_ERRORS = error_responses(400, 401, 403, 404, 429)
READ_ERRORS = error_responses(400, 404, 422)


class FollowStateOut(Schema):
    following: bool
    followers: int


class HeartStateOut(Schema):
    hearted: bool
    hearts: int


class MemberOut(Schema):
    username: str
    display_name: str
    url: str
    avatar: str | None


class MemberPageOut(Schema):
    items: list[MemberOut]
    next_cursor: str | None


class MemberPageQuery(Schema):
    cursor: str | None = None
    limit: int = FOLLOWS_PER_PAGE


def _me(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    return user


# One write per kind of target, for its POST (add) and its DELETE (remove): look the target
# up, add or remove, and answer the state the write left.
def _member_follow(request: HttpRequest, username: str, *, add: bool) -> dict[str, Any]:
    me = _me(request)
    member = social.member_get_followable(username=username)
    (social.follow_add if add else social.follow_remove)(follower=me, user=member)
    return {
        "following": bool(social.follow_states(viewer=me, user_ids=[member.pk])),
        "followers": social.member_counts(user_ids=[member.pk])[member.pk].followers,
    }


def _production_follow(request: HttpRequest, production_id: int, *, add: bool) -> dict[str, Any]:
    me = _me(request)
    production = production_get_visible(viewer=me, production_id=production_id)
    (social.follow_add if add else social.follow_remove)(follower=me, production=production)
    ids = [production.pk]
    return {
        "following": bool(social.production_follow_states(viewer=me, production_ids=ids)),
        "followers": social.production_counts(production_ids=ids)[production.pk].followers,
    }


def _record_heart(request: HttpRequest, record_id: int, *, add: bool) -> dict[str, Any]:
    me = _me(request)
    record = record_get_visible(viewer=me, record_id=record_id)
    (social.heart_add if add else social.heart_remove)(user=me, record=record)
    return {
        "hearted": record.pk in social.heart_states(viewer=me, record_ids=[record.pk]).records,
        "hearts": social.record_counts(record_ids=[record.pk])[record.pk].hearts,
    }


def _production_heart(request: HttpRequest, production_id: int, *, add: bool) -> dict[str, Any]:
    me = _me(request)
    production = production_get_visible(viewer=me, production_id=production_id)
    (social.heart_add if add else social.heart_remove)(user=me, production=production)
    ids = [production.pk]
    return {
        "hearted": production.pk in social.heart_states(viewer=me, production_ids=ids).productions,
        "hearts": social.production_counts(production_ids=ids)[production.pk].hearts,
    }


# Follows of members ------------------------------------------------------------------------------
@router.post(
    "/users/{username}/follow",
    auth=bearer_or_session,
    response={200: FollowStateOut, **WRITE_ERRORS},
    summary="Follow a member (again: no change)",
)
def member_follow(request: HttpRequest, username: str) -> dict[str, Any]:
    return _member_follow(request, username, add=True)


@router.delete(
    "/users/{username}/follow",
    auth=bearer_or_session,
    response={200: FollowStateOut, **WRITE_ERRORS},
    summary="Stop following a member (not following: no change)",
)
def member_unfollow(request: HttpRequest, username: str) -> dict[str, Any]:
    return _member_follow(request, username, add=False)


def _member_out(request: HttpRequest, member: User) -> dict[str, Any]:
    avatar = member.avatar_small or member.avatar
    return {
        "username": member.username,
        "display_name": member.name,
        "url": request.build_absolute_uri(member.get_absolute_url()),
        "avatar": request.build_absolute_uri(settings.MEDIA_URL + avatar) if avatar else None,
    }


@router.get(
    "/users/{username}/followers",
    auth=bearer_session_or_anonymous,
    response={200: MemberPageOut, **READ_ERRORS},
    summary="A member's followers, newest first",
)
def member_followers(
    request: HttpRequest, username: str, filters: Query[MemberPageQuery]
) -> dict[str, Any]:
    member = social.member_get_followable(username=username)
    page = social.follower_list(user=member, cursor=filters.cursor, limit=filters.limit)
    return {"items": [_member_out(request, m) for m in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/users/{username}/following",
    auth=bearer_session_or_anonymous,
    response={200: MemberPageOut, **READ_ERRORS},
    summary="The members a member follows, newest first",
)
def member_following(
    request: HttpRequest, username: str, filters: Query[MemberPageQuery]
) -> dict[str, Any]:
    member = social.member_get_followable(username=username)
    page = social.following_list(user=member, cursor=filters.cursor, limit=filters.limit)
    return {"items": [_member_out(request, m) for m in page.items], "next_cursor": page.next_cursor}


# Follows of productions --------------------------------------------------------------------------
@router.post(
    "/productions/{production_id}/follow",
    auth=bearer_or_session,
    response={200: FollowStateOut, **WRITE_ERRORS},
    summary="Follow a production (again: no change)",
)
def production_follow(request: HttpRequest, production_id: int) -> dict[str, Any]:
    return _production_follow(request, production_id, add=True)


@router.delete(
    "/productions/{production_id}/follow",
    auth=bearer_or_session,
    response={200: FollowStateOut, **WRITE_ERRORS},
    summary="Stop following a production",
)
def production_unfollow(request: HttpRequest, production_id: int) -> dict[str, Any]:
    return _production_follow(request, production_id, add=False)


# Hearts ------------------------------------------------------------------------------------------
@router.post(
    "/records/{record_id}/heart",
    auth=bearer_or_session,
    response={200: HeartStateOut, **WRITE_ERRORS},
    summary="Heart a record (again: no change)",
)
def record_heart(request: HttpRequest, record_id: int) -> dict[str, Any]:
    return _record_heart(request, record_id, add=True)


@router.delete(
    "/records/{record_id}/heart",
    auth=bearer_or_session,
    response={200: HeartStateOut, **WRITE_ERRORS},
    summary="Take your heart back from a record",
)
def record_unheart(request: HttpRequest, record_id: int) -> dict[str, Any]:
    return _record_heart(request, record_id, add=False)


@router.post(
    "/productions/{production_id}/heart",
    auth=bearer_or_session,
    response={200: HeartStateOut, **WRITE_ERRORS},
    summary="Heart a production (again: no change)",
)
def production_heart(request: HttpRequest, production_id: int) -> dict[str, Any]:
    return _production_heart(request, production_id, add=True)


@router.delete(
    "/productions/{production_id}/heart",
    auth=bearer_or_session,
    response={200: HeartStateOut, **WRITE_ERRORS},
    summary="Take your heart back from a production",
)
def production_unheart(request: HttpRequest, production_id: int) -> dict[str, Any]:
    return _production_heart(request, production_id, add=False)
