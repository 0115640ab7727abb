"""What every page's template may show of community data: the unread notifications badge."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from riffhouse.community import selectors
from riffhouse.core.sessions import session_read


def notifications(request: HttpRequest) -> dict[str, object]:
    """`unread_notifications`: how many of the member's notifications are unread (0 when
    logged out). Worked out when a template first uses it, at most once per response, so
    fragments and pages without the navigation pay nothing — not even the session lookup.
    A page that only shows it (a GET) takes the count its session's statement read
    (decision 0044); one that may have written, say marked read, counts afresh."""

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(request))}


def unread_count(request: HttpRequest) -> int:
    """How many of the request's member's notifications are unread (0 logged out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if request.method in ("GET", "HEAD"):
        read = session_read(request, name=selectors.UNREAD_WITH_SESSION)
        if read is not None:
            return int(read[0])
    return selectors.notification_unread_count(user=user)
