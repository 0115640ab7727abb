"""Reads that cross the core: the health report."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from riffhouse.core.workers import jobs_abandoned, workers_live_ids

logger = logging.getLogger(__name__)

# A job waiting longer than this means no worker is taking jobs from its queue.
QUEUE_STALL_AFTER = timedelta(minutes=5)


def _check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("health: database unreachable: %s", exc)
        return {"ok": False, "error": "The database cannot be reached."}
    return {"ok": True, "vendor": connection.vendor}


def _check_storage() -> dict[str, Any]:
    try:
        name = default_storage.save("healthz/probe.txt", ContentFile(b"ok"))
        default_storage.delete(name)
    except OSError as exc:
        logger.warning("health: storage not writable: %s", exc)
        return {"ok": False, "error": "Media storage is not writable."}
    return {"ok": True, "backend": settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _check_tasks(*, database_ok: bool) -> dict[str, Any]:
    backend = task_backends["default"]
    report: dict[str, Any] = {"backend": type(backend).__name__, "queues": {}}
    if not isinstance(backend, DatabaseBackend):
        report["ok"] = True  # jobs run inline: there is no queue to stall
        return report
    if not database_ok:
        report["ok"] = False
        report["error"] = "The job queue lives in the database, which cannot be reached."
        return report
    now = timezone.now()
    rows = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .values("queue_name")
        .annotate(ready=Count("id"), oldest=Min("enqueued_at"))
    )
    stalled = []
    for row in rows:
        age = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
        report["queues"][row["queue_name"]] = {"ready": row["ready"], "oldest_seconds": round(age)}
        if age > QUEUE_STALL_AFTER.total_seconds():
            stalled.append(row["queue_name"])
    for queue in settings.TASK_QUEUES:
        report["queues"].setdefault(queue, {"ready": 0, "oldest_seconds": 0})
    report["running"] = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    report["workers"] = len(workers_live_ids())
    # A running job whose worker lost its lease: it is requeued (or failed) within a lease
    # and a heartbeat by any live worker; until then the instance is not healthy.
    abandoned = len(jobs_abandoned()) if report["running"] else 0
    report["abandoned"] = abandoned
    report["ok"] = not stalled and not abandoned
    errors = []
    if stalled:
        errors.append(f"Jobs are waiting with no worker taking them: {', '.join(stalled)}.")
    if abandoned:
        errors.append(f"{abandoned} running job(s) have no live worker.")
    if errors:
        report["error"] = " ".join(errors)
    return report


def health_report() -> tuple[dict[str, Any], bool]:
    """Check database, storage and job queue. Returns (report, serving) where `serving` is
    False when Riffhouse cannot serve requests (database or storage down); a stalled queue
    degrades the report but still serves."""
    database = _check_database()
    storage = _check_storage()
    tasks = _check_tasks(database_ok=database["ok"])
    serving = database["ok"] and storage["ok"]
    status = "ok" if serving and tasks["ok"] else ("degraded" if serving else "unavailable")
    return {
        "status": status,
        "checks": {"database": database, "storage": storage, "tasks": tasks},
    }, serving
