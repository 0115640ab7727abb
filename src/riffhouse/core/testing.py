"""Helpers for tests that run Riffhouse's real processes (web server, job workers) against
the test database. Imported only by tests."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

# Debian's Chromium, as the browser tests and `make screenshots` drive it.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def database_url() -> str:
    """A DATABASE_URL that points another process at the database this test uses."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    if connection.vendor == "postgresql":
        auth = quote(s["USER"] or "")
        if s.get("PASSWORD"):
            auth += ":" + quote(s["PASSWORD"])
        host = s["HOST"] or "127.0.0.1"
        port = s["PORT"] or 5432
        return f"postgres://{auth + '@' if auth else ''}{host}:{port}/{s['NAME']}"
    raise NotImplementedError(connection.vendor)


def process_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a child process: the test database, its own data directory, the real
    database-backed job queue, email written to files under `data_dir/mail` and temporary
    files under `data_dir/tmp` (a killed process's leftovers stay with the test)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    (data_dir / "tmp").mkdir(parents=True, exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="riffhouse.settings",
        DATABASE_URL=database_url(),
        RIFFHOUSE_DATA_DIR=str(data_dir),
        SECRET_KEY="test-secret-key-for-child-processes-0123456789",
        TASKS_BACKEND="db",
        EMAIL_URL=f"file://{data_dir / 'mail'}",
        PYTHONUNBUFFERED="1",
        TMPDIR=str(data_dir / "tmp"),
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for[T](
    check: Callable[[], T | None], *, timeout: float = 30.0, message: str = "condition"
) -> T:
    """Poll `check` until it returns something truthy, or fail after `timeout` seconds.
    Polls often and returns as soon as the condition holds: no fixed sleeps."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(0.05)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def run_python(code: str, env: dict[str, str]) -> str:
    """Run `code` in a fresh Python process (after django.setup()) and return the last line
    it printed."""
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def peak_memory_growth(*, setup: str, measured: str) -> tuple[int, Any]:
    """Run `setup`, then `measured`, in a fresh Django process on the test settings, and
    return how many bytes `measured` grew the process's peak resident memory by (what a web
    worker keeps: freed memory rarely goes back to the system) and the JSON-able value it
    left in `result`."""
    script = "\n".join(
        [
            "import json",
            setup,
            "def _bytes(field):",
            "    with open('/proc/self/status') as status:",
            "        line = next(l for l in status if l.startswith(field))",
            "    return int(line.split()[1]) * 1024",
            "_before = _bytes('VmRSS:')",
            measured,
            "print(json.dumps({'growth': _bytes('VmHWM:') - _before, 'result': result}))",
        ]
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "riffhouse.test_settings",
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": ":".join(sys.path),
    }
    out = json.loads(run_python(script, env))
    return int(out["growth"]), out["result"]


def riffhouse(*args: str) -> list[str]:
    return [sys.executable, "-m", "riffhouse", *args]


def start_worker(env: dict[str, str], *, worker_id: str, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        riffhouse(
            "db_worker",
            "--queue-name",
            "*",
            "--no-reload",
            "--interval",
            "0.05",
            "--no-startup-delay",
            "--worker-id",
            worker_id,
            "--verbosity",
            "2",
        ),
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def start_web(env: dict[str, str], *, port: int, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "riffhouse.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--error-logfile",
            "-",
        ],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def stop(proc: subprocess.Popen[bytes], timeout: float = 15) -> int:
    if proc.poll() is None:
        proc.terminate()
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


@contextmanager
def running(*procs: subprocess.Popen[bytes]) -> Iterator[None]:
    try:
        yield
    finally:
        for proc in procs:
            stop(proc)


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together, each on its own database connection; the
    result of each, or the exception it raised. For concurrency tests (`transaction=True`)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the result under test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
