"""`riffhouse db_worker`: django-tasks-db's job worker, plus what keeps a crash from
stranding work (core/workers.py): a heartbeat row in the database while it lives, requeueing
(then failing) the jobs of workers that died, and sweeping temporary files that dead
processes left behind when it starts. Same options as django-tasks-db's command, which this
one replaces because `riffhouse.core` comes before `django_tasks_db` in INSTALLED_APPS."""

import logging
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as TasksDbWorkerCommand

from riffhouse.core.tempfiles import tempfiles_sweep
from riffhouse.core.workers import Heartbeat, worker_gone

logger = logging.getLogger("riffhouse.core.workers")


class Command(TasksDbWorkerCommand):
    help = __doc__

    def handle(self, *args: Any, worker_id: str, **options: Any) -> None:
        removed, freed = tempfiles_sweep()
        if removed:
            logger.warning(
                "removed %s temporary file(s) left by stopped processes (%.1f MB)",
                removed,
                freed / 1024 / 1024,
            )
        heartbeat = Heartbeat(worker_id=worker_id)
        heartbeat.beat()  # alive (and earlier crashes reaped) before the first claim
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
            worker_gone(worker_id=worker_id)
