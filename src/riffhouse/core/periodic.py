"""Jobs that run every so often (trending scores, email digests), enqueued by the workers.

An app registers a task and its interval in its `AppConfig.ready()`:
`periodic_register(trending_compute_task, every=timedelta(minutes=10))`. Every worker's
heartbeat (core/workers.py) calls `periodic_enqueue_due`, which claims each due job with a
conditional UPDATE of its `PeriodicRun` row: on PostgreSQL and SQLite alike exactly one
claimer moves the time forward, so a job is enqueued once per interval however many workers
run. Without a worker nothing runs (as with every job); `riffhouse periodic --now` enqueues
every registered job once, for operators and tests.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone

from riffhouse.core.models import PeriodicRun

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Task[Any, Any]
    every: timedelta


_registry: dict[str, Periodic] = {}


def periodic_register(task: Task[Any, Any], *, every: timedelta, name: str = "") -> Periodic:
    """Have `task` (taking no arguments) enqueued every `every`. Registering a name again
    replaces its entry."""
    if every <= timedelta(0):
        raise ValueError("a periodic job needs a positive interval")
    entry = Periodic(name=name or task.module_path, task=task, every=every)
    _registry[entry.name] = entry
    return entry


def periodic_unregister(name: str) -> None:
    _registry.pop(name, None)


def periodic_registered() -> list[Periodic]:
    return sorted(_registry.values(), key=lambda p: p.name)


def _claim(entry: Periodic, now: datetime) -> bool:
    """Move the job's last run to `now` if it is due; True when this caller did."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=entry.name, defaults={"last_enqueued_at": EPOCH})
    except IntegrityError:  # another worker created the row first
        pass
    return bool(
        PeriodicRun.objects.filter(name=entry.name, last_enqueued_at__lte=now - entry.every).update(
            last_enqueued_at=now
        )
    )


def periodic_enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every registered job whose interval has passed since it was last enqueued
    (by any worker). Returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for entry in periodic_registered():
        with transaction.atomic():
            if _claim(entry, now):
                entry.task.enqueue()
                enqueued.append(entry.name)
    return enqueued


def periodic_enqueue_all() -> list[str]:
    """Enqueue every registered job now, whatever its schedule (and restart its interval)."""
    now = timezone.now()
    for entry in periodic_registered():
        with transaction.atomic():
            PeriodicRun.objects.update_or_create(
                name=entry.name, defaults={"last_enqueued_at": now}
            )
            entry.task.enqueue()
    return [entry.name for entry in periodic_registered()]
