"""Lineage at scale: the remix graph's reads on a generated graph of 1,000,000 records, on
SQLite and on PostgreSQL, against networkx on the same graph in memory.

The graph (record ids in this order, sizes at LINEAGE_SCALE=1):
- 10 originals;
- a chain of 10,001 records, each built on the one before: the deepest has 10,000 ancestors
  (the chain's records have no other sources);
- the star: a record built on two originals, with 100,000 direct remixes;
- ten: a record built on two other originals, with 10 direct remixes (the record page's
  query count must not grow with the number of remixes: ten's and the star's are compared);
- the rest: a random DAG. Each record is an original (30 %) or built on 1 (60 %), 2 (8 %)
  or 3 (2 %) earlier records picked uniformly (never the star or ten).
About 1,000 members author the records at random. Every record has one version (ready,
live and current, published); every link names its source's version; `remix_count` is
set from the links by one UPDATE; the chains (lineage.chains) are built by
`chains_rebuild`, as the migration that added them does. Generated with raw executemany
(SQLite) or COPY (PostgreSQL) after migrating a fresh database, then ANALYZE (VACUUM ANALYZE
on PostgreSQL).

Measured, each database in its own child process (Django configured by DATABASE_URL as
`make run` does), LINEAGE_RUNS times after a warm-up, p50/p95 in ms:
- ancestors: `selectors.ancestors(deepest)` (10,000 records);
- descendants page: `selectors.lineage_page(direction="descendants", limit=50)` of the star;
- credits: `selectors.record_credits(record=deepest)`;
- the record page GET /records/<id>/ (django.test.Client, anonymous) of the star, of ten and
  of the deepest record, with its query count (CaptureQueriesContext).
The child freezes the garbage collector's view of everything loaded at start-up, as
riffhouse/wsgi.py does in the web server.
networkx on a DiGraph of the same edges: the ancestors with what `selectors.ancestors`
returns (BFS on the reverse graph for the distances, then for each ancestor the records one
step closer and its links' usage notes; the bare BFS distances are reported too, as
"ancestors vs bare distances"); the 50 largest ids among the star's
successors; the same BFS plus grouping by author as `record_credits` does. The ratios are
database / networkx.

Targets (the lineage issue): each read under 100 ms at p95 and within 5x of networkx (p50
against p50; for ancestors, also within 5x of the bare BFS distances); the star's record
page under 50 ms at p95, with as many queries as ten's.

Configuration (environment): LINEAGE_SCALE (1: a million records; 0.1 for a quick run),
LINEAGE_DBS ("sqlite,postgresql"), LINEAGE_RUNS (50), LINEAGE_PG_URL (an administrative
connection, default postgres://postgres@127.0.0.1:5432/postgres; the benchmark creates and
drops the database riffhouse_bench there), LINEAGE_KEEP=1 (keep the databases, the SQLite
file under var/bench-lineage/, and measure them again without regenerating when the next
run asks for the same scale). Directly:
`python -m bench.lineage [--scale 0.1] [--db sqlite] [--runs 50]`.
"""

import argparse
import gc
import heapq
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "riffhouse_bench"
SEED = 20261125
USAGES = ("", "", "", "", "melody", "lyrics", "drums", "visuals", "voice", "palette")
KINDS = ("text", "image", "audio", "video")
KIND_ROLES = {"text": "writing", "image": "art", "audio": "music", "video": "film"}
TARGET_READ_P95_MS = 100
TARGET_RATIO = 5
TARGET_PAGE_P95_MS = 50
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
OPS = ("ancestors", "descendants_page", "credits")


