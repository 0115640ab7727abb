"""Lineage endpoints: the remix graph, credits, and remix requests; and `record_links_out`,
a record's sources and pending requests as records' own endpoints show them (registered as
part of records' sources handler in apps.py)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.core.api import ErrorOut
from riffhouse.core.errors import ApplicationError
from riffhouse.core.page_cache import public_page
from riffhouse.lineage import rules, selectors, services
from riffhouse.lineage.models import RemixRequest
from riffhouse.lineage.schemas import (
    CreditsOut,
    DecisionIn,
    LineageOut,
    RemixRequestIn,
    RemixRequestOut,
    SourceOut,
)
from riffhouse.records import selectors as record_selectors
from riffhouse.records.api import ERRORS_WITH_CONFLICT
from riffhouse.records.models import Record

router = Router(tags=["lineage"], auth=bearer_or_session)


def node_out(request: HttpRequest, node: selectors.Node) -> dict[str, Any]:
    record = node.record
    if node.visible:
        title = record.title
    elif record.deleted_at is not None:
        title = "Removed by its author"
    else:
        title = "No longer public"
    thumb = node.thumbnail
    return {
        "id": record.pk,
        "title": title,
        "kind": record.kind,
        "url": request.build_absolute_uri(record.get_absolute_url()),
        "lineage_url": request.build_absolute_uri(reverse("lineage:tree", args=[record.pk])),
        "author": author_out(request, record.author),
        "thumbnail": request.build_absolute_uri(
            reverse("records:file", args=[record.pk, thumb.version.key, thumb.label])
        )
        if thumb is not None
        else None,
        "remix_count": record.remix_count,
        "remix_policy": record.remix_policy,
        "deleted": record.deleted_at is not None,
        "visible": node.visible,
        "depth": node.depth,
        "via": list(node.via),
        "usages": list(node.usages),
    }


def _requests_out(
    request: HttpRequest, remix_requests: list[RemixRequest], viewer: Any
) -> list[dict[str, Any]]:
    nodes = selectors.nodes_get(
        viewer=viewer,
        records=[r.remix for r in remix_requests] + [r.source for r in remix_requests],
    )
    return [
        {
            "id": r.pk,
            "status": r.status,
            "remix": node_out(request, nodes[r.remix_id]),
            "source": node_out(request, nodes[r.source_id]),
            "requester": author_out(request, r.requester),
            "message": r.message,
            "response_note": r.response_note,
            "created_at": r.created_at,
            "decided_at": r.decided_at,
            "times_asked": r.times_asked,
            "may_ask_again": rules.remix_request_may_ask_again(remix_request=r),
        }
        for r in remix_requests
    ]


def _request_out(request: HttpRequest, remix_request: RemixRequest, viewer: Any) -> dict[str, Any]:
    return _requests_out(request, [remix_request], viewer)[0]


def sources_out(request: HttpRequest, viewer: Any, record: Record) -> list[dict[str, Any]]:
    return [
        {
            "record": node_out(
                request,
                selectors.Node(
                    record=row.link.source,
                    visible=row.visible,
                    thumbnail=row.thumbnail,
                    depth=1,
                    via=(record.pk,),
                    usages=(row.link.usage,) if row.link.usage else (),
                ),
            ),
            "version": row.link.source_version.number,
            "newer_version": row.newer.number if row.newer else None,
            "usage": row.link.usage,
            "start_ms": row.link.start_ms,
            "end_ms": row.link.end_ms,
        }
        for row in selectors.record_sources(viewer=viewer, record=record)
    ]


def record_links_out(
    request: HttpRequest, viewer: User, record: Record
) -> dict[str, list[dict[str, Any]]]:
    """A record's `sources` and pending `remix_requests`, as `POST /records` and
    `PATCH /records/{id}` (records/api.py) show them."""
    return {
        "sources": sources_out(request, viewer, record),
        "remix_requests": _requests_out(
            request, selectors.record_pending_requests(viewer=viewer, record=record), viewer
        ),
    }


# The graph ---------------------------------------------------------------------------------
class LineageQuery(Schema):
    direction: str = "ancestors"
    depth: int | None = None
    cursor: str | None = None
    limit: int = 50


@router.get(
    "/records/{record_id}/sources",
    auth=bearer_session_or_anonymous,
    response={200: list[SourceOut], 404: ErrorOut},
    summary="What a record is built on, at the versions used",
)
@decorate_view(public_page())
def record_sources(request: HttpRequest, record_id: int) -> Any:
    record = record_selectors.record_get_visible(viewer=request.user, record_id=record_id)
    return sources_out(request, request.user, record)


@router.get(
    "/records/{record_id}/lineage",
    auth=bearer_session_or_anonymous,
    response={200: LineageOut, 400: ErrorOut, 404: ErrorOut},
    summary="Ancestors (nearest first) or descendants (newest first), a page at a time",
)
@decorate_view(public_page())
def record_lineage(request: HttpRequest, record_id: int, query: Query[LineageQuery]) -> Any:
    record = record_selectors.record_get_visible(viewer=request.user, record_id=record_id)
    page = selectors.lineage_page(
        viewer=request.user,
        record=record,
        direction=query.direction,
        depth=query.depth,
        cursor=query.cursor,
        limit=query.limit,
    )
    return {
        "record": node_out(request, selectors.node_get(viewer=request.user, record=record)),
        "direction": page.direction,
        "items": [node_out(request, n) for n in page.items],
        "next_cursor": page.next_cursor,
        "total": page.total,
        "truncated": page.truncated,
    }


@router.get(
    "/records/{record_id}/credits",
    auth=bearer_session_or_anonymous,
    response={200: CreditsOut, 404: ErrorOut},
    summary="Everyone whose work the record stands on, nearest first",
)
@decorate_view(public_page())
def record_credits(request: HttpRequest, record_id: int) -> Any:
    record = record_selectors.record_get_visible(viewer=request.user, record_id=record_id)
    return {
        "record": record.pk,
        "credits": [
            {
                "member": author_out(request, c.author),
                "former_member": c.author is None or c.author.is_former,
                "closeness": c.closeness,
                "roles": c.roles,
                "works": c.works,
            }
            for c in selectors.record_credits(record=record)
        ],
        "jsonld": request.build_absolute_uri(reverse("lineage:jsonld", args=[record.pk])),
    }


# Remix requests ----------------------------------------------------------------------------
class RequestsQuery(Schema):
    box: str = "incoming"
    status: str | None = None


@router.post(
    "/records/{record_id}/remix-requests",
    response={201: RemixRequestOut, **ERRORS_WITH_CONFLICT},
    summary="Ask this record's author to approve its use in your remix",
)
def remix_request_create(
    request: HttpRequest, record_id: int, payload: RemixRequestIn
) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    remix_request = services.remix_request_create(
        actor=user,
        source_id=record_id,
        remix_id=payload.remix,
        usage=payload.usage,
        message=payload.message,
    )
    return Status(201, _request_out(request, remix_request, user))


@router.get(
    "/remix-requests",
    response={200: list[RemixRequestOut], 400: ErrorOut, 401: ErrorOut},
    summary="Requests you received (`box=incoming`) or sent (`box=outgoing`), newest first",
)
def remix_request_list(request: HttpRequest, query: Query[RequestsQuery]) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    if query.box not in {"incoming", "outgoing"}:
        raise ApplicationError("Box is “incoming” or “outgoing”.", code="invalid_box", field="box")
    requests = selectors.remix_request_list(
        viewer=user, incoming=query.box == "incoming", status=query.status
    )
    return _requests_out(request, requests, user)


def _decide(request: HttpRequest, request_id: int, note: str, *, approve: bool) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    remix_request = services.remix_request_decide(
        actor=user, request_id=request_id, approve=approve, note=note
    )
    return _request_out(request, remix_request, user)


@router.post(
    "/remix-requests/{request_id}/approve",
    response={200: RemixRequestOut, **ERRORS_WITH_CONFLICT},
    summary="Approve (the remix is published if it was waiting only on you)",
)
def remix_request_approve(request: HttpRequest, request_id: int, payload: DecisionIn) -> Any:
    return _decide(request, request_id, payload.note, approve=True)


@router.post(
    "/remix-requests/{request_id}/decline",
    response={200: RemixRequestOut, **ERRORS_WITH_CONFLICT},
    summary="Decline (the remix stays a draft)",
)
def remix_request_decline(request: HttpRequest, request_id: int, payload: DecisionIn) -> Any:
    return _decide(request, request_id, payload.note, approve=False)
