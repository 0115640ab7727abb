"""Follows and hearts: the row and its count move together; refusals are clear."""

from typing import Any

import pytest

from riffhouse.accounts.models import AuditEvent, Block, User
from riffhouse.accounts.services import account_delete
from riffhouse.community import social
from riffhouse.community.models import (
    Follow,
    Heart,
    MemberStats,
    Notification,
    NotificationVerb,
    ProductionStats,
    RecordStats,
)
from riffhouse.community.tests.social_scene import (  # noqa: F401 (fixtures)
    make_production_fixture,
    production_fixture,
    record_fixture,
)
from riffhouse.core.errors import ApplicationError
from riffhouse.core.ratelimit import RateLimited
from riffhouse.records import services as records

pytestmark = pytest.mark.django_db


def _member_stats(user: User) -> tuple[int, int]:
    stats = MemberStats.objects.filter(user=user).first()
    return (stats.followers, stats.following) if stats else (0, 0)


# Follows of members -------------------------------------------------------------------------------
def test_follow_counts_notifies_and_audits(user: User, ana: User) -> None:
    follow = social.follow_add(follower=ana, user=user)
    assert follow.follower == ana and follow.user == user
    assert _member_stats(user) == (1, 0)
    assert _member_stats(ana) == (0, 1)
    told = Notification.objects.get(recipient=user)
    assert told.verb == NotificationVerb.FOLLOWED and told.actor == ana
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.FOLLOWED, actor=ana, target_id=user.pk
    ).exists()


def test_following_twice_keeps_one_follow_and_tells_once(user: User, ana: User) -> None:
    first = social.follow_add(follower=ana, user=user)
    again = social.follow_add(follower=ana, user=user)
    assert again.pk == first.pk
    assert Follow.objects.count() == 1
    assert _member_stats(user) == (1, 0)
    assert Notification.objects.filter(recipient=user).count() == 1


def test_unfollow_moves_counts_back_and_is_harmless_twice(user: User, ana: User) -> None:
    social.follow_add(follower=ana, user=user)
    assert social.follow_remove(follower=ana, user=user) is True
    assert social.follow_remove(follower=ana, user=user) is False
    assert _member_stats(user) == (0, 0)
    assert _member_stats(ana) == (0, 0)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNFOLLOWED, actor=ana).count() == 1


def test_unfollow_of_nobody_followed_changes_nothing(user: User, ana: User) -> None:
    assert social.follow_remove(follower=ana, user=user) is False
    assert not MemberStats.objects.exists()


def test_following_yourself_is_refused(user: User) -> None:
    with pytest.raises(ApplicationError) as refused:
        social.follow_add(follower=user, user=user)
    assert (refused.value.status, refused.value.code) == (400, "self_follow")
    assert not Follow.objects.exists()


@pytest.mark.parametrize("direction", ["they blocked you", "you blocked them"])
def test_a_block_either_way_stops_a_follow(user: User, ana: User, direction: str) -> None:
    if direction == "they blocked you":
        Block.objects.create(blocker=user, blocked=ana)
    else:
        Block.objects.create(blocker=ana, blocked=user)
    with pytest.raises(ApplicationError) as refused:
        social.follow_add(follower=ana, user=user)
    assert (refused.value.status, refused.value.code) == (403, "blocked")
    assert not Follow.objects.exists() and _member_stats(user) == (0, 0)


def test_a_member_who_left_cannot_be_followed(user: User, ana: User) -> None:
    account_delete(user=user, password="a-long-and-lovely-passphrase")
    user.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        social.follow_add(follower=ana, user=user)
    assert refused.value.status == 404


def test_follows_are_rate_limited_before_anything_is_written(
    user: User, ana: User, make_user: Any, settings: Any
) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "follow": (2, 3600)}
    others = [make_user(f"other{n}") for n in range(3)]
    social.follow_add(follower=ana, user=others[0])
    social.follow_add(follower=ana, user=others[1])
    with pytest.raises(RateLimited) as refused:
        social.follow_add(follower=ana, user=others[2])
    assert refused.value.status == 429 and int(refused.value.headers["Retry-After"]) > 0
    assert Follow.objects.count() == 2 and _member_stats(ana) == (0, 2)
    # Following again someone already followed is no new follow: not counted, not refused.
    social.follow_add(follower=ana, user=others[0])


