"""Follows and hearts: the row and the count it moves, written in one transaction.

Counts are exact under concurrency (decision 0030): the follow or heart row is inserted in
a savepoint (two requests racing to add the same one meet the unique constraint, and the
loser reads the winner's row back instead of failing), and only the request that really
inserted (or deleted) a row moves the `*Stats` counter, with an `F()` update. A missing
`*Stats` row is created in a savepoint too; whoever loses that race updates the row the
winner made. When one write moves two members' counts (a follow), the rows are updated in
the order of their ids, so two members following each other at the same moment cannot
deadlock.
"""

from django.db import IntegrityError, models, transaction
from django.db.models import F

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.selectors import block_between
from riffhouse.accounts.services import audit
from riffhouse.community.models import (
    Follow,
    Heart,
    MemberStats,
    NotificationVerb,
    ProductionStats,
    RecordStats,
)
from riffhouse.community.notify import notify
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.core.ratelimit import rate_limit_hit
from riffhouse.productions.models import Production, ProductionStatus
from riffhouse.records.models import Record


# Targets a member may follow or heart ---------------------------------------------------------
def member_check_followable(*, user: User) -> None:
    """NotFound unless `user` is a member others can find: active and not deleted."""
    if not user.is_active or user.deleted_at is not None:
        raise NotFound("No member by that name.")


def record_check_heartable(*, record: Record) -> None:
    """NotFound unless the record is listed (published, live, not deleted, and whatever
    moderation adds to `listed()`, such as not hidden): one indexed query."""
    if not Record.objects.listed().filter(pk=record.pk).exists():
        raise NotFound("No record here.")


def production_check_public(*, production: Production) -> None:
    """NotFound for a draft production (public once it is opened), even for its producers:
    a draft has nothing to follow or heart yet."""
    if production.status == ProductionStatus.DRAFT:
        raise NotFound("No production here.")


def _one_target(first: object | None, second: object | None, what: str) -> None:
    if (first is None) == (second is None):
        raise ApplicationError(f"Name exactly one {what}.", code="invalid_target")


# Counters ---------------------------------------------------------------------------------------
def _stats_move(model: type[models.Model], key: str, pk: int, field: str, delta: int) -> None:
    """Add `delta` to `field` of the stats row `pk`, creating the row when it is missing.

    The update comes first (the common case: one query). A missing row is inserted in a
    savepoint; if another transaction inserted it first, the insert fails on the primary key
    and the update is repeated on the row it made. A decrement never goes below zero (a row
    created after the fact knows nothing of older follows or hearts)."""
    rows = model._default_manager.filter(**{key: pk})
    if delta < 0:
        rows = rows.filter(**{f"{field}__gte": -delta})
    if rows.update(**{field: F(field) + delta}):
        return
    if delta < 0:
        return
    try:
        with transaction.atomic():
            model._default_manager.create(**{key: pk, field: delta})
    except IntegrityError:
        model._default_manager.filter(**{key: pk}).update(**{field: F(field) + delta})


def _member_counts_move(*, follower_id: int, followed_id: int, delta: int) -> None:
    moves = {follower_id: "following", followed_id: "followers"}
    for pk in sorted(moves):  # a fixed order: no deadlock between two members
        _stats_move(MemberStats, "user_id", pk, moves[pk], delta)


def _rate_limit(*, action: str, user: User) -> None:
    rate_limit_hit(action=action, user_id=user.pk, joined_at=user.date_joined)


