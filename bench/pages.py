"""Pages: how many requests a second the real server answers for each public page, logged out
and logged in, beside a one-view Django app on the same gunicorn command line (the "floor").

For each database (SQLite, PostgreSQL):
- a fresh data directory (and a fresh PostgreSQL database) and `riffhouse serve` — what
  `make run` runs — on it: it migrates, collects the static files, creates the demo content
  and starts gunicorn (WEB_PROCESSES processes of WEB_THREADS threads) and the job worker.
  The bench waits for /healthz and for the worker to finish the demo's jobs, so nothing
  else competes for the CPU while it measures;
- the floor app (bench/floor/: one view returning a small fixed page, no database, two
  middleware) on the web server's own gunicorn command line, read from /proc, with only the
  application and the port changed: the same worker class, processes, threads, timeouts and
  access log (to the same kind of file). A second floor without the access log shows what
  logging costs;
- the pages, picked from the demo in a Django process with the server's settings (a remix
  with two sources, its author, a released production, a session for a demo member), each
  requested once through Django's test client (cold, then again warm) to count its queries;
  then every URL must answer 200 to a real request before it is timed;
- wrk (Debian's, installed with apt-get when missing and running as root): 8 connections,
  2 threads, PAGES_DURATION seconds a run, after a 1 s warm-up run of each URL; rounds
  interleave every line, PAGES_ROUNDS of them, and in each the floor runs first and again
  after every FLOOR_EVERY lines (floor, 4 lines, floor, 4 lines, …, floor); each figure is
  the median over the rounds, and a page's ratio is the median of its per-round ratios to
  the mean of the floor runs just before and just after it. A run with any non-2xx answer
  or socket error is reported as failed, never as fast.

Targets (shown ✓/✗, never timed test assertions): logged-out pages and API reads ≥ 0.5 of
the floor, the logged-in record page and /records/ ≥ 0.15, p99 < 50 ms for every page.

Configuration (environment, or the options of `python -m bench.pages`): PAGES_DBS
("sqlite,postgresql"; --db), PAGES_ROUNDS (3; --rounds), PAGES_DURATION (3 s; --duration),
PAGES_PORT (8170: the server, the floor at +1, the floor without log at +2; --port),
PAGES_PG_URL (an administrative connection, default postgres://postgres@127.0.0.1:5432/postgres)
and PAGES_PG_DB (riffhouse_bench_pages: dropped and created for the run, dropped after),
PAGES_REDIS_URL (--redis: the PostgreSQL run's REDIS_URL, the scale-out configuration, under a
cache key prefix of its own; unset: local memory like SQLite). WEB_PROCESSES and WEB_THREADS
pass through to the server. The figures go to bench/results/pages.md and pages.json;
docs/benchmarks.md keeps them with the machine and the command.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "riffhouse_bench_pages"
CONNECTIONS = 8
WRK_THREADS = 2
TARGET_LOGGED_OUT = 0.5
TARGET_LOGGED_IN = 0.15
TARGET_P99_MS = 50.0
SERVER_APP = "riffhouse.wsgi:application"
FLOOR_APP = "bench.floor.wsgi:application"
# wrk's own summary, exact: the percentiles from its histogram rather than its rounded text.
WRK_SCRIPT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "riffhouse-wrk requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass(frozen=True)
class Page:
    """One line of the table: what is requested, by whom, and the target it has."""

    name: str
    path: str
    logged_in: bool = False
    # "floor" and "reference" lines have no target; "page" is ≥ 0.5, "member" ≥ 0.15,
    # "member-extra" is shown without a ratio target.
    kind: str = "page"


@dataclass(frozen=True)
class WrkRun:
    """One wrk run, as its summary says."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def req_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> bool:
        return self.non_2xx > 0 or self.socket_errors > 0 or self.requests == 0


