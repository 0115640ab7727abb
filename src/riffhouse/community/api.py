"""Notifications endpoints: a member's own notifications, marking them read (one or all),
and their notification preferences."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session
from riffhouse.accounts.models import User
from riffhouse.community import selectors, services
from riffhouse.community.models import Notification
from riffhouse.community.notify import VERB_CATEGORIES
from riffhouse.community.schemas import (
    NotificationPageOut,
    NotificationPreferencesIn,
    NotificationPreferencesOut,
    NotificationQuery,
    NotificationsReadIn,
    UnreadCountOut,
)
from riffhouse.community.targets import Target
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


def _notification_out(
    request: HttpRequest, notification: Notification, *, url: str, target: Target | None
) -> dict[str, Any]:
    actor = notification.actor
    production = notification.production
    return {
        "id": notification.pk,
        "verb": notification.verb,
        "category": VERB_CATEGORIES[notification.verb],
        "text": notification.text,
        "created_at": notification.created_at,
        "read": notification.read_at is not None,
        "url": request.build_absolute_uri(url),
        # A member who left is "a former member" here too, as in every credit line.
        "actor": author_out(request, actor) if actor is not None else None,
        "record": _record_out(request, notification.record),
        "source": _record_out(request, notification.source),
        "remix_request": notification.remix_request_id,
        "production": {
            "id": production.pk,
            "title": production.title,
            "url": request.build_absolute_uri(production.get_absolute_url()),
        }
        if production is not None
        else None,
        "submission": notification.submission_id,
        "comment": notification.comment_id,
        "target": {
            "id": notification.target_id,
            "title": target.title,
            "url": request.build_absolute_uri(target.url),
        }
        if target is not None
        else None,
        "target_type": notification.target_type,
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
        "items": [
            _notification_out(request, n, url=page.urls[n.pk], target=page.targets.get(n.pk))
            for n in page.items
        ],
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


@router.post(
    "/notifications/{notification_id}/read",
    response={200: UnreadCountOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Mark one of your notifications read",
)
def notification_mark_read(request: HttpRequest, notification_id: int) -> dict[str, int]:
    """Someone else's notification, or one that does not exist, is a 404 alike."""
    user: User = request.auth  # type: ignore[attr-defined]
    services.notification_mark_read(user=user, notification_id=notification_id)
    return {"unread_count": selectors.notification_unread_count(user=user)}


@router.get(
    "/me/notification-preferences",
    response={200: NotificationPreferencesOut, 401: ErrorOut},
    summary="How you hear of each kind of notification",
)
def notification_preferences(request: HttpRequest) -> dict[str, str]:
    user: User = request.auth  # type: ignore[attr-defined]
    return selectors.notification_preferences(user=user)


@router.put(
    "/me/notification-preferences",
    response={
        200: NotificationPreferencesOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
    },
    summary="Set how you hear of each kind of notification (those left out keep theirs)",
)
def notification_preferences_set(
    request: HttpRequest, payload: NotificationPreferencesIn
) -> dict[str, str]:
    user: User = request.auth  # type: ignore[attr-defined]
    return services.notification_preferences_set(
        user=user, preferences=payload.model_dump(exclude_unset=True)
    )
