"""What every page's template may show of community data: the unread notifications badge."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from riffhouse.community import selectors


def notifications(request: HttpRequest) -> dict[str, object]:
    """`unread_notifications`: how many of the member's notifications are unread (0 when
    logged out). Counted when a template first uses it, at most once per response, so
    fragments and pages without the navigation pay nothing — not even the session lookup."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return selectors.notification_unread_count(user=user)

    return {"unread_notifications": SimpleLazyObject(count)}
