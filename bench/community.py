"""Community at scale: the home feed, search, trending and a heart on 100,000 members,
1,000,000 records, 10,000,000 hearts and 1,000,000 follows, on SQLite and on PostgreSQL.

The data (bench/community_data.py describes its shape) is generated once per database and
kept: a SQLite file under var/bench-community/ (COMMUNITY_DATA_DIR) and the PostgreSQL
database rh_bench_community, each reused while the shape recorded in it (its `bench_shape`
table) matches the one asked for and the apps' migrations are those it was generated on
(`--fresh` generates again). Generation prints its time
per step and the database's size.

Scenarios (`--only`, comma-separated; each imports the function it measures when it runs,
and stops with an error naming it when it is missing), p50/p95/p99 of the wall clock and of
the measuring thread's CPU time over COMMUNITY_RUNS runs after a warm-up, with the queries
of one run (CaptureQueriesContext):
- home_feed: `community.feeds.selectors.home_feed(viewer=, limit=24)` for members following
  100, 500 and 1,000 members, the first page and the next (its `next_cursor`) (target p95
  < 50 ms, bounded queries);
- search: `search.services.search_reindex_all()` timed once per generated database (again
  with `--reindex`), then `search.selectors.search(viewer=, q=, ...)` for common words,
  rare words, a prefix as typed, a query with filters (kind, tag, licence, remix policy)
  and a members search (target p95 < 100 ms);
- trending: `community.feeds.services.trending_compute()` (the job, timed), then
  `community.feeds.selectors.trending(limit=24)` and its next page (target p95 < 50 ms);
- heart: `community.social.services.heart_add(user=, record=)` and `heart_remove(...)`
  alternating, on random records by random members who had not hearted them (so the data
  is left as generated), each timed (target p95 < 20 ms); the records' counters are then
  checked against the rows.
Each scenario records the load average before and after it (the machine is shared: the
CPU time moves less than the wall clock).

Configuration (environment, or the options of `python -m bench.community`):
COMMUNITY_SCALE (1; `--scale 0.01` for a quick run), COMMUNITY_DBS ("sqlite,postgresql";
`--db`), COMMUNITY_RUNS (100; `--runs`), COMMUNITY_ONLY (`--only`), COMMUNITY_PG_URL (an
administrative connection, default postgres://postgres@127.0.0.1:5432/postgres),
COMMUNITY_DATA_DIR (var/bench-community). `--generate-only` generates (or finds) the data
and measures nothing; `--fresh` drops the kept data first; `--reindex` rebuilds the search
index even if this database's was built before.
"""

import argparse
import gc
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.community_data import Shape, vocabulary
from bench.lineage import _machine, _rank

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "rh_bench_community"
TARGET_FEED_P95_MS = 50
TARGET_SEARCH_P95_MS = 100
TARGET_TRENDING_P95_MS = 50
TARGET_HEART_P95_MS = 20
# The home feed's bound, as its test asserts (community/tests/test_feeds_home.py).
HOME_FEED_MAX_QUERIES = 14
SCENARIOS = ("home_feed", "search", "trending", "heart")


class MissingFunction(RuntimeError):
    """A scenario's function is not on this branch (it is written on another one)."""


def _import(module: str, name: str) -> Callable[..., Any]:
    import importlib

    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise MissingFunction(
            f"{module}.{name} is missing ({error}): this scenario measures it; run it on a "
            "branch that has it"
        ) from error
    return found  # type: ignore[no-any-return]


def _measure(run: Callable[[], object], runs: int, warmup: int = 3) -> dict[str, float]:
    """Wall-clock p50/p95/p99 (what a visitor waits) and this thread's CPU time p50/p95."""
    for _ in range(warmup):
        run()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    return _figures(wall, cpu)


def _figures(wall: list[float], cpu: list[float]) -> dict[str, float]:
    return {
        "p50_ms": _rank(wall, 0.50),
        "p95_ms": _rank(wall, 0.95),
        "p99_ms": _rank(wall, 0.99),
        "max_ms": _rank(wall, 1),
        "cpu_p50_ms": _rank(cpu, 0.50),
        "cpu_p95_ms": _rank(cpu, 0.95),
        "runs": len(wall),
    }