# --- The graph ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    records: int
    chain: int  # links in the chain: the deepest record's number of ancestors
    star: int  # the star's direct remixes
    members: int = 1000
    originals: int = 10
    ten: int = 10

    @classmethod
    def at(cls, scale: float) -> "Shape":
        return cls(
            records=round(1_000_000 * scale),
            chain=max(10, round(10_000 * scale)),
            star=max(10, round(100_000 * scale)),
        )

    # Ids, 1-based, in the order described in the module's docstring.
    @property
    def chain_root(self) -> int:
        return self.originals + 1

    @property
    def deepest(self) -> int:
        return self.chain_root + self.chain

    @property
    def star_id(self) -> int:
        return self.deepest + 1

    @property
    def ten_id(self) -> int:
        return self.star_id + self.star + 1

    @property
    def first_random(self) -> int:
        return self.ten_id + self.ten + 1


@dataclass
class Graph:
    """Columns of the generated graph; index i of the record columns is record id i + 1."""

    shape: Shape
    author: np.ndarray  # int64, per record
    kind: np.ndarray  # int8 index into KINDS, per record
    link_record: np.ndarray  # the remix
    link_source: np.ndarray
    link_usage: np.ndarray  # index into USAGES
    link_position: np.ndarray


def make_graph(shape: Shape) -> Graph:
    """The same graph for the same shape, every time (fixed seed)."""
    rng = np.random.default_rng(SEED)
    n = shape.records
    if shape.first_random > n:
        raise ValueError(f"{n} records cannot hold the chain, the star and ten")
    author = rng.integers(1, shape.members + 1, n, dtype=np.int64)
    kind = rng.integers(0, len(KINDS), n, dtype=np.int8)
    for special in (shape.deepest, shape.star_id, shape.ten_id):
        kind[special - 1] = 0  # text: the record pages measured show a text body
    records: list[np.ndarray] = []
    sources: list[np.ndarray] = []

    def add(record: np.ndarray | int, source: np.ndarray | int, count: int) -> None:
        records.append(np.broadcast_to(np.asarray(record, dtype=np.int64), (count,)))
        sources.append(np.broadcast_to(np.asarray(source, dtype=np.int64), (count,)))

    chain = np.arange(shape.chain_root + 1, shape.deepest + 1, dtype=np.int64)
    add(chain, chain - 1, len(chain))
    add(shape.star_id, np.array([1, 2]), 2)
    star_remixes = np.arange(shape.star_id + 1, shape.star_id + shape.star + 1, dtype=np.int64)
    add(star_remixes, shape.star_id, len(star_remixes))
    add(shape.ten_id, np.array([3, 4]), 2)
    ten_remixes = np.arange(shape.ten_id + 1, shape.ten_id + shape.ten + 1, dtype=np.int64)
    add(ten_remixes, shape.ten_id, len(ten_remixes))
    rest = np.arange(shape.first_random, n + 1, dtype=np.int64)
    how_many = rng.choice(4, size=len(rest), p=[0.30, 0.60, 0.08, 0.02])
    for slot in range(3):
        remix = rest[how_many > slot]
        source = (rng.random(len(remix)) * (remix - 1)).astype(np.int64) + 1
        # Never the star or ten (their remix counts are part of the setup): the record before.
        source[(source == shape.star_id) | (source == shape.ten_id)] -= 1
        add(remix, source, len(remix))
    record_col = np.concatenate(records)
    source_col = np.concatenate(sources)
    # One link per (record, source): drop the random repeats, keep the order of the first.
    key = record_col * (n + 1) + source_col
    _, first = np.unique(key, return_index=True)
    first.sort()
    record_col, source_col = record_col[first], source_col[first]
    # position: 0, 1, 2 within each record's sources
    order = np.argsort(record_col, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(record_col[order])) + 1]
    ranks = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    position = np.empty(len(order), dtype=np.int64)
    position[order] = ranks
    usage = rng.integers(0, len(USAGES), len(record_col), dtype=np.int8)
    return Graph(shape, author, kind, record_col, source_col, usage, position)


# --- Percentiles ----------------------------------------------------------------------------


def _rank(samples_s: list[float], p: float) -> float:
    """The nearest-rank percentile, in ms."""
    ordered = sorted(samples_s)
    return round(ordered[max(0, math.ceil(p * len(ordered)) - 1)] * 1000, 2)


