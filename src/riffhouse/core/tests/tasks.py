"""Tasks used only by the worker tests: one leaves a mark for every run, so a test can prove
that no job ran twice, and does a little real work so that several workers overlap; one
holds its first worker busy until the test kills it."""

import io
import os
import signal
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
