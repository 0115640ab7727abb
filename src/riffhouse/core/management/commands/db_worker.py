"""`riffhouse db_worker`: django-tasks-db's job worker, plus what keeps a crash from
stranding work (core/workers.py): a heartbeat row in the database while it lives, requeueing
(then failing) the jobs of workers that died, sweeping temporary files that dead processes
left behind when it starts, and a loop that outlives a job whose row is deleted while it runs
(`JobWorker`). Same options as django-tasks-db's command, which this one replaces because
`riffhouse.core` comes before `django_tasks_db` in INSTALLED_APPS."""

import logging
import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as TasksDbWorkerCommand

from riffhouse.core.tempfiles import tempfiles_sweep
from riffhouse.core.workers import Heartbeat, JobWorker, worker_gone

logger = logging.getLogger("riffhouse.core.workers")


class Command(TasksDbWorkerCommand):
    help = __doc__

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        # django-tasks-db's handle() with its worker class swapped for ours (it names the
        # class inside, so the body is repeated here).
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be used together: not reloading.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = JobWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )

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
            if reload:
                if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                    worker.configure_signals()  # only the reloaded child handles signals
                run_with_reloader(worker.run)
            else:
                worker.configure_signals()
                worker.run()
        finally:
            heartbeat.stop()
            worker_gone(worker_id=worker_id)
