"""Jobs whose worker died (core/workers.py): requeued once, then failed; the health check
says so meanwhile. Real worker processes being killed: test_workers.py."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from riffhouse.core.models import WorkerHeartbeat
from riffhouse.core.tasks import email_send_task
from riffhouse.core.workers import jobs_reap_abandoned, worker_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(db_task_backend, settings) -> DBTaskResult:
    settings.WORKER_LEASE_SECONDS = 60
    email_send_task.enqueue(to=["a@ex.org"], subject="s", body="b")
    return DBTaskResult.objects.get()


def claim(job: DBTaskResult, *worker_ids: str, seconds_ago: float = 120) -> None:
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=list(worker_ids),
        started_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


def test_a_job_whose_worker_died_is_requeued_once_then_failed(job) -> None:
    claim(job, "gone-1")
    assert jobs_reap_abandoned() == (1, 0)
    job.refresh_from_db()
    assert (job.status, job.worker_ids) == (TaskResultStatus.READY, ["gone-1"])
    assert DBTaskResult.objects.ready().get() == job  # a worker can claim it again

    claim(job, "gone-1", "gone-2")
    assert jobs_reap_abandoned() == (0, 1)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "riffhouse.core.workers.WorkerLost"
    assert "(gone-2) stopped responding" in job.traceback
    assert jobs_reap_abandoned() == (0, 0)


def test_live_workers_and_fresh_claims_keep_their_jobs(job) -> None:
    worker_heartbeat(worker_id="alive", started_at=timezone.now())
    claim(job, "alive")
    assert jobs_reap_abandoned() == (0, 0)
    # Claimed a moment ago by a worker not seen yet: its lease has not run out.
    claim(job, "new", seconds_ago=5)
    assert jobs_reap_abandoned() == (0, 0)
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING
    # A worker last seen longer ago than the lease is dead.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=61))
    claim(job, "alive")
    assert jobs_reap_abandoned() == (1, 0)


def test_health_is_degraded_while_a_running_job_has_no_live_worker(job, client: Client) -> None:
    claim(job, "gone-1")
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    tasks = body["checks"]["tasks"]
    assert (tasks["running"], tasks["abandoned"], tasks["workers"]) == (1, 1, 0)
    assert tasks["error"] == "1 running job(s) have no live worker."

    worker_heartbeat(worker_id="gone-1", started_at=timezone.now())  # it was only slow
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert (body["checks"]["tasks"]["abandoned"], body["checks"]["tasks"]["workers"]) == (0, 1)
