"""Feeds endpoints: a member's home feed, the public lists, and counting a play."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router
from ninja.decorators import decorate_view

from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.community.feeds import selectors, services
from riffhouse.community.feeds.schemas import (
    FeedPageOut,
    FeedQuery,
    PlayOut,
    RecordListQuery,
)
from riffhouse.core.api import ErrorOut
from riffhouse.core.page_cache import TRENDING, public_page
from riffhouse.records import selectors as records_selectors
from riffhouse.records.api import record_out

router = Router(tags=["feeds"], auth=bearer_session_or_anonymous)

LIST_ERRORS = {400: ErrorOut, 422: ErrorOut}


def _item_out(request: HttpRequest, item: selectors.FeedItem) -> dict[str, Any]:
    production = item.production
    need = item.need
    return {
        "kind": item.kind,
        "at": item.at,
        "reason": item.reason,
        "score": item.score,
        "record": record_out(request, item.record) if item.record is not None else None,
        "production": {
            "id": production.pk,
            "url": request.build_absolute_uri(production.get_absolute_url()),
            "title": production.title,
            "kind": production.kind,
            "status": production.status,
        }
        if production is not None
        else None,
        "need": {
            "id": need.pk,
            "url": request.build_absolute_uri(reverse("productions:need", args=[need.pk])),
            "title": need.title,
            "kinds": need.kind_list,
            "deadline": need.deadline or need.production.submission_deadline,
        }
        if need is not None
        else None,
    }


def _page_out(request: HttpRequest, page: selectors.FeedPage) -> dict[str, Any]:
    return {
        "items": [_item_out(request, item) for item in page.items],
        "next_cursor": page.next_cursor,
    }


def _record_list_out(request: HttpRequest, name: str, query: RecordListQuery) -> dict[str, Any]:
    page = selectors.record_list(
        name=name, viewer=request.user, kind=query.kind, cursor=query.cursor, limit=query.limit
    )
    return _page_out(request, page)


@router.get(
    "/feed",
    auth=bearer_or_session,
    response={200: FeedPageOut, 401: ErrorOut, **LIST_ERRORS},
    summary="Your home feed: the members and productions you follow, calls for what you make",
)
def feed_home(request: HttpRequest, query: Query[FeedQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    page = selectors.home_feed(viewer=user, cursor=query.cursor, limit=query.limit)
    return _page_out(request, page)


@router.get(
    "/feed/latest",
    response={200: FeedPageOut, **LIST_ERRORS},
    summary="Every published record, newest first",
)
@decorate_view(public_page())
def feed_latest(request: HttpRequest, query: Query[RecordListQuery]) -> dict[str, Any]:
    return _record_list_out(request, "latest", query)


@router.get(
    "/feed/trending",
    response={200: FeedPageOut, **LIST_ERRORS},
    summary="Records with the most hearts, remixes, comments and plays in recent days",
)
@decorate_view(public_page(also=(TRENDING,)))
def feed_trending(request: HttpRequest, query: Query[FeedQuery]) -> dict[str, Any]:
    return _page_out(request, selectors.trending(cursor=query.cursor, limit=query.limit))


@router.get(
    "/feed/never-remixed",
    response={200: FeedPageOut, **LIST_ERRORS},
    summary="Records nobody has remixed yet, newest first",
)
@decorate_view(public_page())
def feed_never_remixed(request: HttpRequest, query: Query[RecordListQuery]) -> dict[str, Any]:
    return _record_list_out(request, "never-remixed", query)


@router.get(
    "/feed/open-to-remix",
    response={200: FeedPageOut, **LIST_ERRORS},
    summary="Records anyone may remix without asking, newest first",
)
@decorate_view(public_page())
def feed_open_to_remix(request: HttpRequest, query: Query[RecordListQuery]) -> dict[str, Any]:
    return _record_list_out(request, "open-to-remix", query)


@router.get(
    "/feed/needs-collaborators",
    response={200: FeedPageOut, **LIST_ERRORS},
    summary="Records whose authors would like collaborators, and open calls, newest first",
)
@decorate_view(public_page())
def feed_needs_collaborators(request: HttpRequest, query: Query[FeedQuery]) -> dict[str, Any]:
    page = selectors.needs_collaborators(cursor=query.cursor, limit=query.limit)
    return _page_out(request, page)


@router.post(
    "/records/{record_id}/play",
    response={200: PlayOut, 404: ErrorOut, 410: ErrorOut},
    summary="Count a play (anyone; repeats by one browser within 30 minutes count once)",
    url_name="record_play",
)
def record_play(request: HttpRequest, record_id: int) -> dict[str, bool]:
    record = selectors.record_playable(record_id=record_id)
    if record is None:
        # Not listed: a draft is "not found" to others (as everywhere), a tombstone or the
        # author's own draft is found but its plays do not count.
        records_selectors.record_get_visible(viewer=request.user, record_id=record_id)
        return {"counted": False}
    listener = services.play_listener_key(
        session_key=request.session.session_key if hasattr(request, "session") else None,
        address=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return {"counted": services.record_play_count(record=record, listener=listener)}