def measure(run: Callable[[], object], runs: int, warmup: int = 3) -> dict[str, float]:
    """Wall-clock p50/p95 (what a visitor waits) and the median CPU time of this thread (the
    Python side alone: on a shared machine it moves less than the wall clock)."""
    for _ in range(warmup):
        run()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    return {
        "p50_ms": _rank(wall, 0.50),
        "p95_ms": _rank(wall, 0.95),
        "min_ms": _rank(wall, 0),
        "max_ms": _rank(wall, 1),
        "cpu_p50_ms": _rank(cpu, 0.50),
        "runs": runs,
    }


# --- networkx -------------------------------------------------------------------------------


def bench_networkx(graph: Graph, runs: int) -> dict[str, Any]:
    import networkx as nx

    shape = graph.shape
    started = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(1, shape.records + 1))
    g.add_edges_from(
        (int(s), int(r), {"usage": USAGES[u]})
        for r, s, u in zip(
            graph.link_record.tolist(),
            graph.link_source.tolist(),
            graph.link_usage.tolist(),
            strict=True,
        )
    )
    reverse = g.reverse(copy=False)
    built_s = time.perf_counter() - started
    author = [0, *graph.author.tolist()]
    kind = [KINDS[0], *(KINDS[k] for k in graph.kind.tolist())]

    def ancestors(node: int) -> dict[int, int]:
        """Bare distances: the least an in-memory walk can do."""
        return nx.single_source_shortest_path_length(reverse, node)

    def ancestors_full(node: int) -> list[tuple[int, int, list[int], list[str]]]:
        """What selectors.ancestors returns: each ancestor nearest first with its depth, the
        records one step closer through which it is reached at that depth, and the usage
        notes of its links (any depth)."""
        depth = ancestors(node)
        rows = []
        for other, d in sorted(depth.items(), key=lambda item: (item[1], item[0])):
            if other == node:
                continue
            via, usages = [], []
            for child, data in g.succ[other].items():
                if child not in depth:
                    continue
                if depth[child] == d - 1:
                    via.append(child)
                if data["usage"] and data["usage"] not in usages:
                    usages.append(data["usage"])
            rows.append((other, d, via, usages))
        return rows

    def page() -> list[int]:
        return heapq.nlargest(50, g.succ[shape.star_id])

    def credits(node: int) -> list[tuple[int, int, int, list[str]]]:
        """What record_credits computes: per author, the nearest closeness, the roles (usage
        notes on the links at the nearest depth, else the kind) and the number of works."""
        depth = ancestors(node)
        by_author: dict[int, list[Any]] = {}

        def add(author_id: int, closeness: int, roles: Iterable[str]) -> None:
            credit = by_author.get(author_id)
            if credit is None:
                credit = by_author[author_id] = [author_id, closeness, 0, []]
            credit[2] += 1
            for role in roles:
                if role not in credit[3] and len(credit[3]) < 6:
                    credit[3].append(role)

        add(author[node], 0, [KIND_ROLES[kind[node]]])
        for other, d in sorted(depth.items(), key=lambda item: (item[1], item[0])):
            if other == node:
                continue
            usages = []
            for child, data in g.succ[other].items():
                if depth.get(child) == d - 1 and data["usage"] and data["usage"] not in usages:
                    usages.append(data["usage"])
            add(author[other], d, usages or [KIND_ROLES[kind[other]]])
        result = [tuple(c) for c in by_author.values()]
        result.sort(key=lambda c: (c[1], -c[2]))
        return result  # type: ignore[return-value]

    reached = ancestors(shape.deepest)
    out: dict[str, Any] = {
        "graph_build_s": round(built_s, 1),
        "check": {
            "ancestors": len(reached) - 1,
            "ancestors_depth_sum": sum(reached.values()),
            "page_ids": page(),
            "credits": _credit_digest((a, c, w) for a, c, w, _ in credits(shape.deepest)),
        },
        "ancestors": measure(lambda: ancestors_full(shape.deepest), runs),
        "ancestors_bare": measure(lambda: ancestors(shape.deepest), runs),
        "descendants_page": measure(page, runs),
        "credits": measure(lambda: credits(shape.deepest), runs),
    }
    return out


