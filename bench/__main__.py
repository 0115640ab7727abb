"""`make bench`: Riffhouse's benchmarks. Each prints its figures; docs/benchmarks.md records
them with the machine and the command.

serve_restart — `make run` on a fresh data directory (migrate, collect static files, demo
content) and then again on the same one: seconds from the command to the first healthy
answer of /healthz. The target for the second run is under 10 s.
upload — a 1 GB video through `POST /api/v1/records`: growth of the web process's peak
memory (target < 100 MB).
image_renditions / video_rendition — Riffhouse's renditions against a bare Pillow loop and a
bare PyAV transcode with the same settings (targets 1.3x and 1.15x).
lineage — ancestors, a descendants page, credits and the record page on a generated graph of
1,000,000 records, on SQLite and PostgreSQL, against networkx (targets: p95 < 100 ms and
within 5x of networkx; the record page < 50 ms with a bounded number of queries). Scale and
databases: LINEAGE_SCALE=0.1, LINEAGE_DBS=sqlite (see bench/lineage.py).
productions — a production of 200 segments whose lineages hold 10,000 distinct contributors,
on SQLite and PostgreSQL: the fairness report (p95 < 300 ms), the release job (< 10 s), the
released production's public page (p95 < 100 ms, at most 15 queries) and the curation board
of a need with 5,000 submissions (p95 < 100 ms, bounded queries). PRODUCTIONS_SCALE,
PRODUCTIONS_DBS, PRODUCTIONS_RUNS, PRODUCTIONS_PAGE_RUNS (see bench/productions.py).
community — the home feed (p95 < 50 ms), search (p95 < 100 ms), trending (p95 < 50 ms, after
its job) and a heart (p95 < 20 ms) on 100,000 members, 1,000,000 records, 10,000,000 hearts
and 1,000,000 follows, on SQLite and PostgreSQL; the data is generated once and kept.
COMMUNITY_SCALE, COMMUNITY_DBS, COMMUNITY_RUNS, COMMUNITY_ONLY (see bench/community.py;
`python -m bench.community --scale 0.01 --only heart` for a quick run).
pages — the real server (`riffhouse serve` on the demo content) against a one-view Django app
on the same gunicorn command line, with wrk at 8 connections: req/s, p50, p99 and the ratio
to that floor for each public page and API read logged out and the main pages logged in, with
their queries, on SQLite and PostgreSQL (targets: ≥ 0.5 of the floor logged out, ≥ 0.15
logged in, p99 < 50 ms). PAGES_DBS, PAGES_ROUNDS, PAGES_DURATION, PAGES_REDIS_URL (see
bench/pages.py; `python -m bench.pages --db sqlite --rounds 1 --duration 1` for a quick run).

`python -m bench NAME ...` runs only the named ones.
"""

import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def time_make_run(data_dir: Path, port: int) -> float:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(RIFFHOUSE_DATA_DIR=str(data_dir), PORT=str(port), HOST="127.0.0.1")
    started = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "-s", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = started + 300
        while not healthy(port):
            if proc.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError("make run did not become healthy")
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)


def serve_restart(rounds: int = 3) -> dict[str, object]:
    first, second = [], []
    for i in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            first.append(time_make_run(Path(tmp), 8190 + i))
            second.append(time_make_run(Path(tmp), 8190 + i))
    return {
        "first_run_s": [round(x, 2) for x in first],
        "second_run_s": [round(x, 2) for x in second],
        "second_run_max_s": round(max(second), 2),
        "target_s": 10,
    }


def main() -> None:
    machine = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    from bench.community import bench_community
    from bench.lineage import bench_lineage
    from bench.media import bench_image_renditions, bench_video_rendition
    from bench.pages import bench_pages
    from bench.productions import bench_productions
    from bench.upload import bench_upload

    benches = {
        "serve_restart": serve_restart,
        "upload": bench_upload,
        "image_renditions": bench_image_renditions,
        "video_rendition": bench_video_rendition,
        "lineage": bench_lineage,
        "productions": bench_productions,
        "community": bench_community,
        "pages": bench_pages,
    }
    chosen = sys.argv[1:] or list(benches)
    results: dict[str, object] = {"machine": machine}
    for name in chosen:
        results[name] = benches[name]()
        print(name, json.dumps(results[name]), flush=True)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    missed = []
    for name, result in results.items():
        if name == "machine" or not isinstance(result, dict):
            continue
        if name == "serve_restart" and result["second_run_max_s"] >= result["target_s"]:
            missed.append(name)
        if name == "upload" and result["peak_growth_mb"] >= result["target_mb"]:
            missed.append(name)
        if "ratio" in result and result["ratio"] > result["target"]:
            missed.append(name)
        if name in {"lineage", "productions", "community", "pages"} and result["missed"]:
            missed.append(name)
    if missed:
        sys.exit(f"targets missed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
