"""Template helpers for community pages: `{% load community %}`."""

from django import template

from riffhouse.core.templatetags.relative_time import ago

register = template.Library()

# The site's one relative time (a built-in filter everywhere; kept here for the templates
# that load this library by name).
register.filter("ago", ago)