def _credit_digest(rows: Iterable[tuple[int | None, int, int]]) -> dict[str, int]:
    rows = list(rows)
    return {
        "contributors": len(rows),
        "closeness_sum": sum(c for _, c, _ in rows),
        "works_sum": sum(w for _, _, w in rows),
        "author_sum": sum(a or 0 for a, _, _ in rows),
    }


# --- The database side (runs in a child process with Django configured) ---------------------


def _timestamps(n: int, vendor: str) -> list[str]:
    """One timestamp per record (a second apart), as the database stores them."""
    step = timedelta(seconds=1)
    if vendor == "sqlite":  # Django keeps naive UTC text on SQLite
        base = BASE_TIME.replace(tzinfo=None)
        return [str(base + step * i) for i in range(n)]
    return [str(BASE_TIME + step * i) for i in range(n)]


def _columns(model: Any, given: dict[str, Any]) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The columns and rows for `model`: the columns in `given` (by attname; a str or int is
    the same for every row, anything else is iterated, a value per row), every other column
    at its model default, so that columns added later still load."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    per_row = {k: v for k, v in given.items() if not isinstance(v, str | int)}
    names = [by_attname[attname].column for attname in per_row]
    constants: list[Any] = []
    now = datetime.now(UTC)
    for field in model._meta.concrete_fields:
        if field.attname in per_row:
            continue
        if field.attname in given:
            value: Any = given[field.attname]
        elif field.primary_key or field.unique:
            raise ValueError(f"{model.__name__}.{field.name}: the benchmark must give it")
        elif getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            continue  # the database fills it
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default() or field.null or field.empty_strings_allowed:
            value = field.get_default()
        else:
            raise ValueError(
                f"{model.__name__}.{field.name}: no default; the benchmark must give it"
            )
        names.append(field.column)
        constants.append(field.get_db_prep_save(value, connection))
    tail = tuple(constants)
    rows = (row + tail for row in zip(*per_row.values(), strict=True))
    return names, rows


