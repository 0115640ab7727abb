"""Reads of community data. A member only ever reads their own notifications."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from riffhouse.accounts.models import User
from riffhouse.community.models import Notification, NotificationVerb
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage import selectors as lineage_selectors

NOTIFICATIONS_PER_PAGE = 20
NOTIFICATIONS_MAX_PER_PAGE = 100


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    next_cursor: str | None


def _encode_cursor(notification: Notification) -> str:
    raw = f"{notification.created_at.isoformat()}|{notification.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None:  # cursors carry aware times; this one was made up
            raise ValueError(stamp)
        number = int(pk)
        if not 0 < number < 2**63:  # outside any database's id range
            raise ValueError(pk)
        return when, number
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


def _for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk)


def notification_list(
    *,
    user: User,
    cursor: str | None = None,
    limit: int = NOTIFICATIONS_PER_PAGE,
    unread_only: bool = False,
) -> NotificationPage:
    """`user`'s notifications, newest first, with everything a page or the API shows of them
    (actor, remix, source, request) in one query. Pages follow a cursor on (created_at, id),
    so a page never repeats or skips when new notifications arrive. A malformed cursor is an
    ApplicationError (400)."""
    limit = max(1, min(limit, NOTIFICATIONS_MAX_PER_PAGE))
    notifications = _for(user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    if cursor:
        stamp, pk = _decode_cursor(cursor)
        notifications = notifications.filter(
            Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk)
        )
    items = list(
        notifications.select_related(
            "actor", "record", "source", "remix_request__remix__live_version"
        ).order_by("-created_at", "-pk")[: limit + 1]
    )
    next_cursor = _encode_cursor(items[limit - 1]) if len(items) > limit else None
    return NotificationPage(items=items[:limit], next_cursor=next_cursor)


def notification_request_previews(
    *, notifications: list[Notification]
) -> dict[int, lineage_selectors.RequestPreview]:
    """For the remix requests still waiting on the reader: what the remix looks like
    (picture, excerpt or player) and what it used, by notification id — so the source's
    author decides with the remix in view. Two queries however many (none without any)."""
    asking = {
        n.pk: n.remix_request
        for n in notifications
        if n.verb == NotificationVerb.REMIX_REQUESTED
        and n.remix_request is not None
        and n.remix_request.owner_id == n.recipient_id
    }
    previews = lineage_selectors.remix_request_previews(
        requests=[r for r in asking.values() if r is not None]
    )
    return {pk: previews[r.pk] for pk, r in asking.items() if r is not None and r.pk in previews}


def notification_unread_count(*, user: User) -> int:
    """How many of `user`'s notifications are unread: one COUNT over the partial index."""
    return _for(user).filter(read_at__isnull=True).count()
