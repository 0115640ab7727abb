"""Reads about members that carry a rule: who may be seen, which token is valid, whom a
member blocked."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet

from riffhouse.accounts.models import ApiToken, Block, Role, User
from riffhouse.accounts.services import token_digest
from riffhouse.core.cursors import cursor_decode, cursor_encode
from riffhouse.core.errors import ApplicationError, NotFound

BLOCKS_PER_PAGE = 50
BLOCKS_MAX_PER_PAGE = 100


def user_get_public(*, username: str) -> User:
    """A confirmed, active member by username (any casing). NotFound for nobody (or an
    unconfirmed account); 410 `deleted` for an account its member deleted."""
    user = (
        User.objects.filter(username__iexact=username)
        .filter(Q(is_active=True) | Q(deleted_at__isnull=False))
        .first()
    )
    if user is None:
        raise NotFound("No member by that name.")
    if user.deleted_at is not None:
        raise ApplicationError("This member left Riffhouse.", code="deleted", status=410)
    return user


def user_get_by_token(*, raw: str) -> tuple[User, ApiToken] | None:
    """The active member holding a live token, with the token; None otherwise."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw=raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    return token.user, token


def api_token_list(*, user: User | AnonymousUser) -> QuerySet[ApiToken]:
    if user.pk is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("revoked_at", "-created_at")


def block_between(*, user_id: int | None, other_id: int | None) -> bool:
    """True when either member blocked the other (a block stops contact both ways: the
    blocked member cannot reach the blocker, and the blocker is not offered to them). One
    query; False when either is None (a visitor or a former member)."""
    if user_id is None or other_id is None or user_id == other_id:
        return False
    return Block.objects.filter(
        Q(blocker_id=user_id, blocked_id=other_id) | Q(blocker_id=other_id, blocked_id=user_id)
    ).exists()


def blocked_by(*, blocker_ids: list[int], user_id: int) -> set[int]:
    """Which of `blocker_ids` blocked `user_id` (one query): for a comment's mentions, a
    submission's records, a batch of notifications."""
    if not blocker_ids:
        return set()
    return set(
        Block.objects.filter(blocker_id__in=blocker_ids, blocked_id=user_id).values_list(
            "blocker_id", flat=True
        )
    )


def blocks_made(*, user: User) -> QuerySet[Block]:
    """Every block `user` made, unordered and not yet run: a query for another app to narrow
    or nest (comments nest it as an EXISTS per row, so whom a reader blocked costs them no
    query of its own). `block_list` is the page a member reads."""
    return Block.objects.filter(blocker_id=user.pk)


def block_exists(*, blocker_id: int, blocked_id: int) -> bool:
    """Whether `blocker_id` blocked `blocked_id` (one way: the profile's Block button). Asked
    on every member's visit of a kept profile, so in SQL written once: the ORM's building of
    it cost a third of the page (decision 0044)."""
    with connection.cursor() as cursor:
        cursor.execute(_BLOCK_EXISTS_SQL, [blocker_id, blocked_id])
        return cursor.fetchone() is not None


_BLOCK_EXISTS_SQL = (
    f"SELECT 1 FROM {Block._meta.db_table}"  # noqa: S608 -- names from the model
    " WHERE blocker_id = %s AND blocked_id = %s"
)


@dataclass(frozen=True)
class BlockPage:
    """One page of the members someone blocked, the latest block first."""

    items: list[Block]
    next_cursor: str | None


def block_list(*, user: User, cursor: str | None = None, limit: int | None = None) -> BlockPage:
    """The members `user` blocked, the latest block first, `limit` (`BLOCKS_PER_PAGE`) after
    `cursor` (the previous page's `next_cursor`), each block with its member, in one query. A
    malformed cursor is an ApplicationError (400 `invalid_cursor`)."""
    limit = max(1, min(BLOCKS_PER_PAGE if limit is None else limit, BLOCKS_MAX_PER_PAGE))
    blocks = Block.objects.filter(blocker_id=user.pk)
    if cursor:
        at, pk = cursor_decode(cursor=cursor)
        blocks = blocks.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    rows = list(blocks.select_related("blocked").order_by("-created_at", "-pk")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        next_cursor = cursor_encode(at=rows[limit - 1].created_at, pk=rows[limit - 1].pk)
    return BlockPage(items=rows[:limit], next_cursor=next_cursor)


# Moderators among the instance roles: they see the moderation queue and act on reports.
MODERATOR_ROLES = frozenset({Role.MODERATOR, Role.STAFF, Role.ADMIN})


def user_is_moderator(*, user: object) -> bool:
    """True for a signed-in, live member whose role lets them moderate (moderator, staff,
    admin)."""
    return (
        isinstance(user, User)
        and user.is_authenticated
        and user.deleted_at is None
        and user.role in MODERATOR_ROLES
    )


def moderator_ids_besides(*, user_id: int, limit: int) -> list[int]:
    """Up to `limit` ids of members other than `user_id` who may moderate (a moderating role,
    active, not deleted: `user_is_moderator`'s rule), in one query. Whether someone else
    could take a decision (moderation's appeals)."""
    return list(
        User.objects.filter(role__in=MODERATOR_ROLES, is_active=True, deleted_at__isnull=True)
        .exclude(pk=user_id)
        .values_list("pk", flat=True)[:limit]
    )
