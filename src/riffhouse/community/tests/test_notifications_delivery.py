"""Every event's notification is a job (decision 0030): the request that caused it writes
no notification row; the worker does."""

from collections.abc import Callable
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from riffhouse.accounts.models import User
from riffhouse.community.models import Follow, Notification
from riffhouse.lineage.hooks import after_remix_created
from riffhouse.productions import services as production_services

pytestmark = pytest.mark.django_db


def run_queued_jobs() -> None:
    """What a worker does with each queued job (claim it, run its task, record the result),
    here in this process; core/tests/test_workers.py runs real worker processes."""
    for job in DBTaskResult.objects.ready():
        job.claim("test-worker")
        args = job.args_kwargs
        job.set_successful(job.task.call(*args["args"], **args["kwargs"]))


def test_a_remix_leaves_a_queued_job_and_no_row_until_the_job_runs(
    db_task_backend: Any, user: User, source: Any, remix: Any, make_link: Callable[..., Any]
) -> None:
    DBTaskResult.objects.all().delete()  # the records' processing jobs
    after_remix_created(link=make_link(remix, source, usage="the chorus"))

    job = DBTaskResult.objects.get()
    assert job.queue_name == "notifications"
    assert job.task_path.endswith("notifications_deliver")
    assert not Notification.objects.exists()

    run_queued_jobs()

    told = Notification.objects.get()
    assert (told.recipient_id, told.verb, told.text) == (user.pk, "remixed", "the chorus")
    assert (told.record_id, told.source_id) == (remix.pk, source.pk)


def test_a_production_opening_tells_its_followers_through_a_job(
    db_task_backend: Any, user: User, make_user: Callable[..., User]
) -> None:
    producer = make_user("paz")
    production = production_services.production_create(
        actor=producer, kind="episode", title="Space", brief="Songs about leaving Earth."
    )
    Follow.objects.create(follower=user, production=production)
    DBTaskResult.objects.all().delete()

    production_services.production_status_set(actor=producer, production=production, status="open")

    assert DBTaskResult.objects.filter(task_path__endswith="notifications_deliver").count() == 1
    assert not Notification.objects.exists()
    run_queued_jobs()
    update = Notification.objects.get()
    assert (update.recipient_id, update.verb, update.production_id) == (
        user.pk,
        "production_update",
        production.pk,
    )
