"""With REDIS_URL set, the log-in lock is shared by every process (web servers on many
machines), not kept in one process's memory."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from riffhouse.accounts import throttling

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="runs when REDIS_URL is set (CI's PostgreSQL pass)"
)


def test_a_lock_made_here_holds_in_another_process() -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        throttling.record_failure(login="orion", ip="203.0.113.9")
    script = (
        "import django; django.setup();"
        "from riffhouse.accounts import throttling;"
        "print(throttling.lockout_remaining(login='Orion', ip='198.51.100.1'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "riffhouse.test_settings"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert int(out.stdout.strip().splitlines()[-1]) > 0