def _load(graph: Graph) -> dict[str, float]:
    """Migrate, then fill users, records, versions and links as fast as the database takes
    them; returns the seconds each step took."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from riffhouse.lineage.chains import chains_rebuild
    from riffhouse.lineage.models import SourceLink
    from riffhouse.records.models import Record, RecordVersion

    User = get_user_model()
    shape = graph.shape
    vendor = connection.vendor
    times: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        times[name] = round(now - mark, 1)
        mark = now
        print(f"  [{vendor}] {name}: {times[name]} s", flush=True)

    call_command("migrate", interactive=False, verbosity=0)
    lap("migrate_s")

    n = shape.records
    ids = list(range(1, n + 1))
    authors = graph.author.tolist()
    kinds = [KINDS[k] for k in graph.kind.tolist()]
    stamps = _timestamps(n, vendor)
    titles = [f"Record {i}" for i in ids]
    key_prefix = uuid.UUID(int=SEED).hex[:16]
    record_rows = _columns(
        Record,
        {
            "id": ids,
            "author_id": authors,
            "kind": kinds,
            "title": titles,
            "visibility": "published",
            "current_version_id": ids,  # one version per record, with the record's id
            "live_version_id": ids,
            "published_at": stamps,
            "created_at": stamps,
            "updated_at": stamps,
        },
    )
    version_rows = _columns(
        RecordVersion,
        {
            "id": ids,
            "record_id": ids,
            "number": 1,
            "key": (f"{key_prefix}{i:016x}" for i in ids),
            "created_by_id": authors,
            "created_at": stamps,
            "title": titles,
            "body": (f"Line {i}, remixed." for i in ids),
            "body_html": (f"<p>Line {i}, remixed.</p>" for i in ids),
            "mime": "text/markdown",
            "status": "ready",
            "processed_at": stamps,
        },
    )
    link_rows = _columns(
        SourceLink,
        {
            "id": range(1, len(graph.link_record) + 1),
            "record_id": graph.link_record.tolist(),
            "source_id": graph.link_source.tolist(),
            "source_version_id": graph.link_source.tolist(),  # version id == record id
            "usage": (USAGES[u] for u in graph.link_usage.tolist()),
            "position": graph.link_position.tolist(),
        },
    )
    lap("prepare_s")

    tables = {
        Record._meta.db_table: record_rows,
        RecordVersion._meta.db_table: version_rows,
        SourceLink._meta.db_table: link_rows,
    }
    connection.ensure_connection()
    if vendor == "sqlite":
        connection.connection.execute("PRAGMA foreign_keys=OFF")  # checked below, by joins
        connection.connection.execute("PRAGMA cache_size=-262144")  # 256 MB, while loading
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(
                    id=i,
                    username=f"member{i}",
                    email=f"member{i}@bench.invalid",
                    display_name=f"Member {i}",
                    password="!bench",  # noqa: S106 - an unusable password
                )
                for i in range(1, shape.members + 1)
            ],
            batch_size=500,
        )
        lap("members_s")
        connection.ensure_connection()
        raw = connection.connection
        if vendor == "postgresql":
            with raw.cursor() as cursor:
                # The foreign keys are deferred triggers: skip them while copying (the data is
                # consistent by construction and checked below).
                cursor.execute("SET LOCAL session_replication_role = replica")
        for table, (columns, rows) in tables.items():
            if vendor == "sqlite":
                raw.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our names
                    f"VALUES ({', '.join('?' * len(columns))})",
                    rows,
                )
            else:
                with (
                    raw.cursor() as cursor,
                    cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
            lap(f"{table}_s")
        with connection.cursor() as cursor:
            links, records = SourceLink._meta.db_table, Record._meta.db_table
            cursor.execute(
                f"UPDATE {records} SET remix_count = c.n FROM "  # noqa: S608
                f"(SELECT source_id, COUNT(*) AS n FROM {links} GROUP BY source_id) AS c "
                f"WHERE {records}.id = c.source_id"
            )
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [User, Record, RecordVersion, SourceLink]
            ):
                cursor.execute(sql)
        lap("remix_count_s")
    with transaction.atomic():
        # As the migration that added them does: the chains of the links just loaded.
        chains_rebuild()
    lap("chains_s")
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            connection.connection.execute("PRAGMA foreign_keys=ON")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("VACUUM ANALYZE")
    lap("analyze_s")
    _check_loaded(graph)
    lap("check_s")
    times["total_s"] = round(sum(v for k, v in times.items() if k != "check_s"), 1)
    connection.close()  # measure on a fresh connection with the application's settings
    return times


def _check_loaded(graph: Graph) -> None:
    """Every key points at a row, and the counters match the graph."""
    from django.db import connection

    from riffhouse.lineage.models import SourceLink
    from riffhouse.records.models import Record, RecordVersion

    links, records = SourceLink._meta.db_table, Record._meta.db_table
    versions = RecordVersion._meta.db_table
    shape = graph.shape
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {links} l "  # noqa: S608
            f"LEFT JOIN {records} r ON r.id = l.record_id "
            f"LEFT JOIN {records} s ON s.id = l.source_id "
            f"LEFT JOIN {versions} v ON v.id = l.source_version_id AND v.record_id = l.source_id "
            "WHERE r.id IS NULL OR s.id IS NULL OR v.id IS NULL"
        )
        dangling = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {records} r LEFT JOIN {versions} v ON v.id = r.live_version_id "  # noqa: S608
            "WHERE v.id IS NULL"
        )
        dangling += cursor.fetchone()[0]
        cursor.execute(
            f"SELECT id, remix_count FROM {records} WHERE id IN (%s, %s, %s)",  # noqa: S608
            [shape.star_id, shape.ten_id, shape.deepest],
        )
        counts = dict(cursor.fetchall())
        cursor.execute(f"SELECT COUNT(*) FROM {links}")  # noqa: S608
        total_links = cursor.fetchone()[0]
    if dangling:
        raise RuntimeError(f"{dangling} dangling keys after loading")
    if counts[shape.star_id] != shape.star or counts[shape.ten_id] != shape.ten:
        raise RuntimeError(f"remix counts wrong: {counts}")
    if total_links != len(graph.link_record):
        raise RuntimeError(f"{total_links} links loaded of {len(graph.link_record)}")


def _measure_database(graph: Graph, runs: int) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from riffhouse.lineage import selectors
    from riffhouse.lineage.templatetags.lineage import lineage_panel
    from riffhouse.records.models import Record

    shape = graph.shape
    anonymous = AnonymousUser()
    star = Record.objects.get(pk=shape.star_id)
    deepest = Record.objects.get(pk=shape.deepest)

    # What each read returns, for the comparison with networkx.
    reached = selectors.record_ancestors(record_id=shape.deepest)
    page = selectors.lineage_page(viewer=anonymous, record=star, direction="descendants", limit=50)
    credits = selectors.record_credits(record=deepest)
    check = {
        "ancestors": len(reached),
        "ancestors_depth_sum": sum(r.depth for r in reached),
        "page_ids": [node.record.pk for node in page.items],
        "credits": _credit_digest(
            (c.author.pk if c.author else None, c.closeness, c.works) for c in credits
        ),
    }

    out: dict[str, Any] = {"check": check}
    out["ancestors"] = measure(lambda: selectors.record_ancestors(record_id=shape.deepest), runs)
    out["descendants_page"] = measure(
        lambda: selectors.lineage_page(
            viewer=anonymous, record=star, direction="descendants", limit=50
        ),
        runs,
    )
    out["credits"] = measure(lambda: selectors.record_credits(record=deepest), runs)
    for name, call in {
        "ancestors": lambda: selectors.record_ancestors(record_id=shape.deepest),
        "descendants_page": lambda: selectors.lineage_page(
            viewer=anonymous, record=star, direction="descendants", limit=50
        ),
        "credits": lambda: selectors.record_credits(record=deepest),
    }.items():
        with CaptureQueriesContext(connection) as queries:
            call()
        out[name]["queries"] = len(queries)

    # The record page.
    client = Client()
    pages: dict[str, Any] = {}
    for label, record_id in (
        ("star", shape.star_id),
        ("ten", shape.ten_id),
        ("deepest", shape.deepest),
    ):
        url = f"/records/{record_id}/"
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code}")
        pages[label] = measure(lambda url=url: client.get(url), runs)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        pages[label]["queries"] = len(queries)
        pages[label]["sql"] = [q["sql"][:160] for q in queries.captured_queries]
        # The lineage panel's reads alone (credits, remixes, sources, requests), no rendering.
        request = RequestFactory().get(url)
        request.user = anonymous
        record = Record.objects.get(pk=record_id)
        pages[label]["panel_reads"] = measure(
            lambda request=request, record=record: lineage_panel({"request": request}, record),
            runs,
        )
    out["record_page"] = pages

    return out


def child_main(db: str, scale: float, runs: int, out_path: Path, *, reuse: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    graph_started = time.perf_counter()
    graph = make_graph(Shape.at(scale))
    generate_s = round(time.perf_counter() - graph_started, 1)
    print(f"  [{db}] graph generated in memory: {generate_s} s", flush=True)
    if reuse:
        loading: dict[str, float] = {"reused": 1}
        print(f"  [{db}] reusing the database loaded by an earlier run", flush=True)
    else:
        loading = _load(graph)
        loading["graph_s"] = generate_s
        print(f"  [{db}] loaded in {loading['total_s']} s", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    # As riffhouse/wsgi.py does in the web server once Django is loaded.
    gc.collect()
    gc.freeze()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    result = {"version": version, "load": loading, **_measure_database(graph, runs)}
    out_path.write_text(json.dumps(result, indent=2))


# --- The parent: a child per database, networkx, ratios, targets ----------------------------


def _pg_admin(sql: str) -> None:
    import psycopg

    url = os.environ.get("LINEAGE_PG_URL", PG_ADMIN_URL)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _pg_bench_url() -> str:
    parts = urlsplit(os.environ.get("LINEAGE_PG_URL", PG_ADMIN_URL))
    return urlunsplit(parts._replace(path=f"/{PG_BENCH_DB}"))


def _run_child(db: str, scale: float, runs: int, data_dir: Path, *, keep: bool) -> dict[str, Any]:
    """One database: created (or, with keep, reused when an earlier run left the same graph
    there), loaded and measured by a child process; dropped afterwards unless kept."""
    out_path = data_dir / f"{db}.json"
    marker = data_dir / f"{db}.loaded.json"
    loaded = json.dumps({"shape": asdict(Shape.at(scale)), "seed": SEED})
    reuse = keep and marker.exists() and marker.read_text() == loaded
    marker.unlink(missing_ok=True)
    if db == "sqlite":
        path = data_dir / "lineage.sqlite3"
        if not reuse:
            for leftover in data_dir.glob("lineage.sqlite3*"):
                leftover.unlink()
        url = f"sqlite:///{path}"
    elif db == "postgresql":
        if not reuse:
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            _pg_admin(f"CREATE DATABASE {PG_BENCH_DB}")
        url = _pg_bench_url()
    else:
        raise ValueError(f"unknown database {db!r}: sqlite or postgresql")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="riffhouse.settings",
        DATABASE_URL=url,
        RIFFHOUSE_DATA_DIR=str(data_dir),
        SECRET_KEY="bench-secret-key-for-the-lineage-benchmark-0123456789",  # noqa: S106
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        TASKS_BACKEND="immediate",
        PYTHONUNBUFFERED="1",
    )
    command = [sys.executable, "-m", "bench.lineage", "--child", db, "--scale", str(scale)]
    command += ["--runs", str(runs), "--out", str(out_path)] + (["--reuse"] if reuse else [])
    started = time.perf_counter()
    try:
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        if keep:
            marker.write_text(loaded)
    finally:
        if db == "postgresql" and not keep:
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    result = json.loads(out_path.read_text())
    result["child_s"] = round(time.perf_counter() - started, 1)
    return result


def _machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        "?",
    )
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_avg_at_start": os.getloadavg(),
    }


def bench_lineage(
    scale: float | None = None, dbs: list[str] | None = None, runs: int | None = None
) -> dict[str, Any]:
    scale = scale if scale is not None else float(os.environ.get("LINEAGE_SCALE", "1"))
    dbs = dbs or os.environ.get("LINEAGE_DBS", "sqlite,postgresql").split(",")
    runs = runs or int(os.environ.get("LINEAGE_RUNS", "50"))
    keep = os.environ.get("LINEAGE_KEEP") == "1"
    shape = Shape.at(scale)
    result: dict[str, Any] = {"machine": _machine(), "shape": asdict(shape), "runs": runs}
    with tempfile.TemporaryDirectory(prefix="riffhouse-lineage-") as tmp:
        data_dir = ROOT / "var" / "bench-lineage" if keep else Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        for db in dbs:
            print(f"lineage: {db}, {shape.records:,} records", flush=True)
            result[db] = _run_child(db.strip(), scale, runs, data_dir, keep=keep)
    print("lineage: networkx", flush=True)
    graph = make_graph(shape)
    result["links"] = len(graph.link_record)
    result["networkx"] = bench_networkx(graph, runs)
    del graph
    missed: list[str] = []
    nx_result = result["networkx"]
    for db in dbs:
        ours = result[db]
        for key in ("ancestors", "ancestors_depth_sum", "page_ids", "credits"):
            if ours["check"][key] != nx_result["check"][key]:
                raise RuntimeError(
                    f"{db} and networkx disagree on {key}: "
                    f"{ours['check'][key]} != {nx_result['check'][key]}"
                )
        ours["ancestors"]["ratio_bare_p50"] = round(
            ours["ancestors"]["p50_ms"] / nx_result["ancestors_bare"]["p50_ms"], 2
        )
        if ours["ancestors"]["ratio_bare_p50"] > TARGET_RATIO:
            missed.append(
                f"{db} ancestors {ours['ancestors']['ratio_bare_p50']}x bare networkx BFS "
                f"> {TARGET_RATIO}x"
            )
        for op in OPS:
            ours[op]["ratio_p50"] = round(ours[op]["p50_ms"] / nx_result[op]["p50_ms"], 2)
            ours[op]["ratio_p95"] = round(ours[op]["p95_ms"] / nx_result[op]["p95_ms"], 2)
            if ours[op]["p95_ms"] >= TARGET_READ_P95_MS:
                missed.append(f"{db} {op} p95 {ours[op]['p95_ms']} ms >= {TARGET_READ_P95_MS}")
            if ours[op]["ratio_p50"] > TARGET_RATIO:
                missed.append(f"{db} {op} {ours[op]['ratio_p50']}x networkx > {TARGET_RATIO}x")
        pages = ours["record_page"]
        if pages["star"]["p95_ms"] >= TARGET_PAGE_P95_MS:
            missed.append(f"{db} record page p95 {pages['star']['p95_ms']} ms")
        if pages["star"]["queries"] != pages["ten"]["queries"]:
            missed.append(
                f"{db} record page queries: star {pages['star']['queries']}, "
                f"ten {pages['ten']['queries']}"
            )
        ours.pop("check")
    nx_result.pop("check")
    result["missed"] = missed
    print(summary(result), flush=True)
    return result


def summary(result: dict[str, Any]) -> str:
    """The figures as the Markdown table docs/benchmarks.md shows."""
    lines = [
        "| read | database | p50 ms | p95 ms | networkx p50 ms | ratio (p50) | queries |",
        "|---|---|---|---|---|---|---|",
    ]
    nx_result = result["networkx"]
    for op in OPS:
        for db in ("sqlite", "postgresql"):
            if db not in result:
                continue
            r = result[db][op]
            lines.append(
                f"| {op} | {db} | {r['p50_ms']} | {r['p95_ms']} | {nx_result[op]['p50_ms']} "
                f"| {r['ratio_p50']} | {r['queries']} |"
            )
    for db in ("sqlite", "postgresql"):
        if db in result:
            r = result[db]["ancestors"]
            lines.append(
                f"| ancestors vs bare distances | {db} | {r['p50_ms']} | {r['p95_ms']} | "
                f"{nx_result['ancestors_bare']['p50_ms']} | {r['ratio_bare_p50']} | |"
            )
    for label in ("star", "ten", "deepest"):
        for db in ("sqlite", "postgresql"):
            if db not in result:
                continue
            r = result[db]["record_page"][label]
            lines.append(
                f"| record page ({label}) | {db} | {r['p50_ms']} | {r['p95_ms']} | | "
                f"| {r['queries']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--runs", type=int)
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.scale, args.runs, args.out, reuse=args.reuse)
        return
    result = bench_lineage(args.scale, args.db, args.runs)
    print(json.dumps(result, indent=2))
    if result["missed"]:
        sys.exit("targets missed: " + "; ".join(result["missed"]))


if __name__ == "__main__":
    main()
