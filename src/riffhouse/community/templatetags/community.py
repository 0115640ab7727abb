"""Template helpers for community pages: `{% load community %}`."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """ "just now", "5 minutes ago", "3 days ago": one unit, as people say it."""
    if value is None:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return "just now"
    return f"{timesince(value, depth=1)} ago"


@register.filter
def get_item(mapping: dict[object, object] | None, key: object) -> object:
    """`{{ previews|get_item:n.pk }}`: a dict's value by a key from the template (None if
    absent)."""
    return (mapping or {}).get(key)
