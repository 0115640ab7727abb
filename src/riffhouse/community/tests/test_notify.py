"""`notify`: the one call every app makes, delivered by a job with preferences and blocks
applied (decision 0030)."""

from collections.abc import Callable

import pytest

from riffhouse.accounts.models import Block, User
from riffhouse.community.models import (
    Delivery,
    Notification,
    NotificationCategory,
    NotificationPreference,
    NotificationVerb,
)
from riffhouse.community.notify import VERB_CATEGORIES, notify

pytestmark = pytest.mark.django_db


def test_every_verb_has_a_category() -> None:
    assert set(VERB_CATEGORIES) == set(NotificationVerb.values)
    assert set(VERB_CATEGORIES.values()) <= set(NotificationCategory.values)


def test_notify_writes_one_row_per_recipient_but_never_the_actor(
    user: User, make_user: Callable[..., User]
) -> None:
    ana, bo = make_user("ana"), make_user("bodhi")
    notify(recipient_ids=[ana.pk, bo.pk, user.pk, None, ana.pk], actor_id=user.pk, verb="followed")
    rows = Notification.objects.filter(verb=NotificationVerb.FOLLOWED)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted([ana.pk, bo.pk])
    assert {n.actor_id for n in rows} == {user.pk}


def test_a_category_turned_off_and_a_block_tell_nobody(
    user: User, make_user: Callable[..., User]
) -> None:
    quiet, blocker, told = make_user("quiet"), make_user("blocker"), make_user("told")
    NotificationPreference.objects.create(
        user=quiet, category=NotificationCategory.FOLLOWERS, delivery=Delivery.OFF
    )
    Block.objects.create(blocker=blocker, blocked=user)
    notify(recipient_ids=[quiet.pk, blocker.pk, told.pk], actor_id=user.pk, verb="followed")
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [told.pk]


def test_an_unknown_verb_is_a_programming_error(user: User) -> None:
    with pytest.raises(ValueError, match="unknown notification verb"):
        notify(recipient_ids=[user.pk], actor_id=None, verb="waved")
