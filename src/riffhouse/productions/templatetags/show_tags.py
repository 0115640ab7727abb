"""Filters of the released production's pages: runtimes in milliseconds, shares in
millionths."""

from django import template

register = template.Library()


@register.filter
def ms_duration(ms: object) -> str:
    """Milliseconds as a player shows them: "3:05", "1:02:09"; empty when unknown."""
    try:
        total = (int(ms) + 500) // 1000  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(total, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def ms_seconds(ms: object) -> str:
    """Milliseconds as seconds for a media fragment (`#t=1.5,9`)."""
    try:
        return f"{int(ms) / 1000:g}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "0"


@register.filter
def ppm_percent(ppm: object) -> str:
    """A share in millionths as a percentage: "12.5%", "<0.1%"."""
    try:
        value = int(ppm) / 10_000  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    if 0 < value < 0.1:
        return "<0.1%"
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"
