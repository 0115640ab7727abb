"""Template helpers for productions: whether a deadline is close, a cover's address."""

from datetime import datetime

from django import template

from riffhouse.productions import browse, covers
from riffhouse.productions.models import Production

register = template.Library()


@register.filter
def closing_soon(deadline: datetime | None) -> bool:
    """Whether a deadline is ahead but less than three days away."""
    return browse.closing_soon(deadline=deadline)


@register.filter
def cover_url(production: Production) -> str:
    """The address of a production's processed cover ("" without one)."""
    return covers.cover_url(production=production)
