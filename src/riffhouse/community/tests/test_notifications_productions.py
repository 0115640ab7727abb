"""Members who follow a production hear when it opens for submissions and when it is
released (PRODUCTION_UPDATE); its credited contributors hear of the release itself."""

from collections.abc import Callable

import pytest

from riffhouse.accounts.models import User
from riffhouse.community.models import Follow, Notification
from riffhouse.productions import services as production_services
from riffhouse.productions.hooks import after_release
from riffhouse.productions.models import Production

pytestmark = pytest.mark.django_db


@pytest.fixture
def producer(make_user: Callable[..., User]) -> User:
    return make_user("paz", display_name="Paz Ortega")


@pytest.fixture
def production(producer: User) -> Production:
    return production_services.production_create(
        actor=producer, kind="episode", title="Space", brief="Songs about leaving Earth."
    )


def test_followers_hear_when_it_opens_and_not_when_it_closes(
    production: Production, producer: User, user: User, make_user: Callable[..., User]
) -> None:
    bystander = make_user("bystander")
    Follow.objects.create(follower=user, production=production)
    Follow.objects.create(follower=producer, production=production)  # their own move: silent

    production_services.production_status_set(actor=producer, production=production, status="open")
    [update] = Notification.objects.all()
    assert (update.recipient_id, update.verb, update.production_id, update.actor_id) == (
        user.pk,
        "production_update",
        production.pk,
        producer.pk,
    )
    assert update.text == "Open for submissions."
    production_services.production_status_set(
        actor=producer, production=production, status="curating"
    )
    assert Notification.objects.count() == 1
    assert not Notification.objects.filter(recipient=bystander).exists()


def test_a_release_tells_the_credited_and_the_followers_once_each(
    production: Production, producer: User, user: User, ana: User
) -> None:
    Follow.objects.create(follower=user, production=production)
    Follow.objects.create(follower=ana, production=production)
    after_release(production=production, credited_user_ids=[ana.pk, producer.pk])
    told = sorted(Notification.objects.values_list("recipient__username", "verb"))
    # Ana is credited: she hears of the release, not an update as well. The producer
    # released it: nobody tells them.
    assert told == [("ana", "production_released"), ("orion", "production_update")]
