"""Log-in throttling, kept in the cache (Redis when REDIS_URL is set, local memory otherwise).

Failures are counted per submitted login name and per client address. Reaching the limit
locks further attempts for that name (or address) until the lock expires, whether or not an
account by that name exists, so the lock itself reveals nothing.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _keys(login: str, ip: str) -> tuple[tuple[str, str, int], ...]:
    return (
        (
            f"login:fail:u:{_digest(login)}",
            f"login:lock:u:{_digest(login)}",
            settings.LOGIN_FAILURE_LIMIT,
        ),
        (
            f"login:fail:ip:{_digest(ip)}",
            f"login:lock:ip:{_digest(ip)}",
            settings.LOGIN_FAILURE_LIMIT_PER_IP,
        ),
    )


def lockout_remaining(*, login: str, ip: str) -> int:
    """Seconds until log-in attempts for this name or address are accepted again (0: now)."""
    now = time.time()
    remaining = 0.0
    for _, lock_key, _ in _keys(login, ip):
        until = cache.get(lock_key)
        if until:
            remaining = max(remaining, float(until) - now)
    return max(0, int(remaining + 0.999))


def record_failure(*, login: str, ip: str) -> bool:
    """Count a failed attempt. Returns True when this failure started a lockout."""
    window = settings.LOGIN_LOCKOUT_SECONDS
    locked = False
    for fail_key, lock_key, limit in _keys(login, ip):
        cache.add(fail_key, 0, timeout=window)
        try:
            failures = cache.incr(fail_key)
        except ValueError:  # expired between add and incr
            cache.set(fail_key, 1, timeout=window)
            failures = 1
        if failures >= limit and not cache.get(lock_key):
            cache.set(lock_key, time.time() + window, timeout=window)
            cache.delete(fail_key)
            locked = True
    return locked


def record_success(*, login: str, ip: str) -> None:
    fail_key = _keys(login, ip)[0][0]
    cache.delete(fail_key)


def lockout_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"Too many failed log-in attempts. Try again in {minutes} {unit}, or reset your password."
    )
