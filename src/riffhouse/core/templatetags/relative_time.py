"""`ago`: how long ago something happened, as people say it. A built-in filter (see
TEMPLATES in settings), so every template writes `{{ when|ago }}` without a `{% load %}` and
every relative time on the site reads the same way.

Markup kept for later (a member's home feed, decision 0043) is rendered `with times_marked()`:
`ago` then writes a mark holding the time, and `times_filled` puts in the words as of the
moment the markup is shown."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()

JUST_NOW = timedelta(minutes=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_TIME_MARK = re.compile(r"\x00rh:ago:(-?\d+)\x00")
_TIME_MARK_BYTES = re.compile(rb"\x00rh:ago:(-?\d+)\x00")
# How a mark starts, to tell whether a page's bytes hold any.
TIME_MARK = b"\x00rh:ago:"
_marking: ContextVar[bool] = ContextVar("ago_marking", default=False)


@contextmanager
def times_marked() -> Iterator[None]:
    """Within it, `ago` writes a mark for its time instead of words (see the module)."""
    token = _marking.set(True)
    try:
        yield
    finally:
        _marking.reset(token)


def times_filled[T: (str, bytes)](markup: T) -> T:
    """`markup` (text, or a page's bytes) with each mark `ago` wrote under `times_marked`
    replaced by its words now."""
    if isinstance(markup, bytes):
        return _TIME_MARK_BYTES.sub(lambda mark: _words(mark[1]).encode(), markup)
    return _TIME_MARK.sub(lambda mark: _words(mark[1]), markup)


def _words(mark: str | bytes) -> str:
    return ago(EPOCH + int(mark) * _MICROSECOND)


@register.filter
def ago(value: datetime | None) -> str:
    """ "just now" under a minute (and for a time a little in the future, from clock skew),
    else one unit: "5 minutes ago", "3 days ago", "1 year ago"."""
    if value is None:
        return ""
    if _marking.get():
        return f"\x00rh:ago:{(value - EPOCH) // _MICROSECOND}\x00"
    now = timezone.now()
    if now - value < JUST_NOW:
        return "just now"
    return f"{timesince(value, now=now, depth=1)} ago"