_WRK_LINE = re.compile(r"^riffhouse-wrk ((?:\w+=-?\d+ ?)+)$", re.MULTILINE)
_WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def parse_wrk(output: str) -> WrkRun:
    """wrk's output with WRK_SCRIPT's summary line; ValueError if there is none."""
    found = _WRK_LINE.search(output)
    if not found:
        raise ValueError(f"no wrk summary in its output: {output[-500:]!r}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    # wrk prints the count of error statuses too; the two must agree, take the larger.
    printed = _WRK_NON_2XX.search(output)
    non_2xx = max(values["status_errors"], int(printed.group(1)) if printed else 0)
    return WrkRun(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        non_2xx=non_2xx,
        socket_errors=sum(
            values[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
    )


# In each round the floor runs first and again after every FLOOR_EVERY lines: a page is
# compared with the floor measured just before and just after it, not with one measured a
# minute earlier (a shared machine's speed moves by 2-3x within a round).
FLOOR_EVERY = 4


def round_order(lines: list[Page], *, every: int = FLOOR_EVERY) -> list[Page]:
    """One round's runs: the floor (`lines[0]`) first, then after every `every` other lines,
    and last."""
    floor, others = lines[0], lines[1:]
    order = [floor]
    for start in range(0, len(others), every):
        order += [*others[start : start + every], floor]
    return order


def floors_beside(order: list[Page], rates: list[float]) -> dict[str, float]:
    """For each line of a round run in `order` (`rates` its req/s, run by run): the mean of
    the floor's runs just before and just after it."""
    floor = order[0]
    beside: dict[str, float] = {}
    before: float | None = None
    waiting: list[str] = []
    for page, rate in zip(order, rates, strict=True):
        if page is floor:
            for name in waiting:
                beside[name] = rate if before is None else (before + rate) / 2
            before, waiting = rate, []
        else:
            waiting.append(page.name)
    for name in waiting:  # a round cut short: the floor before
        if before is not None:
            beside[name] = before
    return beside


def summarise(page: Page, runs: list[WrkRun], floors: list[float]) -> dict[str, Any]:
    """A page's figures over the rounds: medians, and the median of its per-round ratio to
    the floor's req/s measured beside it in that round (`floors`, run by run). Failed if any
    round had errors."""
    failed = any(run.failed for run in runs)
    ratios = [run.req_per_s / floor for run, floor in zip(runs, floors, strict=True) if floor]
    return {
        **asdict(page),
        "req_per_s": round(statistics.median(run.req_per_s for run in runs), 1),
        "p50_ms": round(statistics.median(run.p50_ms for run in runs), 2),
        "p99_ms": round(statistics.median(run.p99_ms for run in runs), 2),
        "ratio": round(statistics.median(ratios), 3) if ratios else None,
        "rounds_req_per_s": [round(run.req_per_s, 1) for run in runs],
        "non_2xx": sum(run.non_2xx for run in runs),
        "socket_errors": sum(run.socket_errors for run in runs),
        "failed": failed,
    }


def verdicts(line: dict[str, Any]) -> list[tuple[str, bool]]:
    """The targets a line has, each with whether it is met."""
    if line["kind"] in {"floor", "reference"}:
        return []
    found: list[tuple[str, bool]] = []
    if line["failed"]:
        return [("answers without errors", False)]
    target = {"page": TARGET_LOGGED_OUT, "member": TARGET_LOGGED_IN}.get(line["kind"])
    if target is not None:
        found.append((f"≥ {target} of floor", (line["ratio"] or 0) >= target))
    found.append((f"p99 < {TARGET_P99_MS:.0f} ms", line["p99_ms"] < TARGET_P99_MS))
    return found


# --- Inside Django: the pages, a session, the queries ---------------------------------------
def child_prepare(out: Path) -> None:
    """Run with the server's settings: wait for the demo's jobs, pick the pages, log a demo
    member in, count each page's queries; write it all to `out` as JSON."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection
    from django.db.models import Count
    from django.templatetags.static import static
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from riffhouse.accounts.models import User
    from riffhouse.productions.models import Production, ProductionStatus
    from riffhouse.records.models import Record

    # The worker renders the demo's media after the demo is made: measure once it is done.
    deadline = time.monotonic() + 300
    while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
        if time.monotonic() > deadline:
            print("pages: the demo's jobs are still running after 5 minutes", flush=True)
            break
        time.sleep(1)

    remix = (
        Record.objects.filter(
            visibility="published", deleted_at__isnull=True, live_version__isnull=False
        )
        .annotate(sources=Count("source_links"))
        .filter(sources=2)
        .order_by("id")
        .first()
    )
    if remix is None:
        raise SystemExit("pages: the demo has no published remix with two sources")
    author = remix.author.username
    production = (
        Production.objects.filter(status=ProductionStatus.RELEASED, released_at__isnull=False)
        .order_by("id")
        .first()
    )
    # A member for whom the remix's page is like most members': not its author, and with no
    # record among its sources or remixes (those get theirs rendered: decision 0042).
    from riffhouse.lineage.selectors import record_page_personal

    member = next(
        (
            user
            for user in User.objects.filter(is_active=True, is_staff=False)
            .exclude(pk=remix.author_id)
            .order_by("pk")
            if not record_page_personal(viewer=user, record_id=remix.pk)
        ),
        remix.author,
    )

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.save()

    r = remix.pk
    pages = [
        Page("floor (same gunicorn command line)", "/", kind="floor"),
        Page("floor without access log", "/", kind="floor"),
        Page("static CSS (WhiteNoise)", static("riffhouse/css/app.css"), kind="reference"),
        Page("home", "/"),
        Page("browse /records/", reverse("records:list")),
        Page("record page (remix, 2 sources)", reverse("records:detail", args=[r])),
        Page("lineage page", reverse("lineage:tree", args=[r])),
        Page("credits page", reverse("lineage:credits", args=[r])),
        Page("profile", reverse("profiles:detail", args=[author])),
        Page("productions /productions/", reverse("productions:list")),
    ]
    if production is not None:
        p = production.pk
        pages += [
            Page("production page (released)", reverse("productions:detail", args=[p])),
            Page("production credits", reverse("productions:credits", args=[p])),
        ]
    pages += [
        Page("API record", f"/api/v1/records/{r}"),
        Page("API credits", f"/api/v1/records/{r}/credits"),
        Page("API lineage", f"/api/v1/records/{r}/lineage"),
        Page("API records list", "/api/v1/records"),
        Page("API profile", f"/api/v1/users/{author}"),
    ]
    if production is not None:
        pages.append(Page("API production", f"/api/v1/productions/{production.pk}"))
    pages += [
        Page("home, logged in", "/", logged_in=True, kind="member-extra"),
        Page("browse /records/, logged in", reverse("records:list"), logged_in=True, kind="member"),
        Page(
            "record page, logged in",
            reverse("records:detail", args=[r]),
            logged_in=True,
            kind="member",
        ),
        Page(
            "lineage page, logged in",
            reverse("lineage:tree", args=[r]),
            logged_in=True,
            kind="member-extra",
        ),
        Page(
            "credits page, logged in",
            reverse("lineage:credits", args=[r]),
            logged_in=True,
            kind="member-extra",
        ),
        Page(
            "profile, logged in",
            reverse("profiles:detail", args=[author]),
            logged_in=True,
            kind="member-extra",
        ),
    ]

    queries: dict[str, list[int]] = {}
    for page in pages:
        if page.kind == "floor":
            continue
        client = Client()
        if page.logged_in:
            client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        counts = []
        for _ in range(2):  # cold, then warm (whatever the server caches)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.path, HTTP_HOST="127.0.0.1")
            if response.status_code != 200:
                print(f"pages: {page.path} answers {response.status_code}", flush=True)
            counts.append(len(captured))
        queries[page.name] = counts
    out.write_text(
        json.dumps(
            {
                "pages": [asdict(page) for page in pages],
                "queries": queries,
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                "member": member.username,
                "remix": r,
                "production": production.pk if production else None,
            }
        )
    )


# --- Outside Django: the servers and wrk ----------------------------------------------------
def ensure_wrk() -> str:
    """wrk's path; installs Debian's package when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit(
            "pages: wrk is not installed and this is not root: `sudo apt-get install -y wrk`, "
            "then run the benchmark again."
        )
    print("pages: installing wrk (apt-get install -y wrk)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
        subprocess.run(install, env=env, check=False)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("pages: could not install wrk: `apt-get install -y wrk` failed.")
    return found


def _get(port: int, path: str, cookie: str | None) -> int:
    """The status of one GET, redirects not followed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def _wait_until(check: Any, *, timeout: float, what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if proc.poll() is not None:
            raise RuntimeError(f"pages: {what}: the process stopped (exit {proc.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"pages: {what}: not ready after {timeout:.0f} s")
        time.sleep(0.2)


def _children(pid: int) -> list[int]:
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


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except OSError:
        return []


def floor_commands(server: list[str], port: int) -> tuple[list[str], list[str]]:
    """The floor's command lines from the web server's: the application and the port
    changed, and a second one without the access log."""
    if SERVER_APP not in server or "--bind" not in server:
        raise ValueError(f"not the web server's command line: {server}")
    floor = [FLOOR_APP if arg == SERVER_APP else arg for arg in server]
    floor[floor.index("--bind") + 1] = f"127.0.0.1:{port}"
    quiet = list(floor)
    for option in ("--access-logfile", "--access-logformat"):
        if option in quiet:
            at = quiet.index(option)
            del quiet[at : at + 2]
    quiet[quiet.index("--bind") + 1] = f"127.0.0.1:{port + 1}"
    return floor, quiet


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(os.environ.get("PAGES_PG_URL", PG_ADMIN_URL), autocommit=True) as conn:
        conn.execute(sql)


def _redis_forget(url: str, prefix: str) -> None:
    """Delete this run's cache entries (Django's Redis keys are `prefix:version:key`)."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*", count=1000):
        client.delete(key)


def _wrk(wrk: str, script: Path, port: int, path: str, cookie: str | None, seconds: int) -> WrkRun:
    command = [wrk, "-c", str(CONNECTIONS), "-t", str(WRK_THREADS), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return parse_wrk(done.stdout + done.stderr)


def _stop(proc: subprocess.Popen[bytes] | None, sig: int) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def run_database(
    db: str, *, wrk: str, rounds: int, duration: int, port: int, redis_url: str
) -> dict[str, Any]:
    """Serve the demo on `db`, measure every page against the floor, stop everything."""
    result: dict[str, Any] = {"load_avg_before": os.getloadavg()}
    data_dir = Path(tempfile.mkdtemp(prefix=f"riffhouse-pages-{db}-"))
    pg_db = os.environ.get("PAGES_PG_DB", PG_BENCH_DB)
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "TASKS_BACKEND"}
        | {"EMAIL_URL", "CACHE_KEY_PREFIX", "ALLOWED_HOSTS"}
    }
    env.update(RIFFHOUSE_DATA_DIR=str(data_dir), HOST="127.0.0.1", PORT=str(port))
    env.update(PYTHONUNBUFFERED="1")
    if db == "postgresql":
        _pg_admin(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {pg_db}")
        parts = urlsplit(os.environ.get("PAGES_PG_URL", PG_ADMIN_URL))
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{pg_db}"))
        if redis_url:
            # A prefix of this run's own: a fresh database restarts whatever versions the
            # cache keys carry, so entries of an earlier run must never be found.
            env.update(REDIS_URL=redis_url, CACHE_KEY_PREFIX=f"bench-pages-{time.time_ns()}")
    result["cache"] = "redis" if "REDIS_URL" in env else "local memory (per process)"
    log_path = data_dir / "serve.log"
    log = log_path.open("wb")
    serve = floor = quiet = None
    try:
        started = time.monotonic()
        serve = subprocess.Popen(
            [sys.executable, "-m", "riffhouse", "serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_until(
            lambda: _get(port, "/healthz", None) == 200,
            timeout=600,
            what="riffhouse serve",
            proc=serve,
        )
        result["serve_ready_s"] = round(time.monotonic() - started, 1)
        masters = [p for p in _children(serve.pid) if SERVER_APP in _cmdline(p)]
        if len(masters) != 1:
            raise RuntimeError(f"pages: no single gunicorn under serve ({masters})")
        server_command = _cmdline(masters[0])
        result["server_command"] = " ".join(server_command[1:])
        floor_command, quiet_command = floor_commands(server_command, port + 1)
        floor_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
            "PYTHONPATH": str(ROOT),
        }
        floor = subprocess.Popen(
            floor_command,
            cwd=ROOT,
            env=floor_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        quiet = subprocess.Popen(
            quiet_command,
            cwd=ROOT,
            env=floor_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        prepared_path = data_dir / "prepared.json"
        subprocess.run(
            [sys.executable, "-m", "bench.pages", "--child-prepare", str(prepared_path)],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "riffhouse.settings"},
            check=True,
        )
        prepared = json.loads(prepared_path.read_text())
        pages = [Page(**page) for page in prepared["pages"]]
        cookie = prepared["session_cookie"]
        for proc, what, at in (
            (floor, "the floor", port + 1),
            (quiet, "the quiet floor", port + 2),
        ):
            _wait_until(lambda at=at: _get(at, "/", None) == 200, timeout=60, what=what, proc=proc)

        def where(i: int, page: Page) -> tuple[int, str | None]:
            if page.kind == "floor":
                return port + 1 + i, None
            return port, cookie if page.logged_in else None

        broken = {}
        for page in pages:
            at, with_cookie = where(pages.index(page), page)
            status = _get(at, page.path, with_cookie)
            if status != 200:
                broken[page.name] = status
        result["not_200"] = broken
        measured = [page for page in pages if page.name not in broken]
        print(f"pages: {db}: serving after {result['serve_ready_s']} s; measuring", flush=True)
        result["load_avg_at_start"] = os.getloadavg()
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
            script_file.write(WRK_SCRIPT)
        script = Path(script_file.name)
        runs: dict[str, list[WrkRun]] = {page.name: [] for page in measured}
        for page in measured:  # warm-up: every process, every cache
            at, with_cookie = where(pages.index(page), page)
            _wrk(wrk, script, at, page.path, with_cookie, 1)
        if measured[0].kind != "floor":
            raise SystemExit(f"pages: {db}: the floor does not answer 200: {broken}")
        order = round_order(measured)
        beside: dict[str, list[float]] = {page.name: [] for page in measured}
        for round_number in range(rounds):
            rates = []
            for page in order:
                at, with_cookie = where(pages.index(page), page)
                run = _wrk(wrk, script, at, page.path, with_cookie, duration)
                runs[page.name].append(run)
                rates.append(run.req_per_s)
            for name, rate in floors_beside(order, rates).items():
                beside[name].append(rate)
            print(f"pages: {db}: round {round_number + 1} of {rounds} done", flush=True)
        script.unlink()
        result["load_avg_after"] = os.getloadavg()
        floor_name = measured[0].name
        beside[floor_name] = [run.req_per_s for run in runs[floor_name]]
        lines = []
        for page in measured:
            line = summarise(page, runs[page.name], beside[page.name])
            line["queries"] = prepared["queries"].get(page.name)
            lines.append(line)
        result["pages"] = lines
        result["picked"] = {k: prepared[k] for k in ("member", "remix", "production")}
    finally:
        _stop(floor, signal.SIGTERM)
        _stop(quiet, signal.SIGTERM)
        _stop(serve, signal.SIGINT)
        log.close()
        if db == "postgresql":
            _pg_admin(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
        if "CACHE_KEY_PREFIX" in env:
            _redis_forget(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


def table(result: dict[str, Any], db: str) -> str:
    """One database's figures as the Markdown table docs/benchmarks.md shows."""
    ours = result[db]
    lines = [
        "| page | req/s | p50 | p99 | ÷ floor | queries (cold/warm) | targets |",
        "|---|---|---|---|---|---|---|",
    ]
    for line in ours["pages"]:
        queries = line.get("queries")
        q = "" if not queries else "/".join(str(n) for n in queries)
        marks = ", ".join(f"{what} {'✓' if ok else '✗'}" for what, ok in verdicts(line))
        if line["failed"]:
            marks = f"FAILED ({line['non_2xx']} non-2xx, {line['socket_errors']} socket errors)"
        who = " (logged in)" if line["logged_in"] and "logged in" not in line["name"] else ""
        lines.append(
            f"| {line['name']}{who} | {line['req_per_s']:,.0f} | {line['p50_ms']:.1f} ms | "
            f"{line['p99_ms']:.1f} ms | {line['ratio']:.3f} | {q} | {marks} |"
        )
    for name, status in ours.get("not_200", {}).items():
        lines.append(f"| {name} | – | – | – | – | – | FAILED: answered {status}, not timed |")
    return "\n".join(lines)


def report(result: dict[str, Any]) -> str:
    machine = result["machine"]
    out = [
        f"Run {result['date']}: `{result['command']}`; {machine['cpus']} cores "
        f"({machine['cpu']}), Python {machine['python']}, load average at start "
        f"{', '.join(f'{x:.2f}' for x in machine['load_avg_at_start'])}; wrk -c {CONNECTIONS} "
        f"-t {WRK_THREADS}, {result['rounds']} interleaved rounds of {result['duration_s']} s, "
        "medians of the rounds; each ratio is to the floor measured just before and after "
        f"the page (the floor runs again after every {FLOOR_EVERY} lines).",
    ]
    for db in result["dbs"]:
        ours = result[db]
        out += [
            "",
            f"**{db}** (cache: {ours['cache']}; server `{ours['server_command']}`; load "
            f"{ours['load_avg_at_start'][0]:.2f} at the first round, "
            f"{ours['load_avg_after'][0]:.2f} after the last)",
            "",
            table(result, db),
        ]
    return "\n".join(out)


def bench_pages(
    dbs: list[str] | None = None,
    rounds: int | None = None,
    duration: int | None = None,
    port: int | None = None,
    redis_url: str | None = None,
) -> dict[str, Any]:
    from bench.lineage import _machine

    dbs = dbs or os.environ.get("PAGES_DBS", "sqlite,postgresql").split(",")
    dbs = ["postgresql" if db.strip() == "postgres" else db.strip() for db in dbs]
    rounds = rounds or int(os.environ.get("PAGES_ROUNDS", "3"))
    duration = duration or int(os.environ.get("PAGES_DURATION", "3"))
    port = port or int(os.environ.get("PAGES_PORT", "8170"))
    redis_url = redis_url if redis_url is not None else os.environ.get("PAGES_REDIS_URL", "")
    wrk = ensure_wrk()
    result: dict[str, Any] = {
        "machine": _machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python -m bench.pages", *sys.argv[1:]])
        if sys.argv[0].endswith("pages.py")
        else "make bench BENCH=pages",
        "dbs": dbs,
        "rounds": rounds,
        "duration_s": duration,
    }
    missed: list[str] = []
    for db in dbs:
        print(f"pages: {db}", flush=True)
        result[db] = run_database(
            db, wrk=wrk, rounds=rounds, duration=duration, port=port, redis_url=redis_url
        )
        for line in result[db]["pages"]:
            missed += [f"{db} {line['name']}: {what}" for what, ok in verdicts(line) if not ok]
        missed += [f"{db} {name}: answered {s}" for name, s in result[db]["not_200"].items()]
    result["missed"] = missed
    text = report(result)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.md").write_text(text + "\n")
    (out / "pages.json").write_text(json.dumps(result, indent=2))
    print(text, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql", "postgres"])
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--duration", type=int, help="seconds per wrk run")
    parser.add_argument("--port", type=int, help="the server's; the floors take the next two")
    parser.add_argument("--redis", help="REDIS_URL for the PostgreSQL run")
    parser.add_argument("--child-prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_prepare:
        child_prepare(args.child_prepare)
        return
    result = bench_pages(args.db, args.rounds, args.duration, args.port, args.redis)
    if result["missed"]:
        sys.exit(f"pages: {len(result['missed'])} targets missed (see the table)")


if __name__ == "__main__":
    main()
