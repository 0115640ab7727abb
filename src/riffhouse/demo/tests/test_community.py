"""The demo delivers the notifications it queued before it finishes, through the database
job queue's own worker machinery (as `make run` uses it), so they wait for each member at
their first log-in."""

import pytest
from django_tasks_db.models import DBTaskResult

from riffhouse.community.models import Notification
from riffhouse.community.notify import notify
from riffhouse.demo.community import notifications_deliver_queued


@pytest.mark.django_db
def test_the_queued_notification_jobs_run_and_their_notifications_wait_unread(
    db_task_backend, make_user
):
    mira, orion = make_user("mira"), make_user("orion")
    notify(recipient_ids=[mira.pk], actor_id=orion.pk, verb="followed")
    notify(recipient_ids=[orion.pk], actor_id=mira.pk, verb="followed")
    assert not Notification.objects.exists()  # queued, not yet delivered

    assert notifications_deliver_queued() == 2

    assert set(Notification.objects.values_list("recipient__username", "read_at")) == {
        ("mira", None),
        ("orion", None),
    }
    jobs = DBTaskResult.objects.filter(queue_name="notifications")
    assert set(jobs.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert notifications_deliver_queued() == 0


@pytest.mark.django_db
def test_with_inline_jobs_nothing_waits(make_user):
    mira, orion = make_user("mira"), make_user("orion")
    notify(recipient_ids=[mira.pk], actor_id=orion.pk, verb="followed")
    assert Notification.objects.filter(recipient=mira).count() == 1
    assert notifications_deliver_queued() == 0
