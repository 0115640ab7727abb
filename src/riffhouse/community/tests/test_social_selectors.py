"""Reads of follows and hearts: lists newest first at a fixed cost, a viewer's states and
the counts, each in one query."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from riffhouse.accounts.models import User
from riffhouse.accounts.services import account_delete
from riffhouse.community import social
from riffhouse.community.tests.social_scene import (  # noqa: F401 (fixtures)
    make_production_fixture,
    production_fixture,
    record_fixture,
)
from riffhouse.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_follower_and_following_lists_newest_first(
    user: User, make_user: Any, django_assert_num_queries: Any
) -> None:
    fans = [make_user(f"fan{n}") for n in range(3)]
    for fan in fans:
        social.follow_add(follower=fan, user=user)
    social.follow_add(follower=user, user=fans[0])
    with django_assert_num_queries(1):
        page = social.follower_list(user=user)
        names = [m.username for m in page.items]
    assert names == ["fan2", "fan1", "fan0"] and page.next_cursor is None
    assert [m.username for m in social.following_list(user=user).items] == ["fan0"]


def test_lists_page_without_repeats(user: User, make_user: Any) -> None:
    fans = [make_user(f"fan{n}") for n in range(5)]
    for fan in fans:
        social.follow_add(follower=fan, user=user)
    first = social.follower_list(user=user, limit=2)
    second = social.follower_list(user=user, cursor=first.next_cursor, limit=2)
    third = social.follower_list(user=user, cursor=second.next_cursor, limit=2)
    seen = [m.username for p in (first, second, third) for m in p.items]
    assert seen == ["fan4", "fan3", "fan2", "fan1", "fan0"] and third.next_cursor is None


def test_a_member_who_left_leaves_the_lists(user: User, make_user: Any) -> None:
    gone = make_user("gone")
    social.follow_add(follower=gone, user=user)
    account_delete(user=gone, password="a-long-and-lovely-passphrase")
    assert social.follower_list(user=user).items == []


def test_a_made_up_cursor_is_refused(user: User) -> None:
    with pytest.raises(ApplicationError) as refused:
        social.follower_list(user=user, cursor="not-a-cursor")
    assert refused.value.code == "invalid_cursor"


def test_follow_states_in_one_query(
    user: User, ana: User, make_user: Any, django_assert_num_queries: Any
) -> None:
    bea, cyd = make_user("bea"), make_user("cyd")
    social.follow_add(follower=ana, user=user)
    social.follow_add(follower=ana, user=cyd)
    with django_assert_num_queries(1):
        assert social.follow_states(viewer=ana, user_ids=[user.pk, bea.pk, cyd.pk]) == {
            user.pk,
            cyd.pk,
        }
    with django_assert_num_queries(0):
        assert social.follow_states(viewer=AnonymousUser(), user_ids=[user.pk]) == set()


def test_heart_states_in_one_query(
    ana: User, record: Any, production: Any, make_record: Any, django_assert_num_queries: Any
) -> None:
    other = make_record("text", title="Other")
    social.heart_add(user=ana, record=record)
    social.heart_add(user=ana, production=production)
    with django_assert_num_queries(1):
        states = social.heart_states(
            viewer=ana, record_ids=[record.pk, other.pk], production_ids=[production.pk]
        )
    assert states.records == {record.pk} and states.productions == {production.pk}
    nothing = social.heart_states(viewer=AnonymousUser(), record_ids=[record.pk])
    assert not nothing.records


def test_counts_in_one_query_each(
    user: User,
    ana: User,
    record: Any,
    production: Any,
    make_record: Any,
    django_assert_num_queries: Any,
) -> None:
    other = make_record("text", title="Other")
    social.follow_add(follower=ana, user=user)
    social.follow_add(follower=ana, production=production)
    social.heart_add(user=ana, record=record)
    social.heart_add(user=ana, production=production)
    with django_assert_num_queries(3):
        members = social.member_counts(user_ids=[user.pk, ana.pk])
        records = social.record_counts(record_ids=[record.pk, other.pk])
        productions = social.production_counts(production_ids=[production.pk])
    assert (members[user.pk].followers, members[user.pk].following) == (1, 0)
    assert (members[ana.pk].followers, members[ana.pk].following) == (0, 2)
    assert records[record.pk].hearts == 1 and records[other.pk].hearts == 0
    assert (productions[production.pk].hearts, productions[production.pk].followers) == (1, 1)
