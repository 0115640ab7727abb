"""`riffhouse serve` (what `make run` calls): prepare the instance, then run a production web
server (gunicorn) and a job worker together until Ctrl-C, and stop both cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SWEEP_EVERY = 300  # seconds
JOB_RESULTS_KEPT_DAYS = 7  # finished jobs stay this long for looking into, then are pruned


def housekeeping() -> None:
    """What the apps ask to run now and then: versions stuck after a worker died, and the
    job queue's finished results (the database backend keeps every one until pruned)."""
    call_command("records_sweep", verbosity=0)
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=JOB_RESULTS_KEPT_DAYS,
            verbosity=0,
        )


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")))
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Do not create demo content in an empty database.",
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, no_demo: bool, **options: Any
    ) -> None:
        started = time.monotonic()
        self._prepare(no_demo=no_demo)
        if self._port_taken(host, port):
            raise CommandError(
                f"Port {port} on {host} is in use. Stop what is using it, or "
                f"choose another: PORT=8001 make run"
            )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "riffhouse.settings"}
        # Children get their own session so the terminal's Ctrl-C reaches only this
        # supervisor, which then stops each child exactly once.
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "riffhouse.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--worker-class",
                "gthread",
                "--workers",
                "1",
                "--threads",
                str(threads),
                "--graceful-timeout",
                "10",
                "--timeout",
                "120",
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(h)s "%(r)s" %(s)s %(M)sms',
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            env=env,
            start_new_session=True,
        )
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "riffhouse",
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--interval",
                "1",
                "--verbosity",
                "0",
            ],
            env=env,
            start_new_session=True,
        )
        children = {"web server": web, "job worker": worker}
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        announced = False
        exit_code = 0
        next_sweep = time.monotonic() + SWEEP_EVERY
        while not stopping:
            if time.monotonic() > next_sweep:
                next_sweep = time.monotonic() + SWEEP_EVERY
                housekeeping()
            dead = [name for name, proc in children.items() if proc.poll() is not None]
            if dead:
                self.stderr.write(f"The {dead[0]} stopped unexpectedly; stopping Riffhouse.")
                exit_code = 1
                break
            if not announced and self._port_taken(host, port):
                announced = True
                shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host  # noqa: S104
                self.stdout.write(
                    self.style.SUCCESS(
                        f"\nRiffhouse is running at http://{shown}:{port}/ "
                        f"(ready in {time.monotonic() - started:.1f}s). Press Ctrl-C to stop.\n"
                    )
                )
            time.sleep(0.2)
        self.stdout.write("Stopping the web server and the job worker…")
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.stdout.write("Stopped.")
        if exit_code:
            raise SystemExit(exit_code)

    def _prepare(self, *, no_demo: bool) -> None:
        settings.DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data is private
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo and not get_user_model().objects.exists():
            self.stdout.write("Empty database: creating demo content…")
            # In a process of its own: the demo processes some media, whose helper processes
            # (records.media.sandbox's fork server) must not outlive it in this supervisor.
            subprocess.run([sys.executable, "-m", "riffhouse", "demo"], check=True)
        logins = settings.DATA_DIR / "demo-logins.txt"
        if logins.exists():
            self.stdout.write(logins.read_text())

    @staticmethod
    def _port_taken(host: str, port: int) -> bool:
        probe = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104
        with socket.socket(socket.AF_INET6 if ":" in probe else socket.AF_INET) as sock:
            sock.settimeout(0.5)
            return sock.connect_ex((probe.strip("[]"), port)) == 0