def _queries(run: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    if os.environ.get("COMMUNITY_SQL") == "1":  # the queries themselves, to read them
        for query in captured.captured_queries:
            print("    SQL", query["sql"][:300], file=sys.stderr)
    return len(captured)


def _page(result: Any) -> tuple[list[Any], str | None]:
    """The items of a page (evaluated: a lazy queryset runs here, inside the timing) and its
    next cursor: a page object (`items`, `next_cursor`), a pair, or a plain sequence."""
    if hasattr(result, "items") and not isinstance(result, dict):
        items = result.items
        return list(items() if callable(items) else items), getattr(result, "next_cursor", None)
    if isinstance(result, tuple) and len(result) == 2:
        return list(result[0]), result[1]
    return list(result), None


def _read(name: str, call: Callable[..., Any], runs: int, **kwargs: Any) -> dict[str, Any]:
    """A read measured: first page, then (when it has one) the next."""
    items, cursor = _page(call(**kwargs))
    result: dict[str, Any] = {"items": len(items)}

    def first() -> None:
        _page(call(**kwargs))

    result["first_page"] = _measure(first, runs) | {"queries": _queries(first)}
    if cursor:

        def second() -> None:
            _page(call(cursor=cursor, **kwargs))

        result["next_page"] = _measure(second, runs) | {"queries": _queries(second)}
    print(
        f"    {name}: {len(items)} items, p95 {result['first_page']['p95_ms']} ms, "
        f"{result['first_page']['queries']} queries",
        flush=True,
    )
    return result


# --- Scenarios ------------------------------------------------------------------------------
def scenario_home_feed(shape: Shape, runs: int, options: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    home_feed = _import("riffhouse.community.feeds.selectors", "home_feed")
    User = get_user_model()
    result: dict[str, Any] = {"target_p95_ms": TARGET_FEED_P95_MS}
    for viewer_id, following in shape.viewers:
        viewer = User.objects.get(pk=viewer_id)
        read = _read(f"home feed, following {following}", home_feed, runs, viewer=viewer, limit=24)
        if not read["items"]:
            raise RuntimeError(f"the home feed of a member following {following} is empty")
        result[f"following_{following}"] = read
    return result


def _search_terms(shape: Shape) -> dict[str, dict[str, Any]]:
    """The queries: words by their frequency rank in the generated vocabulary (the same
    words the generator drew from: same seed, drawn first). At scale 1 the commonest word
    ("night") is in the title or description of about 79 % of the records (a stop word's
    frequency), the 31st ("golden") in about 6 %, the word at 80 % of the vocabulary in
    about 60 and the last in about 40."""
    import numpy as np

    words = vocabulary(shape.vocabulary, np.random.default_rng(shape.seed)).tolist()
    return {
        "commonest_word": {"q": words[0]},
        "common_word": {"q": words[30]},
        "common_words": {"q": f"{words[20]} {words[40]}"},
        "rare_word": {"q": words[int(len(words) * 0.8)]},
        "rare_words": {"q": f"{words[-1]} {words[int(len(words) * 0.6)]}"},
        "prefix_as_typed": {"q": f"{words[25]} {words[35][:3]}"},
        "prefix_one_word": {"q": words[30][:3]},
        "with_filters": {
            "q": words[30],
            "kind": "audio",
            "tag": words[1],
            "licence": "riffhouse",
            "remix_policy": "open",
        },
        "members": {"q": "Lena", "type": "members"},
    }


def _state(key: str, value: str | None = None) -> str | None:
    """A value kept in the generated database between runs (`bench_state`)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_state (k TEXT PRIMARY KEY, v TEXT)")
        if value is not None:
            cursor.execute("DELETE FROM bench_state WHERE k = %s", [key])
            cursor.execute("INSERT INTO bench_state (k, v) VALUES (%s, %s)", [key, value])
            return value
        cursor.execute("SELECT v FROM bench_state WHERE k = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


def scenario_search(shape: Shape, runs: int, options: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    search = _import("riffhouse.search.selectors", "search")
    reindex = _import("riffhouse.search.services", "search_reindex_all")
    result: dict[str, Any] = {"target_p95_ms": TARGET_SEARCH_P95_MS}
    built = _state("search_reindex")
    if built is None or options.get("reindex"):
        started, started_cpu = time.perf_counter(), time.thread_time()
        indexed = reindex()
        built = json.dumps(
            {
                "s": round(time.perf_counter() - started, 1),
                "cpu_s": round(time.thread_time() - started_cpu, 1),
                "rows": indexed,
            }
        )
        _state("search_reindex", built)
        print(f"    search index built: {built}", flush=True)
    else:
        print(f"    search index built by an earlier run: {built}", flush=True)
    result["reindex"] = json.loads(built)
    viewer = get_user_model().objects.get(pk=1)
    for name, params in _search_terms(shape).items():
        read = _read(f"search {name} {params}", search, runs, viewer=viewer, limit=20, **params)
        if name.startswith("common") and not read["items"]:
            raise RuntimeError(f"search {params} found nothing")
        result[name] = read | {"params": params}
    return result


def scenario_trending(shape: Shape, runs: int, options: dict[str, Any]) -> dict[str, Any]:
    compute = _import("riffhouse.community.feeds.services", "trending_compute")
    trending = _import("riffhouse.community.feeds.selectors", "trending")
    job_runs = int(os.environ.get("COMMUNITY_JOB_RUNS", "3"))
    times, cpu, rows = [], [], 0
    for _ in range(job_runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        rows = compute()
        times.append(round(time.perf_counter() - started, 2))
        cpu.append(round(time.thread_time() - started_cpu, 2))
    print(f"    trending job: {times} s, {rows} rows", flush=True)
    result: dict[str, Any] = {
        "job": {"runs_s": times, "cpu_s": cpu, "rows": rows},
        "target_p95_ms": TARGET_TRENDING_P95_MS,
    }
    read = _read("trending", trending, runs, limit=24)
    if not read["items"]:
        raise RuntimeError("the trending list is empty after trending_compute()")
    return result | read


def scenario_heart(shape: Shape, runs: int, options: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from riffhouse.community.models import Heart, RecordStats
    from riffhouse.records.models import Record

    heart_add = _import("riffhouse.community.social.services", "heart_add")
    heart_remove = _import("riffhouse.community.social.services", "heart_remove")
    User = get_user_model()
    rng = random.Random(shape.seed)  # noqa: S311 - a reproducible pick, not a secret
    pairs: list[tuple[Any, Any]] = []
    while len(pairs) < runs + 3:
        user_id, record_id = rng.randint(1, shape.members), rng.randint(1, shape.records)
        if Heart.objects.filter(user_id=user_id, record_id=record_id).exists():
            continue
        pairs.append((User.objects.get(pk=user_id), Record.objects.get(pk=record_id)))
    before = dict(
        RecordStats.objects.filter(record_id__in=[r.pk for _, r in pairs]).values_list(
            "record_id", "hearts"
        )
    )
    hearts_before = Heart.objects.count()
    add_wall, add_cpu, remove_wall, remove_cpu = [], [], [], []
    add_queries = remove_queries = 0
    for i, (user, record) in enumerate(pairs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.thread_time()
            heart_add(user=user, record=record)
            wall, cpu = time.perf_counter() - started, time.thread_time() - started_cpu
        add_queries = max(add_queries, len(captured))
        if i >= 3:  # the first three warm up
            add_wall.append(wall)
            add_cpu.append(cpu)
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.thread_time()
            heart_remove(user=user, record=record)
            wall, cpu = time.perf_counter() - started, time.thread_time() - started_cpu
        remove_queries = max(remove_queries, len(captured))
        if i >= 3:
            remove_wall.append(wall)
            remove_cpu.append(cpu)
    after = dict(
        RecordStats.objects.filter(record_id__in=list(before)).values_list("record_id", "hearts")
    )
    if after != before or Heart.objects.count() != hearts_before:
        raise RuntimeError("hearting and unhearting left the counters or the rows changed")
    return {
        "heart_add": _figures(add_wall, add_cpu) | {"max_queries": add_queries},
        "heart_remove": _figures(remove_wall, remove_cpu) | {"max_queries": remove_queries},
        "target_p95_ms": TARGET_HEART_P95_MS,
    }


SCENARIO_FUNCTIONS: dict[str, Callable[[Shape, int, dict[str, Any]], dict[str, Any]]] = {
    "home_feed": scenario_home_feed,
    "search": scenario_search,
    "trending": scenario_trending,
    "heart": scenario_heart,
}


# --- A child process per database -----------------------------------------------------------
def child_main(db: str, scale: float, runs: int, out_path: Path, options: dict[str, Any]) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.community_data import generate, stored_shape

    shape = Shape.at(scale)
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = round(time.perf_counter() - started, 1)
    result: dict[str, Any] = {"migrate_s": migrate_s}
    if stored_shape() == shape.key():
        print(f"  [{db}] reusing the data generated by an earlier run", flush=True)
        result["generation"] = {"reused": True, "first": json.loads(_state("generation") or "{}")}
    else:
        if stored_shape() is not None:
            raise RuntimeError("the database holds another shape: the parent should have reset it")
        if db == "sqlite":
            connection.ensure_connection()
            raw = connection.connection
            raw.execute("PRAGMA foreign_keys=OFF")  # consistent by construction; checked in tests
            raw.execute("PRAGMA synchronous=OFF")  # a crash while loading means generating again
            raw.execute("PRAGMA cache_size=-524288")  # 512 MB while loading
            raw.execute("PRAGMA temp_store=MEMORY")
        times = generate(shape, fast=True)
        connection.close()  # measure on a fresh connection with the application's settings
        times["size_mb"] = _size_mb(db)
        _state("generation", json.dumps(times))
        result["generation"] = times
        print(f"  [{db}] generated in {times['total_s']} s, {times['size_mb']:,} MB", flush=True)
    result["size_mb"] = _size_mb(db)
    if options.get("generate_only"):
        out_path.write_text(json.dumps(result, indent=2))
        return
    # As riffhouse/wsgi.py does in the web server once Django is loaded.
    gc.collect()
    gc.freeze()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if db == "sqlite" else "SHOW server_version")
        result["version"] = cursor.fetchone()[0]
    errors: dict[str, str] = {}
    for name in options["only"]:
        print(f"  [{db}] {name}", flush=True)
        load_before = os.getloadavg()[0]
        try:
            result[name] = SCENARIO_FUNCTIONS[name](shape, runs, options)
        except MissingFunction as error:
            errors[name] = str(error)
            print(f"  [{db}] {name} STOPPED: {error}", flush=True)
            continue
        result[name]["load_avg"] = [load_before, os.getloadavg()[0]]
    result["errors"] = errors
    out_path.write_text(json.dumps(result, indent=2))


def _size_mb(db: str) -> float:
    from django.db import connection

    if db == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        files = [name, Path(f"{name}-wal")]
        return round(sum(f.stat().st_size for f in files if f.exists()) / 2**20)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return round(cursor.fetchone()[0] / 2**20)


# --- The parent -----------------------------------------------------------------------------
def _data_dir() -> Path:
    path = Path(os.environ.get("COMMUNITY_DATA_DIR", ROOT / "var" / "bench-community"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pg_url(database: str) -> str:
    parts = urlsplit(os.environ.get("COMMUNITY_PG_URL", PG_ADMIN_URL))
    return urlunsplit(parts._replace(path=f"/{database}"))


def _stored_shape(db: str, data_dir: Path) -> str | None:
    """The shape recorded in the kept database, without Django (None: none or unreadable)."""
    query = "SELECT shape FROM bench_shape"
    try:
        if db == "sqlite":
            path = data_dir / "community.sqlite3"
            if not path.exists():
                return None
            with sqlite3.connect(path) as conn:
                row = conn.execute(query).fetchone()
        else:
            import psycopg

            with psycopg.connect(_pg_url(PG_BENCH_DB)) as conn:
                row = conn.execute(query).fetchone()
    except Exception:
        return None
    return row[0] if row else None


def _reset(db: str, data_dir: Path) -> None:
    """Drop the kept database, for a new generation."""
    if db == "sqlite":
        for leftover in data_dir.glob("community.sqlite3*"):
            leftover.unlink()
        return
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")


def _run_child(
    db: str, scale: float, runs: int, data_dir: Path, options: dict[str, Any]
) -> dict[str, Any]:
    if db not in {"sqlite", "postgresql"}:
        raise ValueError(f"unknown database {db!r}: sqlite or postgresql")
    shape = Shape.at(scale)
    if options.get("fresh") or _stored_shape(db, data_dir) != shape.key():
        print(f"  [{db}] generating new data (nothing kept of this shape)", flush=True)
        _reset(db, data_dir)
    url = f"sqlite:///{data_dir / 'community.sqlite3'}" if db == "sqlite" else _pg_url(PG_BENCH_DB)
    out_path = data_dir / f"{db}.json"
    out_path.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="riffhouse.settings",
        DATABASE_URL=url,
        RIFFHOUSE_DATA_DIR=str(data_dir / f"data-{db}"),
        SECRET_KEY="bench-secret-key-for-the-community-benchmark-0123456789",  # noqa: S106
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        TASKS_BACKEND="immediate",
        PYTHONUNBUFFERED="1",
    )
    command = [sys.executable, "-m", "bench.community", "--child", db, "--scale", str(scale)]
    command += ["--runs", str(runs), "--out", str(out_path), "--only", ",".join(options["only"])]
    command += [
        f"--{flag.replace('_', '-')}" for flag in ("generate_only", "reindex") if options[flag]
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    result: dict[str, Any] = json.loads(out_path.read_text())
    return result


def bench_community(
    scale: float | None = None,
    dbs: list[str] | None = None,
    runs: int | None = None,
    only: list[str] | None = None,
    *,
    generate_only: bool = False,
    fresh: bool = False,
    reindex: bool = False,
) -> dict[str, Any]:
    scale = scale if scale is not None else float(os.environ.get("COMMUNITY_SCALE", "1"))
    dbs = dbs or os.environ.get("COMMUNITY_DBS", "sqlite,postgresql").split(",")
    runs = runs or int(os.environ.get("COMMUNITY_RUNS", "100"))
    only = only or [s for s in os.environ.get("COMMUNITY_ONLY", "").split(",") if s]
    only = only or list(SCENARIOS)
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios {sorted(unknown)}: {', '.join(SCENARIOS)}")
    shape = Shape.at(scale)
    options = {"only": only, "generate_only": generate_only, "fresh": fresh, "reindex": reindex}
    result: dict[str, Any] = {"machine": _machine(), "shape": asdict(shape), "runs": runs}
    missed: list[str] = []
    data_dir = _data_dir()
    for db in (d.strip() for d in dbs):
        print(f"community: {db}, scale {scale}", flush=True)
        ours = result[db] = _run_child(db, scale, runs, data_dir, options)
        missed += [f"{db} {name}: {error}" for name, error in ours.get("errors", {}).items()]
        missed += _missed(db, ours)
    result["missed"] = missed
    print(summary(result), flush=True)
    return result


def _reads(ours: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], int]]:
    """(scenario, label, figures, target) for every measured read and write."""
    rows: list[tuple[str, str, dict[str, Any], int]] = []
    feed = ours.get("home_feed")
    for key, read in (feed or {}).items():
        if key.startswith("following_"):
            who = f"following {key.removeprefix('following_')}"
            rows.append(("home feed", who, read["first_page"], TARGET_FEED_P95_MS))
            if "next_page" in read:
                rows.append(
                    ("home feed", f"{who}, next page", read["next_page"], TARGET_FEED_P95_MS)
                )
    search = ours.get("search") or {}
    for key, read in search.items():
        if isinstance(read, dict) and "first_page" in read:
            words = " ".join(f"{k}={v}" for k, v in read["params"].items() if k != "q")
            label = f"{key.replace('_', ' ')}: “{read['params']['q']}” {words}".strip()
            rows.append(("search", label, read["first_page"], TARGET_SEARCH_P95_MS))
    trending = ours.get("trending")
    if trending:
        rows.append(("trending", "first page", trending["first_page"], TARGET_TRENDING_P95_MS))
        if "next_page" in trending:
            rows.append(("trending", "next page", trending["next_page"], TARGET_TRENDING_P95_MS))
    heart = ours.get("heart")
    if heart:
        for key in ("heart_add", "heart_remove"):
            figures = heart[key] | {"queries": heart[key]["max_queries"]}
            rows.append(("heart", key.replace("_", " "), figures, TARGET_HEART_P95_MS))
    return rows


def _missed(db: str, ours: dict[str, Any]) -> list[str]:
    missed = [
        f"{db} {scenario} ({label}) p95 {figures['p95_ms']} ms >= {target} ms"
        for scenario, label, figures, target in _reads(ours)
        if figures["p95_ms"] >= target
    ]
    feed = ours.get("home_feed") or {}
    queries = {
        key: read["first_page"]["queries"]
        for key, read in feed.items()
        if key.startswith("following_")
    }
    # Bounded whoever the viewer follows: a quiet feed widens its window back in time (a
    # query more per step, `FOLLOWED_WINDOWS`), never a query per member followed.
    if max(queries.values(), default=0) > HOME_FEED_MAX_QUERIES:
        missed.append(
            f"{db} home feed queries over {HOME_FEED_MAX_QUERIES} (they must not grow with "
            f"the members followed): {queries}"
        )
    return missed


def summary(result: dict[str, Any]) -> str:
    """The figures as the Markdown tables docs/benchmarks.md shows."""
    lines = [
        "| database | generated in | size | steps |",
        "|---|---|---|---|",
    ]
    for db in ("sqlite", "postgresql"):
        ours = result.get(db)
        if not ours:
            continue
        gen = ours["generation"]
        if gen.get("reused"):
            gen = gen.get("first") or {}
        steps = ", ".join(
            f"{k.removesuffix('_s')} {v} s"
            for k, v in gen.items()
            if k.endswith("_s") and k not in {"total_s", "cpu_total_s"}
        )
        lines.append(
            f"| {db} | {gen.get('total_s', '?')} s (CPU {gen.get('cpu_total_s', '?')} s) | "
            f"{ours['size_mb']:,} MB | {steps} |"
        )
    lines += [
        "",
        "| scenario | query | database | p50 | p95 | p99 | CPU p50 | queries | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for db in ("sqlite", "postgresql"):
        ours = result.get(db)
        if not ours:
            continue
        for scenario, label, f, target in _reads(ours):
            lines.append(
                f"| {scenario} | {label} | {db} | {f['p50_ms']} ms | {f['p95_ms']} ms | "
                f"{f['p99_ms']} ms | {f['cpu_p50_ms']} ms | {f['queries']} | p95 < {target} ms |"
            )
        if "search" in ours:
            r = ours["search"]["reindex"]
            lines.append(
                f"| search index | `search_reindex_all()`: {r['rows']:,} rows | {db} | "
                f"{r['s']} s | | | {r['cpu_s']} s | | |"
            )
        if "trending" in ours:
            job = ours["trending"]["job"]
            runs = " / ".join(f"{t} s" for t in job["runs_s"])
            cpu = " / ".join(f"{t} s" for t in job["cpu_s"])
            lines.append(
                f"| trending job | `trending_compute()`: {job['rows']:,} rows | {db} | {runs} "
                f"| | | {cpu} | | |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--runs", type=int)
    parser.add_argument("--only", help="scenarios, comma-separated: " + ", ".join(SCENARIOS))
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--reindex", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    only = args.only.split(",") if args.only else None
    if args.child:
        options = {
            "only": only or [],
            "generate_only": args.generate_only,
            "reindex": args.reindex,
        }
        child_main(args.child, args.scale, args.runs, args.out, options)
        return
    result = bench_community(
        args.scale,
        args.db,
        args.runs,
        only,
        generate_only=args.generate_only,
        fresh=args.fresh,
        reindex=args.reindex,
    )
    print(json.dumps(result, indent=2))
    if result["missed"]:
        sys.exit("targets missed: " + "; ".join(result["missed"]))


if __name__ == "__main__":
    main()
