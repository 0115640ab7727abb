"""`ago`: how long ago something happened, as people say it. A built-in filter (see
TEMPLATES in settings), so every template writes `{{ when|ago }}` without a `{% load %}` and
every relative time on the site reads the same way."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()

JUST_NOW = timedelta(minutes=1)


@register.filter
def ago(value: datetime | None) -> str:
    """ "just now" under a minute (and for a time a little in the future, from clock skew),
    else one unit: "5 minutes ago", "3 days ago", "1 year ago"."""
    if value is None:
        return ""
    if timezone.now() - value < JUST_NOW:
        return "just now"
    return f"{timesince(value, depth=1)} ago"