# Follows of productions ---------------------------------------------------------------------------
def test_production_follow_counts_without_notifying(ana: User, production: Any) -> None:
    social.follow_add(follower=ana, production=production)
    social.follow_add(follower=ana, production=production)
    assert ProductionStats.objects.get(production=production).followers == 1
    assert _member_stats(ana) == (0, 1)
    assert not Notification.objects.filter(verb=NotificationVerb.FOLLOWED).exists()
    assert social.follow_remove(follower=ana, production=production)
    assert ProductionStats.objects.get(production=production).followers == 0


def test_a_draft_production_cannot_be_followed_or_hearted(
    ana: User, user: User, make_production: Any
) -> None:
    draft = make_production(status="draft")
    for attempt in (
        lambda: social.follow_add(follower=ana, production=draft),
        lambda: social.heart_add(user=ana, production=draft),
        lambda: social.heart_add(user=user, production=draft),  # even its producer
    ):
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.status == 404
    assert not Follow.objects.exists() and not Heart.objects.exists()


def test_naming_both_targets_or_none_is_refused(ana: User, user: User, production: Any) -> None:
    with pytest.raises(ApplicationError):
        social.follow_add(follower=ana, user=user, production=production)
    with pytest.raises(ApplicationError):
        social.heart_add(user=ana)


# Hearts -------------------------------------------------------------------------------------------
def test_heart_counts_once_and_undo(ana: User, record: Any) -> None:
    first = social.heart_add(user=ana, record=record)
    again = social.heart_add(user=ana, record=record)
    assert again.pk == first.pk
    assert RecordStats.objects.get(record=record).hearts == 1
    assert social.heart_remove(user=ana, record=record) is True
    assert social.heart_remove(user=ana, record=record) is False
    assert RecordStats.objects.get(record=record).hearts == 0
    assert not Heart.objects.exists()


def test_hearts_of_many_members_add_up(make_user: Any, record: Any, production: Any) -> None:
    members = [make_user(f"fan{n}") for n in range(4)]
    for member in members:
        social.heart_add(user=member, record=record)
        social.heart_add(user=member, production=production)
    assert RecordStats.objects.get(record=record).hearts == 4
    assert ProductionStats.objects.get(production=production).hearts == 4


def test_hearts_are_not_audited(ana: User, record: Any) -> None:
    before = AuditEvent.objects.count()
    social.heart_add(user=ana, record=record)
    social.heart_remove(user=ana, record=record)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("state", ["draft", "deleted"])
def test_a_record_not_listed_cannot_be_hearted(
    ana: User, user: User, make_record: Any, state: str
) -> None:
    if state == "draft":
        target = make_record("text", title="Unfinished", visibility="draft")
    else:
        target = make_record("text", title="Gone")
        records.record_delete(actor=user, record=target)
    with pytest.raises(ApplicationError) as refused:
        social.heart_add(user=ana, record=target)
    assert refused.value.status == 404
    assert not Heart.objects.exists() and not RecordStats.objects.exists()


def test_a_block_stops_a_heart_on_their_work(ana: User, user: User, record: Any) -> None:
    Block.objects.create(blocker=user, blocked=ana)
    with pytest.raises(ApplicationError) as refused:
        social.heart_add(user=ana, record=record)
    assert (refused.value.status, refused.value.code) == (403, "blocked")


def test_a_heart_can_be_taken_back_after_the_record_is_deleted(
    ana: User, user: User, record: Any
) -> None:
    social.heart_add(user=ana, record=record)
    records.record_delete(actor=user, record=record)
    assert social.heart_remove(user=ana, record=record) is True
    assert RecordStats.objects.get(record=record).hearts == 0


def test_hearts_are_rate_limited(ana: User, make_record: Any, user: User, settings: Any) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "heart": (1, 60)}
    first, second = make_record("text", title="One"), make_record("text", title="Two")
    social.heart_add(user=ana, record=first)
    with pytest.raises(RateLimited):
        social.heart_add(user=ana, record=second)
    assert Heart.objects.count() == 1
    assert not RecordStats.objects.filter(record=second).exists()