# Follows ------------------------------------------------------------------------------------------
@transaction.atomic
def follow_add(
    *, follower: User, user: User | None = None, production: Production | None = None
) -> Follow:
    """`follower` follows a member (`user`) or a production. Idempotent: following again
    returns the existing follow and changes no count.

    Refused: following yourself (400 `self_follow`); a member either of you blocked (403
    `blocked`); a deleted or inactive member, a draft production (404); too many follows in
    a short time (429 `rate_limited`). A followed member is told (a production's producers
    are not: a production's followers are an audience, not news). Audited (FOLLOWED)."""
    _one_target(user, production, "member or production to follow")
    if user is not None:
        if user.pk == follower.pk:
            raise ApplicationError("You cannot follow yourself.", code="self_follow")
        member_check_followable(user=user)
        if block_between(user_id=follower.pk, other_id=user.pk):
            raise PermissionDenied("You cannot follow this member.", code="blocked")
        existing = Follow.objects.filter(follower=follower, user=user).first()
    else:
        assert production is not None
        production_check_public(production=production)
        existing = Follow.objects.filter(follower=follower, production=production).first()
    if existing is not None:
        return existing
    _rate_limit(action="follow", user=follower)
    try:
        with transaction.atomic():
            follow = Follow.objects.create(follower=follower, user=user, production=production)
    except IntegrityError:
        # The same follow, added by a request that won the race: it moved the counts.
        return Follow.objects.get(follower=follower, user=user, production=production)
    if user is not None:
        _member_counts_move(follower_id=follower.pk, followed_id=user.pk, delta=1)
        notify(recipient_ids=[user.pk], actor_id=follower.pk, verb=NotificationVerb.FOLLOWED)
    else:
        assert production is not None
        _stats_move(MemberStats, "user_id", follower.pk, "following", 1)
        _stats_move(ProductionStats, "production_id", production.pk, "followers", 1)
    audit(
        action=AuditEvent.Action.FOLLOWED,
        subject=follower,
        actor=follower,
        target=user if user is not None else production,
    )
    return follow


@transaction.atomic
def follow_remove(
    *, follower: User, user: User | None = None, production: Production | None = None
) -> bool:
    """`follower` stops following a member or a production. True when a follow was removed;
    False (and nothing changes) when there was none. Never refused for blocks or visibility:
    leaving is always allowed. Audited (UNFOLLOWED) when something was removed."""
    _one_target(user, production, "member or production to unfollow")
    deleted, _ = Follow.objects.filter(follower=follower, user=user, production=production).delete()
    if not deleted:
        return False
    if user is not None:
        _member_counts_move(follower_id=follower.pk, followed_id=user.pk, delta=-1)
    else:
        assert production is not None
        _stats_move(MemberStats, "user_id", follower.pk, "following", -1)
        _stats_move(ProductionStats, "production_id", production.pk, "followers", -1)
    audit(
        action=AuditEvent.Action.UNFOLLOWED,
        subject=follower,
        actor=follower,
        target=user if user is not None else production,
    )
    return True


# Hearts -------------------------------------------------------------------------------------------
# Hearts are not audited: they are the most frequent write members make (the benchmark
# counts ten million), they change nothing anyone relies on, and the heart row itself says
# who hearted what and when — an audit row would double the write for no new fact.
@transaction.atomic
def heart_add(
    *, user: User, record: Record | None = None, production: Production | None = None
) -> Heart:
    """`user` hearts a record or a production. Idempotent: hearting again returns the
    existing heart and the count stays where it was.

    Refused: a record that is not listed (a draft, deleted or hidden) or a draft production
    (404); a record whose author blocked `user`, or whom `user` blocked (403 `blocked`); too
    many hearts in a short time (429 `rate_limited`). Not audited (see above)."""
    _one_target(record, production, "record or production to heart")
    if record is not None:
        record_check_heartable(record=record)
        if block_between(user_id=user.pk, other_id=record.author_id):
            raise PermissionDenied("You cannot heart this member's work.", code="blocked")
        existing = Heart.objects.filter(user=user, record=record).first()
    else:
        assert production is not None
        production_check_public(production=production)
        existing = Heart.objects.filter(user=user, production=production).first()
    if existing is not None:
        return existing
    _rate_limit(action="heart", user=user)
    try:
        with transaction.atomic():
            heart = Heart.objects.create(user=user, record=record, production=production)
    except IntegrityError:
        return Heart.objects.get(user=user, record=record, production=production)
    if record is not None:
        _stats_move(RecordStats, "record_id", record.pk, "hearts", 1)
    else:
        assert production is not None
        _stats_move(ProductionStats, "production_id", production.pk, "hearts", 1)
    return heart


@transaction.atomic
def heart_remove(
    *, user: User, record: Record | None = None, production: Production | None = None
) -> bool:
    """`user` takes their heart back. True when a heart was removed; False (harmless) when
    there was none. Allowed whatever became of the record since."""
    _one_target(record, production, "record or production")
    deleted, _ = Heart.objects.filter(user=user, record=record, production=production).delete()
    if not deleted:
        return False
    if record is not None:
        _stats_move(RecordStats, "record_id", record.pk, "hearts", -1)
    else:
        assert production is not None
        _stats_move(ProductionStats, "production_id", production.pk, "hearts", -1)
    return True
