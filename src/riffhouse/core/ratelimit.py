"""Per-member rate limits on what members make (comments, uploads, reports, follows, remix
requests), counted in the cache: Redis when REDIS_URL is set, so every web process shares
one count; local memory otherwise (decision 0030).

A limit is `(count, seconds)`: at most `count` actions in a fixed window of `seconds` that
starts with the first action. New accounts (younger than `RATE_LIMIT_NEW_ACCOUNT_DAYS`)
get the stricter `RATE_LIMITS_NEW` figures. Over the limit, `rate_limit_hit` raises
`RateLimited`, an ApplicationError with status 429, code `rate_limited`, a sentence saying
when to try again and a `Retry-After` header (the API and pages pass headers on).
"""

import math
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from riffhouse.core.errors import ApplicationError

# What each action is called in the refusal ("Too many comments ...").
ACTION_NAMES: dict[str, str] = {
    "comment": "comments",
    "upload": "uploads",
    "report": "reports",
    "follow": "follows",
    "remix_request": "remix requests",
    "heart": "hearts",
}


class RateLimited(ApplicationError):
    status = 429

    def __init__(self, *, action: str, retry_after: int) -> None:
        wait = _wait_words(retry_after)
        what = ACTION_NAMES.get(action, "requests")
        super().__init__(
            f"Too many {what} in a short time. Try again in {wait}.",
            code="rate_limited",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


def _wait_words(seconds: int) -> str:
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def limit_for(*, action: str, joined_at: object | None) -> tuple[int, int]:
    """The `(count, seconds)` limit for `action`, stricter for an account that joined less
    than `RATE_LIMIT_NEW_ACCOUNT_DAYS` ago."""
    limits: dict[str, tuple[int, int]] = settings.RATE_LIMITS
    new_limits: dict[str, tuple[int, int]] = settings.RATE_LIMITS_NEW
    young = timezone.now() - timedelta(days=settings.RATE_LIMIT_NEW_ACCOUNT_DAYS)
    if joined_at is not None and joined_at > young and action in new_limits:  # type: ignore[operator]
        return new_limits[action]
    return limits[action]


def rate_limit_hit(*, action: str, user_id: int, joined_at: object | None = None) -> None:
    """Count one `action` by member `user_id`; raise `RateLimited` (nothing counted then)
    when the member already reached the limit in the current window. Call it in the service
    before the write, so a refused action leaves nothing half-saved."""
    count, seconds = limit_for(action=action, joined_at=joined_at)
    key = f"ratelimit:{action}:{user_id}"
    now = time.time()
    # The window's start is stored with the count, so Retry-After is exact.
    if cache.add(f"{key}:start", now, timeout=seconds):
        cache.set(f"{key}:n", 0, timeout=seconds)
    start = float(cache.get(f"{key}:start") or now)
    try:
        used = int(cache.incr(f"{key}:n"))
    except ValueError:  # the count expired between the two calls: a new window
        cache.set(f"{key}:start", now, timeout=seconds)
        cache.set(f"{key}:n", 1, timeout=seconds)
        used, start = 1, now
    if used > count:
        cache.decr(f"{key}:n")
        raise RateLimited(action=action, retry_after=max(1, math.ceil(start + seconds - now)))


def rate_limit_reset(*, action: str, user_id: int) -> None:
    """Forget a member's count (tests, and moderators lifting a limit)."""
    cache.delete_many([f"ratelimit:{action}:{user_id}:start", f"ratelimit:{action}:{user_id}:n"])
