"""Production settings: secure by default, and loud about what they need."""

import json
import subprocess
import sys

import pytest

from riffhouse.core.testing import run_python


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


PRODUCTION = {
    "RIFFHOUSE_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-value",
    "ALLOWED_HOSTS": "riffhouse.example",
    "EMAIL_URL": "smtp+tls://mailer:pw@mail.example",
}


@pytest.mark.parametrize("email_url", [None, "", "console:", "memory:"])
def test_production_refuses_an_email_backend_that_delivers_nothing(
    tmp_path, email_url: str | None
) -> None:
    # Issue 9: with EMAIL_URL unset, production printed password-reset links to its log.
    env = {**PRODUCTION, "RIFFHOUSE_DATA_DIR": str(tmp_path)}
    if email_url is None:
        del env["EMAIL_URL"]
    else:
        env["EMAIL_URL"] = email_url
    # Not only `check --deploy` (Django's mail.E001): any start-up, e.g. the web server's.
    result = run(["check"], env)
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_deployment_check_makes_a_missing_data_directory_private(tmp_path) -> None:
    # Issue 9: `check --deploy` crashed with a traceback when the data directory was missing.
    data = tmp_path / "srv" / "riffhouse"
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION, "RIFFHOUSE_DATA_DIR": str(data)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert data.stat().st_mode & 0o777 == 0o700


def test_a_data_directory_that_cannot_be_made_is_named_without_a_traceback(tmp_path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    data = tmp_path / "a-file" / "riffhouse"
    result = run(["check", "--deploy"], {**PRODUCTION, "RIFFHOUSE_DATA_DIR": str(data)})
    assert result.returncode != 0
    assert str(data) in result.stderr and "RIFFHOUSE_DATA_DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sqlite_files_are_private(tmp_path) -> None:
    # Issue 9: the database file was created mode 0644 (its -wal and -shm files follow it).
    data = tmp_path / "data"
    code = (
        "import json\n"
        "from django.conf import settings\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('CREATE TABLE t (x)')\n"
        "    cursor.execute('INSERT INTO t VALUES (1)')\n"
        "    cursor.execute('SELECT x FROM t')\n"
        "    modes = {p.name: p.stat().st_mode & 0o777 for p in settings.DATA_DIR.iterdir()}\n"
        "print(json.dumps(modes))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "riffhouse.settings",
        "RIFFHOUSE_DATA_DIR": str(data),
    }
    modes = json.loads(run_python(code, env))
    assert modes == {
        "secret_key": 0o600,
        "riffhouse.sqlite3": 0o600,
        "riffhouse.sqlite3-wal": 0o600,
        "riffhouse.sqlite3-shm": 0o600,
    }
    assert data.stat().st_mode & 0o777 == 0o700
