"""Email digests: one email a day at most per member, of the categories they set to
"digest", with absolute links, marking what it carried (`emailed_at`)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.community.digests import digests_send
from riffhouse.community.models import Notification, NotificationPreference
from riffhouse.community.notify import notify
from riffhouse.community.tasks import notification_digests_send
from riffhouse.core.periodic import periodic_registered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "https://riff.example"


def digest(user: User, *categories: str) -> None:
    for category in categories:
        NotificationPreference.objects.create(user=user, category=category, delivery="digest")


def test_the_digest_job_is_registered_to_run_every_hour() -> None:
    [entry] = [p for p in periodic_registered() if p.task == notification_digests_send]
    assert entry.every == timedelta(hours=1)


def test_a_member_gets_one_email_with_their_digest_categories_only(
    user: User, ana: User, source: Any, remix: Any
) -> None:
    digest(user, "followers", "remixes")
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    notify(
        recipient_ids=[user.pk],
        actor_id=ana.pk,
        verb="remixed",
        record_id=remix.pk,
        source_id=source.pk,
    )
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="mentioned", record_id=source.pk)

    assert notification_digests_send.call() == 1

    [email] = mail.outbox
    assert email.to == ["orion@ex.org"]
    assert email.subject == "Riffhouse: 2 new notifications"
    assert "Ana Reyes — followed you" in email.body
    assert "Ana Reyes — remixed your record: “Moon animation”" in email.body
    assert "Mentioned" not in email.body and "mentioned" not in email.body
    followed = Notification.objects.get(verb="followed")
    assert f"https://riff.example/notifications/{followed.pk}/\n" in email.body
    assert "https://riff.example/settings/notifications/" in email.body
    emailed = dict(Notification.objects.values_list("verb", "emailed_at"))
    assert emailed["followed"] and emailed["remixed"] and emailed["mentioned"] is None


def test_at_most_one_digest_a_day_and_nothing_twice(user: User, ana: User) -> None:
    digest(user, "followers")
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    assert digests_send() == 1
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    assert digests_send() == 0  # the same day: waits
    assert len(mail.outbox) == 1
    tomorrow = timezone.now() + timedelta(days=1, minutes=1)
    assert digests_send(now=tomorrow) == 1
    assert "1 new notification" in mail.outbox[1].subject  # only the one not emailed yet
    assert digests_send(now=tomorrow + timedelta(days=2)) == 0  # nothing new: no email


def test_in_app_members_and_members_who_left_get_no_digest(
    user: User, ana: User, make_user: Callable[..., User]
) -> None:
    leaver = make_user("leaver")
    digest(leaver, "followers")
    notify(recipient_ids=[user.pk, leaver.pk], actor_id=ana.pk, verb="followed")
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    assert digests_send() == 0
    assert mail.outbox == []


def test_many_members_cost_a_few_queries_per_batch(
    ana: User, make_user: Callable[..., User], django_assert_max_num_queries: Any
) -> None:
    members = [make_user(f"member-{i}") for i in range(12)]
    for member in members:
        digest(member, "followers", "comments")
    notify(recipient_ids=[m.pk for m in members], actor_id=ana.pk, verb="followed")
    # Per batch of 5: members, their categories, recent digests, notifications, members,
    # the update (and a savepoint pair); then the empty look-up that ends it.
    with django_assert_max_num_queries(3 * 9 + 1):
        assert digests_send(batch=5) == 12
    assert len(mail.outbox) == 12
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
