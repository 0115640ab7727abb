"""Hearts and follows made at the same moment, each on its own connection and transaction:
counts stay exact, and a member's double click leaves one row and a count of one.

PostgreSQL only: SQLite's IMMEDIATE transactions serialise writers, so there is no race
to lose there; PostgreSQL runs them side by side and meets them at the unique constraint
and the stats row's lock.
"""

from typing import Any

import pytest
from django.db import connection

from riffhouse.accounts.models import User
from riffhouse.community import social
from riffhouse.community.models import Follow, Heart, MemberStats, ProductionStats, RecordStats
from riffhouse.community.tests.social_scene import (  # noqa: F401 (fixtures)
    make_production_fixture,
    production_fixture,
    record_fixture,
)
from riffhouse.core.testing import at_once
from riffhouse.productions.models import Production

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; the race is PostgreSQL's (real concurrent connections)",
    ),
]

MEMBERS = 8


@pytest.fixture
def members(make_user: Any) -> list[User]:
    return [make_user(f"fan{n}") for n in range(MEMBERS)]


def _no_errors(results: list[Any]) -> None:
    assert not [r for r in results if isinstance(r, Exception)], results


def test_many_members_heart_one_record_at_once(members: list[User], record: Any) -> None:
    results = at_once(*(lambda m=m: social.heart_add(user=m, record=record) for m in members))
    _no_errors(results)
    assert Heart.objects.filter(record=record).count() == MEMBERS
    assert RecordStats.objects.get(record=record).hearts == MEMBERS


def test_one_member_hearting_twice_at_once_keeps_one_heart(
    members: list[User], record: Any
) -> None:
    fan = members[0]
    results = at_once(*(lambda: social.heart_add(user=fan, record=record) for _ in range(4)))
    _no_errors(results)
    assert len({heart.pk for heart in results}) == 1
    assert Heart.objects.filter(record=record).count() == 1
    assert RecordStats.objects.get(record=record).hearts == 1


def test_hearts_and_unhearts_at_once_leave_the_count_exact(
    members: list[User], production: Production
) -> None:
    for member in members[: MEMBERS // 2]:
        social.heart_add(user=member, production=production)
    results = at_once(
        *(
            lambda m=m, n=n: (
                social.heart_remove(user=m, production=production)
                if n < MEMBERS // 2
                else social.heart_add(user=m, production=production)
            )
            for n, m in enumerate(members)
        )
    )
    _no_errors(results)
    hearts = Heart.objects.filter(production=production).count()
    assert hearts == MEMBERS // 2
    assert ProductionStats.objects.get(production=production).hearts == hearts


def test_many_members_follow_one_at_once(members: list[User], user: User) -> None:
    results = at_once(*(lambda m=m: social.follow_add(follower=m, user=user) for m in members))
    _no_errors(results)
    assert Follow.objects.filter(user=user).count() == MEMBERS
    assert MemberStats.objects.get(user=user).followers == MEMBERS
    assert sorted(MemberStats.objects.filter(following=1).values_list("user_id", flat=True)) == (
        sorted(m.pk for m in members)
    )


def test_one_member_following_twice_at_once_keeps_one_follow(
    members: list[User], user: User
) -> None:
    fan = members[0]
    results = at_once(*(lambda: social.follow_add(follower=fan, user=user) for _ in range(4)))
    _no_errors(results)
    assert Follow.objects.filter(follower=fan, user=user).count() == 1
    assert MemberStats.objects.get(user=user).followers == 1
    assert MemberStats.objects.get(user=fan).following == 1


def test_two_members_following_each_other_at_once_do_not_deadlock(
    members: list[User],
) -> None:
    one, two = members[0], members[1]
    results = at_once(
        lambda: social.follow_add(follower=one, user=two),
        lambda: social.follow_add(follower=two, user=one),
    )
    _no_errors(results)
    assert MemberStats.objects.get(user=one).followers == 1
    assert MemberStats.objects.get(user=one).following == 1
    assert MemberStats.objects.get(user=two).followers == 1


def test_members_follow_a_production_at_once(members: list[User], production: Production) -> None:
    results = at_once(
        *(lambda m=m: social.follow_add(follower=m, production=production) for m in members)
    )
    _no_errors(results)
    assert ProductionStats.objects.get(production=production).followers == MEMBERS
