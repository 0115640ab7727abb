"""The front door: `scripts/find-python` picks a Python >= 3.12 or says how to get one."""

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[4] / "scripts" / "find-python"


def fake_python(folder: Path, name: str, version: tuple[int, int]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ok = version >= (3, 12)
    path = folder / name
    path.write_text(f"#!/bin/sh\nexit {0 if ok else 1}\n")
    path.chmod(0o755)


def find(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run(
        ["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )


def test_without_a_new_enough_python_it_says_how_to_get_one(tmp_path: Path) -> None:
    fake_python(tmp_path / "bin", "python3", (3, 11))
    if any(
        Path(p).exists()
        for p in ("/usr/bin/python3.12", "/usr/bin/python3.13", "/usr/bin/python3.14")
    ):
        pytest.skip("this machine has a system Python >= 3.12 in /usr/bin")
    result = find(tmp_path)
    if result.returncode == 0 and result.stdout.startswith("/usr/bin/"):
        pytest.skip("this machine's /usr/bin/python3 is already >= 3.12")
    assert result.returncode == 1
    assert "Riffhouse needs Python 3.12 or newer" in result.stderr
    assert "RIFFHOUSE_PYTHON=" in result.stderr


def test_it_prefers_the_newest_python_on_path(tmp_path: Path) -> None:
    fake_python(tmp_path / "bin", "python3.12", (3, 12))
    fake_python(tmp_path / "bin", "python3.13", (3, 13))
    result = find(tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == str(tmp_path / "bin" / "python3.13")


def test_it_finds_pyenv_versions_that_are_not_on_path(tmp_path: Path) -> None:
    fake_python(tmp_path / ".pyenv" / "versions" / "3.12.9" / "bin", "python3", (3, 12))
    fake_python(tmp_path / "bin", "python3", (3, 11))
    result = find(tmp_path)
    if result.stdout.startswith("/usr/bin/"):
        pytest.skip("this machine's /usr/bin/python3 is already >= 3.12")
    assert result.stdout.strip() == str(tmp_path / ".pyenv/versions/3.12.9/bin/python3")
