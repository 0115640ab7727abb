"""Job workers that die mid-job. django-tasks-db marks a job RUNNING when a worker claims it
and never looks at it again, so a worker killed mid-job (SIGKILL, the OOM killer, a machine
lost) would strand the job — and whatever waits on it — forever.

Every worker (`riffhouse db_worker`, core's override of django-tasks-db's command) keeps a
heartbeat row in the database (`WorkerHeartbeat`), so this works with any number of workers
on any number of machines, on PostgreSQL and SQLite alike. A worker not seen for
WORKER_LEASE_SECONDS has lost its lease: the job it was running is abandoned. Every live
worker looks for abandoned jobs on each heartbeat; the first time a job is abandoned it is
put back in its queue, the second time it is failed with a `WorkerLost` error, and the app
that owns the task hears of it through `job_abandoned_register` (records fails the version
with a reason its owner reads)."""

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import DurationField, Value
from django.db.models.functions import Now
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from riffhouse.core.models import WorkerHeartbeat
from riffhouse.core.periodic import periodic_enqueue_due

logger = logging.getLogger(__name__)

# How many workers may claim one job before it is failed: the first claim plus one requeue.
JOB_CLAIMS_ALLOWED = 2

_abandoned_handlers: dict[str, Callable[..., None]] = {}


class WorkerLost(Exception):
    """Stored on a job whose worker died under it once too often."""


def job_abandoned_register(task: Task[Any, Any], handler: Callable[..., None]) -> None:
    """Have `handler(reason=..., **the job's keyword arguments)` called when a job of `task` is
    failed because the workers running it died; it runs in the transaction that fails the job.
    Apps register in their AppConfig.ready()."""
    _abandoned_handlers[task.module_path] = handler


def _lease() -> Any:
    """The oldest heartbeat that still counts as alive, in database time (so machines whose
    clocks disagree still agree on who is alive)."""
    return Now() - Value(
        timedelta(seconds=settings.WORKER_LEASE_SECONDS), output_field=DurationField()
    )


def worker_heartbeat(*, worker_id: str, started_at: datetime) -> None:
    """Record that this worker is alive now."""
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=Now()):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at,
            seen_at=timezone.now(),
        )


def worker_gone(*, worker_id: str) -> None:
    """A worker that stops cleanly says so: it is not mistaken for a live one."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def workers_live_ids() -> set[str]:
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=_lease()).values_list("worker_id", flat=True)
    )


def jobs_abandoned() -> list[DBTaskResult[Any, Any]]:
    """Running jobs whose worker (the last to claim them) holds no lease."""
    live = workers_live_ids()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "id", "worker_ids", "started_at", "task_path", "args_kwargs"
    )
    return [job for job in running if not job.worker_ids or job.worker_ids[-1] not in live]


def jobs_reap_abandoned() -> tuple[int, int]:
    """Requeue each abandoned job once; fail it when it is abandoned again. Returns
    (requeued, failed). Safe to run from any number of workers at once."""
    requeued = failed = 0
    # A claim younger than the lease may belong to a worker whose first heartbeat we missed.
    started_before = timezone.now() - timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    for seen in jobs_abandoned():
        if seen.started_at and seen.started_at > started_before:
            continue
        with transaction.atomic():
            job = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=seen.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if job is None or job.worker_ids != seen.worker_ids:
                continue  # finished, or reaped by another worker meanwhile
            worker_id = job.worker_ids[-1] if job.worker_ids else "unknown"
            if len(job.worker_ids) < JOB_CLAIMS_ALLOWED:
                job.status = TaskResultStatus.READY
                job.save(update_fields=["status"])
                logger.warning(
                    "job %s (%s): worker %s died running it; queued again",
                    job.pk,
                    job.task_path,
                    worker_id,
                )
                requeued += 1
                continue
            reason = (
                f"The worker running this job ({worker_id}) stopped responding; "
                f"it was already requeued once after the same, so it is not tried again."
            )
            job.set_failed(WorkerLost(reason))
            handler = _abandoned_handlers.get(job.task_path)
            if handler is not None:
                handler(reason=reason, **job.args_kwargs.get("kwargs", {}))
            logger.error("job %s (%s): %s", job.pk, job.task_path, reason)
            failed += 1
    return requeued, failed


def worker_heartbeats_prune() -> int:
    """Forget workers not seen for a day (killed ones never delete their own row)."""
    cutoff = Now() - Value(timedelta(days=1), output_field=DurationField())
    return WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()[0]


class JobWorker(Worker):
    """django-tasks-db's worker loop, which would exit if a job's row were deleted while the
    job ran (an admin clearing jobs, a test flushing its database): recording the result then
    finds no row to update, and django-tasks-db lets that error out of its loop. Here the job
    is logged as gone and the worker takes the next one."""

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        try:
            super().run_task(db_task_result)
        except DBTaskResult.NotUpdated:
            logger.warning(
                "job %s (%s) was deleted while it ran; its result is not recorded",
                db_task_result.id,
                db_task_result.task_path,
            )


class Heartbeat(threading.Thread):
    """Beats for one worker process from a thread of its own, so a long job (a half-hour
    transcode) never makes its worker look dead; and reaps other workers' abandoned jobs."""

    def __init__(self, *, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self._stopping = threading.Event()

    def beat(self) -> None:
        worker_heartbeat(worker_id=self.worker_id, started_at=self.started_at)
        jobs_reap_abandoned()
        periodic_enqueue_due()

    def run(self) -> None:
        try:
            while not self._stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    close_old_connections()
                    self.beat()
                except Exception:  # a database hiccup must not end the heartbeat for good
                    logger.exception("worker %s: heartbeat failed", self.worker_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)
