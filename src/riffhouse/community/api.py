"""Notifications endpoints: a member's own notifications, and marking them read."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session
from riffhouse.accounts.models import User
from riffhouse.community import selectors, services
from riffhouse.community.models import Notification
from riffhouse.community.schemas import (
    NotificationPageOut,
    NotificationQuery,
    NotificationsReadIn,
    UnreadCountOut,
)
from riffhouse.core.api import ErrorOut
from riffhouse.records.models import Record

router = Router(tags=["notifications"], auth=bearer_or_session)


def _record_out(request: HttpRequest, record: Record | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "id": record.pk,
        "title": record.title,
        "url": request.build_absolute_uri(record.get_absolute_url()),
    }


def _notification_out(request: HttpRequest, notification: Notification) -> dict[str, Any]:
    actor = notification.actor
    return {
        "id": notification.pk,
        "verb": notification.verb,
        "text": notification.text,
        "created_at": notification.created_at,
        "read": notification.read_at is not None,
        # A member who left is "a former member" here too, as in every credit line.
        "actor": author_out(request, actor) if actor is not None else None,
        "record": _record_out(request, notification.record),
        "source": _record_out(request, notification.source),
        "remix_request": notification.remix_request_id,
    }


@router.get(
    "/notifications",
    response={200: NotificationPageOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="Your notifications, newest first",
)
def notification_list(request: HttpRequest, filters: Query[NotificationQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    page = selectors.notification_list(
        user=user, cursor=filters.cursor, limit=filters.limit, unread_only=filters.unread
    )
    return {
        "items": [_notification_out(request, n) for n in page.items],
        "next_cursor": page.next_cursor,
        "unread_count": selectors.notification_unread_count(user=user),
    }


@router.post(
    "/notifications/read",
    response={200: UnreadCountOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Mark your notifications read: those in `ids`, or all of them",
)
def notifications_mark_read(
    request: HttpRequest, payload: NotificationsReadIn | None = None
) -> dict[str, int]:
    user: User = request.auth  # type: ignore[attr-defined]
    services.notifications_mark_read(user=user, ids=payload.ids if payload else None)
    return {"unread_count": selectors.notification_unread_count(user=user)}
