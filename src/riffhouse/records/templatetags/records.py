"""Template filters for record pages and cards."""

from django import template

register = template.Library()


@register.filter
def duration(seconds: object) -> str:
    """Seconds as a player shows them: "3:05", "1:02:09"; empty when unknown."""
    try:
        total = round(float(seconds))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(total, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
