"""Template helpers for community pages: `{% load community %}`."""

from django import template

from riffhouse.core.templatetags.relative_time import ago

register = template.Library()

# The site's one relative time (a built-in filter everywhere; kept here for the templates
# that load this library by name).
register.filter("ago", ago)


@register.filter
def get_item(mapping: dict[object, object] | None, key: object) -> object:
    """`{{ previews|get_item:n.pk }}`: a dict's value by a key from the template (None if
    absent)."""
    return (mapping or {}).get(key)
