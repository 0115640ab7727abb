"""Production settings: secure by default, and loud about what they need."""

import subprocess
import sys

import pytest


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "riffhouse.settings"}
    return subprocess.run(
        [sys.executable, "-m", "riffhouse", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deployment_check(tmp_path) -> None:
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "RIFFHOUSE_ENV": "production",
            "RIFFHOUSE_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-value",
            "ALLOWED_HOSTS": "riffhouse.example",
            "EMAIL_URL": "smtp+tls://mailer:pw@mail.example",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "SECRET_KEY must be set"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set")],
)
def test_production_refuses_to_start_without(tmp_path, missing: str, message: str) -> None:
    env = {
        "RIFFHOUSE_ENV": "production",
        "RIFFHOUSE_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "riffhouse.example",
    }
    del env[missing]
    result = run(["check"], env)
    assert result.returncode != 0
    assert message in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_local_runs_keep_one_generated_secret_key(tmp_path) -> None:
    env = {"RIFFHOUSE_DATA_DIR": str(tmp_path)}
    script = [
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG)",
    ]
    first, second = run(script, env), run(script, env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    key, debug = first.stdout.split()[-2:]
    assert len(key) > 50 and debug == "False"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
