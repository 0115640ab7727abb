"""Reads of follows and hearts: a member's followers and whom they follow (cursor-paged,
newest first), what a viewer follows or hearted among the things a page shows, and the
counts, each in one query."""

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from riffhouse.accounts.models import User
from riffhouse.community.models import Follow, Heart, MemberStats, ProductionStats, RecordStats
from riffhouse.core.errors import ApplicationError, NotFound

Viewer = User | AnonymousUser

FOLLOWS_PER_PAGE = 30
FOLLOWS_MAX_PER_PAGE = 100


@dataclass(frozen=True)
class MemberPage:
    """One page of members (followers, or whom a member follows), newest follow first."""

    items: list[User]
    next_cursor: str | None


@dataclass(frozen=True)
class MemberCounts:
    followers: int = 0
    following: int = 0


@dataclass(frozen=True)
class TargetCounts:
    hearts: int = 0
    followers: int = 0


@dataclass(frozen=True)
class HeartStates:
    records: frozenset[int]
    productions: frozenset[int]


def member_get_followable(*, username: str) -> User:
    """An active, confirmed, not deleted member by username (any casing); NotFound
    otherwise. For the follow endpoints and pages: a member who left has nobody to follow."""
    member = User.objects.filter(
        username__iexact=username, is_active=True, deleted_at__isnull=True
    ).first()
    if member is None:
        raise NotFound("No member by that name.")
    return member


def _encode_cursor(follow: Follow) -> str:
    raw = f"{follow.created_at.isoformat()}|{follow.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError(stamp)
        number = int(pk)
        if not 0 < number < 2**63:
            raise ValueError(pk)
        return when, number
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


def _member_page(*, where: Q, other: str, cursor: str | None, limit: int) -> MemberPage:
    """Follows matching `where`, newest first, the member at the `other` end of each with
    their avatar fields (one query; a follow of a member who left or was deactivated is
    skipped). Cursor on (created_at, id): no page repeats or skips when follows arrive."""
    limit = max(1, min(limit, FOLLOWS_MAX_PER_PAGE))
    follows = Follow.objects.filter(
        where, **{f"{other}__is_active": True, f"{other}__deleted_at__isnull": True}
    )
    if cursor:
        stamp, pk = _decode_cursor(cursor)
        follows = follows.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))
    rows = list(follows.select_related(other).order_by("-created_at", "-pk")[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return MemberPage(items=[getattr(f, other) for f in rows[:limit]], next_cursor=next_cursor)


def follower_list(
    *, user: User, cursor: str | None = None, limit: int = FOLLOWS_PER_PAGE
) -> MemberPage:
    """The members following `user`, newest first. Follower lists are public, like the
    counts; a malformed cursor is an ApplicationError (400 `invalid_cursor`)."""
    return _member_page(where=Q(user_id=user.pk), other="follower", cursor=cursor, limit=limit)


def following_list(
    *, user: User, cursor: str | None = None, limit: int = FOLLOWS_PER_PAGE
) -> MemberPage:
    """The members `user` follows, newest first (productions they follow are not listed
    here: the list is of people)."""
    return _member_page(
        where=Q(follower_id=user.pk, user__isnull=False), other="user", cursor=cursor, limit=limit
    )


def follow_states(*, viewer: Viewer, user_ids: Iterable[int]) -> set[int]:
    """Which of `user_ids` `viewer` follows (one query; none for a visitor)."""
    ids = list(set(user_ids))
    if not viewer.is_authenticated or not ids:
        return set()
    return set(
        Follow.objects.filter(follower_id=viewer.pk, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )


def production_follow_states(*, viewer: Viewer, production_ids: Iterable[int]) -> set[int]:
    """Which of `production_ids` `viewer` follows (one query; none for a visitor)."""
    ids = list(set(production_ids))
    if not viewer.is_authenticated or not ids:
        return set()
    return set(
        Follow.objects.filter(follower_id=viewer.pk, production_id__in=ids).values_list(
            "production_id", flat=True
        )
    )


def heart_states(
    *, viewer: Viewer, record_ids: Iterable[int] = (), production_ids: Iterable[int] = ()
) -> HeartStates:
    """Which of the records and productions `viewer` hearted (one query; none for a
    visitor or when nothing is asked)."""
    records, productions = list(set(record_ids)), list(set(production_ids))
    if not viewer.is_authenticated or not (records or productions):
        return HeartStates(records=frozenset(), productions=frozenset())
    rows = Heart.objects.filter(
        Q(record_id__in=records) | Q(production_id__in=productions), user_id=viewer.pk
    ).values_list("record_id", "production_id")
    hearted_records: set[int] = set()
    hearted_productions: set[int] = set()
    for record_id, production_id in rows:
        if record_id is not None:
            hearted_records.add(record_id)
        else:
            hearted_productions.add(production_id)
    return HeartStates(
        records=frozenset(hearted_records), productions=frozenset(hearted_productions)
    )


def member_counts(*, user_ids: Iterable[int]) -> dict[int, MemberCounts]:
    """Followers and following of each member (one query; zeros for a member with no
    stats row yet)."""
    ids = list(set(user_ids))
    found = {
        pk: MemberCounts(followers=followers, following=following)
        for pk, followers, following in MemberStats.objects.filter(user_id__in=ids).values_list(
            "user_id", "followers", "following"
        )
    }
    return {pk: found.get(pk, MemberCounts()) for pk in ids}


def record_counts(*, record_ids: Iterable[int]) -> dict[int, TargetCounts]:
    """Hearts of each record (one query)."""
    ids = list(set(record_ids))
    found = dict(RecordStats.objects.filter(record_id__in=ids).values_list("record_id", "hearts"))
    return {pk: TargetCounts(hearts=found.get(pk, 0)) for pk in ids}


def production_counts(*, production_ids: Iterable[int]) -> dict[int, TargetCounts]:
    """Hearts and followers of each production (one query)."""
    ids = list(set(production_ids))
    found = {
        pk: TargetCounts(hearts=hearts, followers=followers)
        for pk, hearts, followers in ProductionStats.objects.filter(
            production_id__in=ids
        ).values_list("production_id", "hearts", "followers")
    }
    return {pk: found.get(pk, TargetCounts()) for pk in ids}
