"""The housekeeping `riffhouse serve` runs every few minutes (production: from cron)."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from riffhouse.core.email import email_enqueue
from riffhouse.core.management.commands.serve import JOB_RESULTS_KEPT_DAYS, housekeeping

pytestmark = pytest.mark.django_db


def test_finished_jobs_are_pruned_after_a_week_and_waiting_ones_kept(db_task_backend) -> None:
    for _ in range(3):
        email_enqueue(to="orion@ex.org", template="accounts/email/confirm", context={})
    old, recent, waiting = DBTaskResult.objects.order_by("enqueued_at")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.pk).update(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=now - timedelta(days=JOB_RESULTS_KEPT_DAYS + 1),
    )
    DBTaskResult.objects.filter(pk=recent.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=now - timedelta(days=1)
    )
    housekeeping()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


def test_expired_sessions_are_forgotten(client, user) -> None:
    from riffhouse.core.models import MemberSession

    client.force_login(user)
    live = client.session.session_key
    MemberSession.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    housekeeping()
    assert list(MemberSession.objects.values_list("session_key", flat=True)) == [live]
