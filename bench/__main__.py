"""`make bench`: Riffhouse's benchmarks. Each prints its figures; docs/benchmarks.md records
them with the machine and the command.

serve_restart — `make run` on a fresh data directory (migrate, collect static files, demo
content) and then again on the same one: seconds from the command to the first healthy
answer of /healthz. The target for the second run is under 10 s.
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
    results = {"machine": machine, "serve_restart": serve_restart()}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    if results["serve_restart"]["second_run_max_s"] >= 10:  # type: ignore[index]
        sys.exit("serve_restart: a second `make run` took 10 s or more")


if __name__ == "__main__":
    main()
