"""`riffhouse serve` — what `make run` starts — as a person uses it: start, browse, Ctrl-C."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from riffhouse.core.management.commands.serve import gunicorn_command, web_processes_default
from riffhouse.core.testing import free_port, riffhouse, wait_for


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our server)
            return response.read().decode()
    except OSError:
        return ""


@pytest.mark.worker
def test_serve_sets_up_runs_web_and_worker_and_stops_on_ctrl_c(tmp_path) -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND", "EMAIL_URL"}
    }
    env.update(
        RIFFHOUSE_DATA_DIR=str(tmp_path),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_PROCESSES="2",
        WEB_THREADS="3",
    )
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(riffhouse("serve"), env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(
            lambda: '"status": "ok"' in fetch(f"{base}/healthz"),
            timeout=120,
            message="the web server",
        )
        output = (tmp_path / "serve.log").read_text()
        assert f"Riffhouse is running at http://localhost:{port}/" in output
        assert "ada " in (tmp_path / "demo-logins.txt").read_text()
        # The worker makes the demo avatars' renditions in the background.
        wait_for(
            lambda: "-320.webp" in fetch(f"{base}/@orion"),
            timeout=120,
            message="the worker to render avatars",
        )
        children = children_of(proc.pid)
        assert len(children) == 2
        # gunicorn as WEB_PROCESSES and WEB_THREADS ask: two processes of three threads.
        (master,) = [pid for pid in children if "gunicorn" in cmdline(pid)]
        assert "--workers 2 --threads 3 " in cmdline(master)
        wait_for(lambda: len(children_of(master)) == 2, message="two web processes")
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
    assert code == 0
    assert "Stopped." in (tmp_path / "serve.log").read_text()
    assert not any(Path(f"/proc/{child}").exists() for child in children)


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.worker
def test_serve_restarts_a_killed_worker_while_the_web_server_keeps_serving(tmp_path) -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND", "EMAIL_URL"}
    }
    env.update(RIFFHOUSE_DATA_DIR=str(tmp_path), HOST="127.0.0.1", PORT=str(port))
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        riffhouse("serve", "--no-demo"), env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"

    def worker_pid() -> int | None:
        found = [pid for pid in children_of(proc.pid) if "db_worker" in cmdline(pid)]
        return found[0] if found else None

    try:
        wait_for(
            lambda: '"status": "ok"' in fetch(f"{base}/healthz"),
            timeout=120,
            message="the web server",
        )
        web = [pid for pid in children_of(proc.pid) if "gunicorn" in cmdline(pid)]
        first = wait_for(worker_pid, message="the job worker")
        os.kill(first, signal.SIGKILL)
        killed_at = time.monotonic()
        answers = []

        def restarted() -> int | None:
            answers.append(fetch(f"{base}/healthz"))  # the site answers all the while
            pid = worker_pid()
            return pid if pid and pid != first else None

        second = wait_for(restarted, timeout=30, message="serve to restart the worker")
        restarted_after = time.monotonic() - killed_at
        assert answers and all('"status"' in answer for answer in answers)
        assert proc.poll() is None
        assert [pid for pid in children_of(proc.pid) if "gunicorn" in cmdline(pid)] == web

        # serve says so right after starting the new worker, which may be a moment after
        # the new process shows up.
        def logged_restart() -> str | None:
            text = (tmp_path / "serve.log").read_text()
            return text if "The job worker was restarted." in text else None

        output = wait_for(logged_restart, timeout=30, message="serve to log the restart")
        assert (
            "The job worker stopped unexpectedly (killed by SIGKILL); restarting it in 1s."
            in output
        )
        assert Path(f"/proc/{second}").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
    assert code == 0
    assert "Stopped." in (tmp_path / "serve.log").read_text()
    print(f"serve restarted the killed worker after {restarted_after:.2f}s")


def test_serve_runs_a_web_process_per_usable_core_by_default() -> None:
    assert web_processes_default() == len(os.sched_getaffinity(0))
    command = gunicorn_command(
        application="riffhouse.wsgi:application",
        host="127.0.0.1",
        port=8000,
        processes=3,
        threads=5,
    )
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--threads") + 1] == "5"
    assert command[command.index("--worker-class") + 1] == "gthread"


@pytest.mark.parametrize(
    ("arguments", "environment", "message"),
    [
        (["--processes", "0"], {}, "--processes (or WEB_PROCESSES) must be a whole number"),
        (["--processes", "-2"], {}, "at least 1, not '-2'"),
        (["--threads", "many"], {}, "--threads (or WEB_THREADS) must be a whole number"),
        ([], {"WEB_PROCESSES": "two"}, "at least 1, not 'two'"),
        ([], {"WEB_THREADS": "0"}, "--threads (or WEB_THREADS)"),
    ],
)
def test_serve_refuses_a_count_that_is_not_a_positive_whole_number(
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    environment: dict[str, str],
    message: str,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    # Refused before anything is prepared: no database, no port, no server.
    with pytest.raises(CommandError) as refused:
        call_command("serve", *arguments)
    assert message in str(refused.value)
