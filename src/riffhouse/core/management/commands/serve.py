"""`riffhouse serve` (what `make run` calls): prepare the instance, then run a production web
server (gunicorn: WEB_PROCESSES processes, one per core this process may use by default, of
WEB_THREADS threads each) and a job worker together until Ctrl-C, and stop both cleanly.
Either one that dies is restarted with backoff; only a web server that cannot stay up stops
Riffhouse."""

import contextlib
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

from riffhouse.core.workers import worker_heartbeats_prune

SWEEP_EVERY = 300  # seconds
# A child that dies is started again after a pause that doubles with each death in a row
# (1 s, 2 s, 4 s … at most a minute); one that ran for a minute starts the count afresh.
RESTART_DELAYS = (1, 2, 4, 8, 16, 32, 60)
HEALTHY_AFTER = 60  # seconds
# The web server is given up on (and Riffhouse stops) after this many deaths in a row, each
# within a minute of starting: it cannot bind its port or load the code, and trying forever
# would hide that. The job worker is restarted for as long as it takes.
WEB_CRASHES_TOLERATED = 5
JOB_RESULTS_KEPT_DAYS = 7  # finished jobs stay this long for looking into, then are pruned
WEB_THREADS_DEFAULT = 8


def web_processes_default() -> int:
    """One web process per core this process may run on (a container or `taskset` may allow
    fewer than the machine has): Python runs one thread at a time per process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def count_option(value: str | int, *, option: str, variable: str) -> int:
    """A whole number of at least 1 for `option` (or its environment variable), or a
    CommandError saying what was wrong."""
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1:
        raise CommandError(
            f"{option} (or {variable}) must be a whole number of at least 1, not {value!r}."
        )
    return number


def gunicorn_command(
    *, application: str, host: str, port: int, processes: int, threads: int
) -> list[str]:
    """The web server's command line; the pages benchmark runs its floor app on the same."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        application,
        "--bind",
        f"{host}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(processes),
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
    ]


def housekeeping() -> None:
    """What the apps ask to run now and then: versions stuck after a worker died, temporary
    files left by killed processes, expired sessions, and the job queue's finished results
    (the database backend keeps every one until pruned) and the heartbeats of workers long
    gone."""
    call_command("records_sweep", verbosity=0)
    call_command("tempfiles_sweep", verbosity=0)
    call_command("clearsessions", verbosity=0)
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=JOB_RESULTS_KEPT_DAYS,
            verbosity=0,
        )
        worker_heartbeats_prune()


class Child:
    """One supervised process: started in a session of its own (so the terminal's Ctrl-C
    reaches only the supervisor, which stops each child exactly once), restarted with
    backoff when it dies."""

    def __init__(self, command: list[str], env: dict[str, str], *, give_up_after: int | None):
        self.command = command
        self.env = env
        self.give_up_after = give_up_after
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.deaths_in_a_row = 0
        self.restart_at = 0.0
        self.last_exit = 0

    def start(self) -> None:
        self.proc = subprocess.Popen(self.command, env=self.env, start_new_session=True)
        self.started_at = time.monotonic()

    def describe_exit(self) -> str:
        code = self.last_exit
        if code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exit code {code}"

    def died(self) -> str | None:
        """Note the death and schedule a restart; say what happened, or None to give up."""
        assert self.proc is not None
        self.last_exit = self.proc.returncode
        # Whatever it left running in its session (the worker's media fork server and
        # children) goes with it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None
        if time.monotonic() - self.started_at >= HEALTHY_AFTER:
            self.deaths_in_a_row = 0
        self.deaths_in_a_row += 1
        if self.give_up_after is not None and self.deaths_in_a_row >= self.give_up_after:
            return None
        delay = RESTART_DELAYS[min(self.deaths_in_a_row, len(RESTART_DELAYS)) - 1]
        self.restart_at = time.monotonic() + delay
        return f"stopped unexpectedly ({self.describe_exit()}); restarting it in {delay}s."

    def terminate(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def wait(self, deadline: float) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--processes",
            help="gunicorn processes (default: WEB_PROCESSES, else one per usable core)",
        )
        parser.add_argument(
            "--threads",
            help=f"threads per process (default: WEB_THREADS, else {WEB_THREADS_DEFAULT})",
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Do not create demo content in an empty database.",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        processes: str | None,
        threads: str | None,
        no_demo: bool,
        **options: Any,
    ) -> None:
        started = time.monotonic()
        # Checked before anything is set up, so a typo costs no time.
        web_processes = count_option(
            processes or os.environ.get("WEB_PROCESSES") or web_processes_default(),
            option="--processes",
            variable="WEB_PROCESSES",
        )
        web_threads = count_option(
            threads or os.environ.get("WEB_THREADS") or WEB_THREADS_DEFAULT,
            option="--threads",
            variable="WEB_THREADS",
        )
        self._prepare(no_demo=no_demo)
        if self._port_taken(host, port):
            raise CommandError(
                f"Port {port} on {host} is in use. Stop what is using it, or "
                f"choose another: PORT=8001 make run"
            )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "riffhouse.settings"}
        web_command = gunicorn_command(
            application="riffhouse.wsgi:application",
            host=host,
            port=port,
            processes=web_processes,
            threads=web_threads,
        )
        worker_command = [
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
        ]
        children = {
            "web server": Child(web_command, env, give_up_after=WEB_CRASHES_TOLERATED),
            "job worker": Child(worker_command, env, give_up_after=None),
        }
        for child in children.values():
            child.start()
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
            for name, child in children.items():
                if child.proc is not None and child.proc.poll() is not None:
                    message = child.died()
                    if message is None:
                        self.stderr.write(
                            f"The {name} keeps stopping right after it starts "
                            f"({child.describe_exit()}); stopping Riffhouse."
                        )
                        exit_code = 1
                        stopping = True
                        break
                    self.stderr.write(f"The {name} {message}")
                elif child.proc is None and time.monotonic() >= child.restart_at:
                    child.start()
                    self.stderr.write(f"The {name} was restarted.")
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
        for child in children.values():
            child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            child.wait(deadline)
        self.stdout.write("Stopped.")
        if exit_code:
            raise SystemExit(exit_code)

    def _prepare(self, *, no_demo: bool) -> None:
        settings.DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data is private
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Uploads and processing folders of a previous run that was killed.
        call_command("tempfiles_sweep", verbosity=1)
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
