"""Limits kept in the cache (Redis when REDIS_URL is set, local memory otherwise), so every
web process shares them.

Log-in: failures are counted per account and per client address. The account is the one the
typed name resolves to (username or email, in any case), so every spelling of it shares one
count and one lock; a name that matches no account is counted as typed (ignoring case and
surrounding spaces). Reaching the limit locks further attempts for that account, name or
address until the lock expires, whether or not an account exists, so the lock itself reveals
nothing.

Email: the messages someone can make us send to an address they type (sign-up
confirmations, "already registered" notices, password resets) are counted per recipient
address and per client address; over either limit nothing more is sent until the window
passes. The caller answers exactly as if it had sent, so the limit reveals nothing either.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def login_subject(*, login: str, account_id: int | None) -> str:
    """What log-in failures are counted against: the account when the name resolves to one,
    else the typed name."""
    return f"a:{account_id}" if account_id is not None else f"u:{_digest(login)}"


def _keys(subject: str, ip: str) -> tuple[tuple[str, str, int], ...]:
    return (
        (
            f"login:fail:{subject}",
            f"login:lock:{subject}",
            settings.LOGIN_FAILURE_LIMIT,
        ),
        (
            f"login:fail:ip:{_digest(ip)}",
            f"login:lock:ip:{_digest(ip)}",
            settings.LOGIN_FAILURE_LIMIT_PER_IP,
        ),
    )


def _count(key: str, window: int) -> int:
    """Add one to a counter that lives `window` seconds from its first count."""
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def lockout_remaining(*, subject: str, ip: str) -> int:
    """Seconds until log-in attempts for this subject or address are accepted again (0: now)."""
    now = time.time()
    remaining = 0.0
    for _, lock_key, _ in _keys(subject, ip):
        until = cache.get(lock_key)
        if until:
            remaining = max(remaining, float(until) - now)
    return max(0, int(remaining + 0.999))


def record_failure(*, subject: str, ip: str) -> bool:
    """Count a failed attempt. Returns True when this failure started a lockout."""
    window = settings.LOGIN_LOCKOUT_SECONDS
    locked = False
    for fail_key, lock_key, limit in _keys(subject, ip):
        failures = _count(fail_key, window)
        if failures >= limit and not cache.get(lock_key):
            cache.set(lock_key, time.time() + window, timeout=window)
            cache.delete(fail_key)
            locked = True
    return locked


def record_success(*, subject: str, ip: str) -> None:
    fail_key = _keys(subject, ip)[0][0]
    cache.delete(fail_key)


def lockout_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"Too many failed log-in attempts. Try again in {minutes} {unit}, or reset your password."
    )


def email_allowed(*, to: str, ip: str) -> bool:
    """Count one email to `to` asked for from `ip`; False when either is over its limit
    for the current window (then send nothing)."""
    window = settings.ACCOUNT_EMAIL_LIMIT_SECONDS
    per_address = _count(f"email:to:{_digest(to)}", window)
    per_client = _count(f"email:ip:{_digest(ip)}", window)
    return (
        per_address <= settings.ACCOUNT_EMAIL_LIMIT_PER_ADDRESS
        and per_client <= settings.ACCOUNT_EMAIL_LIMIT_PER_IP
    )
