"""Tasks used only by the worker tests: one leaves a mark for every run, so a test can prove
that no job ran twice, and does a little real work so that several workers overlap; one
holds its first worker busy until the test kills it; one holds its worker until the test lets
it go."""

import io
import os
import signal
import time
from pathlib import Path

from django.tasks import task
from PIL import Image, ImageFilter


@task(queue_name="media")
def mark_run_task(*, marker_dir: str, job: int) -> str:
    image = Image.linear_gradient("L").resize((384, 384)).filter(ImageFilter.GaussianBlur(3))
    image.save(io.BytesIO(), format="PNG")
    # O_APPEND: each run adds one line, however many processes write at once.
    fd = os.open(Path(marker_dir) / f"{job}.runs", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
    finally:
        os.close(fd)
    return f"job {job}"


@task(queue_name="default")
def block_once_task(*, marker_dir: str) -> str:
    """The first run writes its worker's pid to `first-run` and then waits for a signal (the
    test kills that worker); any later run finishes at once."""
    try:
        fd = os.open(Path(marker_dir) / "first-run", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return f"finished by {os.getpid()}"
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    signal.pause()
    return "interrupted"


PERIODIC_RUNS: list[str] = []


@task(queue_name="default")
def periodic_probe_task() -> int:
    """Counts its runs in this process (the periodic tests use the immediate backend)."""
    PERIODIC_RUNS.append("ran")
    return len(PERIODIC_RUNS)


@task(queue_name="default")
def hold_until_released_task(*, marker_dir: str) -> str:
    """Writes `started`, then holds its worker until the test writes `released` (at most a
    minute), so the test can change the job's row while the job runs."""
    marks = Path(marker_dir)
    (marks / "started").write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while not (marks / "released").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return "released"
