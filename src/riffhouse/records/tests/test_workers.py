"""Real processes killed mid-work: processing jobs on `db_worker`s (the version fails with a
reason its owner reads once the job's workers died twice; the media child processes die with
their worker) and an upload on gunicorn (its partial file is swept)."""

import os
import signal
import socket
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from riffhouse.accounts.services import api_token_create
from riffhouse.core.tempfiles import tempfiles_sweep
from riffhouse.core.testing import (
    free_port,
    port_open,
    process_env,
    running,
    start_web,
    start_worker,
    wait_for,
)
from riffhouse.records import services
from riffhouse.records.models import ProcessingStatus, RecordVersion
from riffhouse.records.processing import ABANDONED_REASON
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload
from riffhouse.records.tests.tasks import child_reads_pipe_task

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FAST_LEASE = {"WORKER_HEARTBEAT_SECONDS": "0.2", "WORKER_LEASE_SECONDS": "1"}


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, their children …), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has already died


def kill(proc) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def test_a_version_whose_workers_keep_dying_fails_with_a_reason_for_its_owner(
    db_task_backend, user, user_api, tmp_path
) -> None:
    record = services.record_create(
        author=user, kind="video", title="Harbour lights", upload=upload(samples.mp4(), "a.mp4")
    )
    version = record.versions.get()
    job = DBTaskResult.objects.get()
    # The stored original becomes a named pipe nobody writes to: the worker that copies it
    # out of storage waits there, mid-job, until the test kills it.
    original = Path(default_storage.path(version.original))
    original.unlink()
    os.mkfifo(original)
    env = process_env(tmp_path, **FAST_LEASE)

    for worker_id in ["worker-a", "worker-b"]:
        proc = start_worker(env, worker_id=worker_id, log=tmp_path / f"{worker_id}.log")
        with running(proc):
            wait_for(
                lambda worker_id=worker_id: (
                    DBTaskResult.objects.get(pk=job.pk).worker_ids[-1:] == [worker_id]
                ),
                message=f"{worker_id} to take the job",
            )
            wait_for(
                lambda: (
                    RecordVersion.objects.get(pk=version.pk).status == ProcessingStatus.PROCESSING
                ),
                message="the version to be processing",
            )
            kill(proc)

    reaper = start_worker(env, worker_id="worker-c", log=tmp_path / "worker-c.log")
    with running(reaper):
        wait_for(
            lambda: DBTaskResult.objects.get(pk=job.pk).status == TaskResultStatus.FAILED,
            message="the job to be failed after its second worker died",
        )
    job.refresh_from_db()
    assert job.worker_ids == ["worker-a", "worker-b"]
    assert job.exception_class_path == "riffhouse.core.workers.WorkerLost"
    assert "worker-b" in job.traceback
    version.refresh_from_db()
    assert version.status == ProcessingStatus.FAILED
    assert version.failure_reason == ABANDONED_REASON
    body = user_api.call("get", f"/records/{record.pk}").json()
    assert body["version"]["status"] == "failed"
    assert body["version"]["failure_reason"] == ABANDONED_REASON


def test_media_children_die_with_their_worker(db_task_backend, tmp_path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    child_reads_pipe_task.enqueue(path=str(pipe))
    worker = start_worker(
        process_env(tmp_path), worker_id="worker-a", log=tmp_path / "worker-a.log"
    )
    writer = None
    with running(worker):

        def media_child_reading() -> int | None:
            try:  # succeeds once a reader has the pipe open: the media child, mid-job
                return os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                return None

        writer = wait_for(media_child_reading, message="the media child to open its input")
        helpers = descendants(worker.pid)  # the fork server and the media child, at least
        assert len(helpers) >= 2
        kill(worker)
        killed_at = time.monotonic()
        wait_for(
            lambda: not any(alive(pid) for pid in helpers),
            timeout=10,
            message="the media child processes to die with their worker",
        )
        outlived = time.monotonic() - killed_at
    os.close(writer)
    print(f"media children outlived their worker by {outlived:.2f}s")


def test_an_upload_cut_off_by_a_killed_web_process_is_swept_and_a_live_one_is_not(
    user, tmp_path, settings, monkeypatch
) -> None:
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # sweep nothing else
    (tmp_path / "tmp").mkdir()
    token = api_token_create(user=user, name="upload").raw
    port = free_port()
    web = start_web(
        process_env(tmp_path, FILE_UPLOAD_TEMP_DIR=str(uploads)),
        port=port,
        log=tmp_path / "web.log",
    )
    with running(web):
        wait_for(lambda: port_open(port), message="the web server")
        boundary = "riffhouse-test-boundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="long.wav"\r\nContent-Type: audio/wav\r\n\r\n'
        ).encode()
        request = (
            f"POST /api/v1/records HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(request + head + b"\0" * (8 * 1024 * 1024))

            def partial() -> Path | None:
                files = [p for p in uploads.iterdir() if p.stat().st_size >= 4 * 1024 * 1024]
                return files[0] if files else None

            part = wait_for(partial, message="the upload to stream to a temporary file")
            assert part.name.startswith("riffhouse-tmp-upload-")
            os.utime(part, (time.time() - 3600, time.time() - 3600))
            # The request is still coming in: its file is locked, whatever its age.
            assert tempfiles_sweep(min_age_seconds=0) == (0, 0)

            # The web process dies mid-upload (its graceful timeout ran out, the OOM killer…).
            web_workers = descendants(web.pid)
            for pid in web_workers:
                os.kill(pid, signal.SIGKILL)
            # Reaped, not just a zombie: a dying process's other threads may hold its files
            # a moment longer than its main thread.
            wait_for(
                lambda: not any(Path(f"/proc/{pid}").exists() for pid in web_workers),
                message="the web worker to die",
            )
        assert part.exists()
        os.utime(part, (time.time() - 3600, time.time() - 3600))  # an hour later
        removed, freed = tempfiles_sweep(min_age_seconds=600)
    assert removed == 1, (removed, freed, sorted(p.name for p in uploads.iterdir()))
    assert freed >= 4 * 1024 * 1024
    assert not part.exists()
