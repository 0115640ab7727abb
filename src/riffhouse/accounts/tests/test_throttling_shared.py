"""With REDIS_URL set, the log-in lock is shared by every process (web servers on many
machines), not kept in one process's memory."""

import os

import pytest
from django.conf import settings

from riffhouse.accounts import throttling
from riffhouse.core.testing import run_python

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="runs when REDIS_URL is set (CI's PostgreSQL pass)"
)


def test_a_lock_made_here_holds_in_another_process() -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        throttling.record_failure(subject="a:42", ip="203.0.113.9")
    remaining = run_python(
        "from riffhouse.accounts import throttling\n"
        "print(throttling.lockout_remaining(subject='a:42', ip='198.51.100.1'))",
        {**os.environ, "DJANGO_SETTINGS_MODULE": "riffhouse.test_settings"},
    )
    assert int(remaining) > 0
