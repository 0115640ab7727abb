"""The job queue with real `db_worker` processes on the test database (SQLite or PostgreSQL,
whichever the suite runs on), not the inline backend the other tests use."""

import io
import json
import signal
import subprocess
import time
import urllib.request

import pytest
from django.core.files.storage import default_storage
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from PIL import Image

from riffhouse.accounts import services
from riffhouse.accounts.tests.images import png_bytes
from riffhouse.core.testing import (
    free_port,
    port_open,
    process_env,
    riffhouse,
    running,
    start_web,
    start_worker,
    wait_for,
)
from riffhouse.core.tests.tasks import block_once_task, hold_until_released_task, mark_run_task

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def run_batch_workers(env: dict[str, str], ids: list[str], tmp_path) -> list[str]:
    """Start the workers together; each exits once no job is left. Returns their logs."""
    procs = []
    for worker_id in ids:
        log = (tmp_path / f"{worker_id}.log").open("wb")
        procs.append(
            subprocess.Popen(
                riffhouse(
                    "db_worker",
                    "--queue-name",
                    "*",
                    "--batch",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0",
                    "--worker-id",
                    worker_id,
                ),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    for proc in procs:
        assert proc.wait(timeout=240) == 0
    return [(tmp_path / f"{worker_id}.log").read_text() for worker_id in ids]


def test_a_worker_process_makes_avatar_renditions(db_task_backend, make_user, tmp_path) -> None:
    user = make_user("sable")
    data = png_bytes((640, 480))
    services.user_set_avatar(user=user, upload=io.BytesIO(data), size=len(data))
    user.refresh_from_db()
    assert user.avatar_small == ""  # queued, not run inline
    job = DBTaskResult.objects.get()
    assert (job.queue_name, job.status) == ("media", TaskResultStatus.READY)

    run_batch_workers(process_env(tmp_path), ["worker-a"], tmp_path)

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL and job.worker_ids == ["worker-a"]
    user.refresh_from_db()
    with default_storage.open(user.avatar_small) as handle:
        assert Image.open(handle).size == (96, 96)
    with default_storage.open(user.avatar_medium) as handle:
        assert Image.open(handle).size == (320, 320)


def test_two_workers_never_run_the_same_job_twice(db_task_backend, tmp_path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    jobs = 120
    for job in range(jobs):
        mark_run_task.enqueue(marker_dir=str(marks), job=job)

    run_batch_workers(process_env(tmp_path), ["worker-1", "worker-2"], tmp_path)

    runs = {job: (marks / f"{job}.runs").read_text().split() for job in range(jobs)}
    assert all(len(pids) == 1 for pids in runs.values()), "a job ran more than once"
    # (The workers' heartbeat may also enqueue the registered periodic jobs: not counted.)
    results = list(DBTaskResult.objects.filter(task_path=mark_run_task.module_path))
    assert len(results) == jobs
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in results)
    # Both workers took jobs: they really competed for the same queue.
    assert {r.worker_ids[0] for r in results} == {"worker-1", "worker-2"}
    assert len({pid for pids in runs.values() for pid in pids}) == 2


# Workers beat five times a second and lose their lease after a second of silence, so a test
# sees an abandoned job requeued in about a second instead of a minute.
FAST_LEASE = {"WORKER_HEARTBEAT_SECONDS": "0.2", "WORKER_LEASE_SECONDS": "1"}


def health(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return {}


def test_a_worker_killed_mid_job_loses_it_to_the_next_worker_while_the_site_answers(
    db_task_backend, tmp_path
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    block_once_task.enqueue(marker_dir=str(marks))
    job = DBTaskResult.objects.get()
    env = process_env(tmp_path, **FAST_LEASE)
    port = free_port()
    web = start_web(env, port=port, log=tmp_path / "web.log")
    first = start_worker(env, worker_id="worker-a", log=tmp_path / "worker-a.log")
    with running(web, first):
        wait_for(lambda: (marks / "first-run").exists(), message="worker-a to start the job")
        wait_for(lambda: port_open(port), message="the web server")
        job.refresh_from_db()
        assert (job.status, job.worker_ids) == (TaskResultStatus.RUNNING, ["worker-a"])

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        # No worker is left: the job is stranded, and the health check says so — while the
        # web server goes on answering.
        report = wait_for(
            lambda: (r := health(port)) and r["status"] == "degraded" and r,
            message="/healthz to notice the job has no live worker",
        )
        assert report["checks"]["tasks"]["abandoned"] == 1
        assert report["checks"]["tasks"]["workers"] == 0
        assert "no live worker" in report["checks"]["tasks"]["error"]

        second = start_worker(env, worker_id="worker-b", log=tmp_path / "worker-b.log")
        with running(second):
            wait_for(
                lambda: DBTaskResult.objects.get(pk=job.pk).status == TaskResultStatus.SUCCESSFUL,
                message="worker-b to requeue and finish the job",
            )
            finished_after = time.monotonic() - killed_at
            job.refresh_from_db()
            assert job.worker_ids == ["worker-a", "worker-b"]
            assert job.return_value == f"finished by {second.pid}"
            report = wait_for(
                lambda: (r := health(port)) and r["status"] == "ok" and r,
                message="/healthz to be ok again",
            )
            assert report["checks"]["tasks"]["workers"] == 1
            assert report["checks"]["tasks"]["abandoned"] == 0
    print(f"abandoned job finished by the next worker {finished_after:.2f}s after the kill")


def test_a_job_deleted_while_it_runs_does_not_stop_the_worker(db_task_backend, tmp_path) -> None:
    """A job's row can go while the job runs (an admin clears the queue; a test flushes its
    database). Recording its result then updates no row: django-tasks-db's own loop let that
    error end the worker, and every later job waited for one that never came."""
    marks = tmp_path / "marks"
    marks.mkdir()
    held = hold_until_released_task.enqueue(marker_dir=str(marks))
    worker = start_worker(process_env(tmp_path), worker_id="worker-a", log=tmp_path / "worker.log")
    with running(worker):
        wait_for(lambda: (marks / "started").exists(), message="the worker to start the job")
        DBTaskResult.objects.filter(pk=held.id).delete()
        (marks / "released").touch()
        following = mark_run_task.enqueue(marker_dir=str(marks), job=1)
        wait_for(
            lambda: DBTaskResult.objects.get(pk=following.id).status == TaskResultStatus.SUCCESSFUL,
            message="the worker to run the next job",
        )
        assert worker.poll() is None
    log = (tmp_path / "worker.log").read_text()
    assert f"job {held.id} ({hold_until_released_task.module_path}) was deleted" in log
