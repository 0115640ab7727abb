"""Temporary files left by killed processes are swept; nothing else is (core/tempfiles.py).
Each test has a temp folder of its own, in this process and in the processes it starts."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from riffhouse.core.tempfiles import temp_directory, tempfiles_sweep

# Holds a processing folder (as a worker does mid-job) until it is killed.
HOLDER = """
import signal, sys
from riffhouse.core.tempfiles import temp_directory
with temp_directory("process") as path:
    (path / "video.mp4").write_bytes(b"x" * 100_000)
    print(path, flush=True)
    signal.pause()
"""


@pytest.fixture
def temp_root(tmp_path, settings, monkeypatch) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    settings.FILE_UPLOAD_TEMP_DIR = None
    return root


def hold(root: Path) -> tuple[subprocess.Popen[str], Path]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        env={**os.environ, "TMPDIR": str(root)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_sweep_removes_only_our_files_whose_owner_died_and_that_are_old_enough(
    temp_root,
) -> None:
    dead, left = hold(temp_root)
    kill(dead)
    live, held = hold(temp_root)
    young_dead, young = hold(temp_root)
    kill(young_dead)
    other = temp_root / "riffhouse-test-media-abc"  # not our prefix: another program's
    other.mkdir()
    django_style = temp_root / "tmpk2j3.upload.wav"
    django_style.write_bytes(b"x")
    for path in [left, held, other, django_style]:
        age(path, 3600)
    try:
        assert left.name.startswith("riffhouse-tmp-process-") and (left / "video.mp4").exists()

        assert tempfiles_sweep(min_age_seconds=600) == (1, 100_000)
        assert not left.exists()
        assert held.exists() and young.exists() and other.exists() and django_style.exists()
    finally:
        kill(live)
    assert tempfiles_sweep(min_age_seconds=600) == (1, 100_000)
    assert not held.exists() and young.exists()
    call_command("tempfiles_sweep", min_age=0, verbosity=0)
    assert not young.exists()
    assert sorted(p.name for p in temp_root.iterdir()) == sorted([other.name, django_style.name])


def test_a_temporary_folder_is_removed_when_its_block_fails(temp_root) -> None:
    made = []

    def process() -> None:
        with temp_directory("process") as path:
            made.append(path)
            (path / "half-written").write_bytes(b"x")
            raise RuntimeError("processing failed")

    with pytest.raises(RuntimeError):
        process()
    assert made and not made[0].exists()
    assert list(temp_root.iterdir()) == []


def test_a_sweep_waits_for_the_holder_even_past_the_age(temp_root) -> None:
    with temp_directory("upload") as path:
        age(path, 3600)
        assert tempfiles_sweep(min_age_seconds=0) == (0, 0)
        assert path.exists()
    assert not path.exists()
