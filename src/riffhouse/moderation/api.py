"""Moderation endpoints: anyone signed in reports and appeals; moderators read the queue,
act, undo and decide appeals (403 `not_moderator` for everyone else)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from riffhouse.accounts.auth import bearer_or_session
from riffhouse.accounts.models import User
from riffhouse.community.models import Comment
from riffhouse.core.api import error_responses
from riffhouse.moderation import selectors, services
from riffhouse.moderation.models import Appeal, ModerationAction, Report
from riffhouse.moderation.schemas import (
    ActionIn,
    ActionOut,
    AppealIn,
    AppealOut,
    AppealPageOut,
    DecideIn,
    QueueOut,
    ReportIn,
    ReportOut,
    TargetIn,
    UndoIn,
)
from riffhouse.moderation.services import TargetRef

router = Router(tags=["moderation"], auth=bearer_or_session)


class QueueQuery(Schema):
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page")
    limit: int = Field(default=selectors.QUEUE_PAGE, ge=1, le=selectors.QUEUE_MAX_PAGE)


class AppealQuery(Schema):
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page")
    limit: int = Field(default=selectors.QUEUE_PAGE, ge=1, le=selectors.QUEUE_MAX_PAGE)


def _target(payload: TargetIn) -> TargetRef:
    member: int | None = None
    if payload.member is not None:
        found = User.objects.filter(username__iexact=payload.member).values_list("pk", flat=True)
        member = found.first() or 0  # nobody by that name: reported as nothing there
    return services.target_ref(
        record=payload.record, comment=payload.comment, production=payload.production, member=member
    )


def _target_out(request: HttpRequest, kind: str, pk: int, row: Any) -> dict[str, Any]:
    title, url = "", None
    if row is not None:
        if isinstance(row, User):
            title, url = row.name, row.get_absolute_url()
        elif isinstance(row, Comment):
            title = (row.body or "")[:80]
            parent = row.record if row.record_id else row.production
            url = f"{parent.get_absolute_url()}#comment-{row.pk}" if parent else None
        else:
            title, url = row.title, row.get_absolute_url()
    return {
        "type": kind,
        "id": pk,
        "title": title,
        "url": request.build_absolute_uri(url) if url else None,
    }


def _report_out(request: HttpRequest, report: Report) -> dict[str, Any]:
    kind, pk = report.target_key
    return {
        "id": report.pk,
        "target": _target_out(request, kind, pk, getattr(report, kind)),
        "category": report.category,
        "status": report.status,
        "created_at": report.created_at,
    }


def _action_out(request: HttpRequest, action: ModerationAction) -> dict[str, Any]:
    kind, pk = action.target_key
    return {
        "id": action.pk,
        "kind": action.kind,
        "target": _target_out(request, kind, pk, getattr(action, kind)),
        "reason": action.reason,
        "subject": action.subject.username if action.subject else None,
        "suspended_until": action.suspended_until,
        "created_at": action.created_at,
        "undone_at": action.undone_at,
        "undo_reason": action.undo_reason,
        "reports": [r.pk for r in action.reports.all()],
    }


def _appeal_out(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "action": appeal.action_id,
        "text": appeal.text,
        "status": appeal.status,
        "created_at": appeal.created_at,
        "decided_at": appeal.decided_at,
        "note": appeal.note,
    }


@router.post(
    "/reports",
    response={201: ReportOut, **error_responses(400, 401, 409, 422, 429)},
    summary="Report a record, comment, production or member to the moderators",
)
def report_create(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    report = services.report_create(
        reporter=user, target=_target(payload), category=payload.category, text=payload.text
    )
    return Status(201, _report_out(request, report))


@router.get(
    "/moderation/queue",
    response={200: QueueOut, **error_responses(400, 401, 403, 422)},
    summary="Moderators: open reports grouped by what they report, the longest-waiting first, "
    "a page at a time (400 `invalid_cursor` for a malformed cursor)",
)
def queue(request: HttpRequest, filters: Query[QueueQuery]) -> dict[str, Any]:
    data = selectors.moderation_queue(
        viewer=request.auth,  # type: ignore[attr-defined]
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {
        "items": [
            {
                "target": _target_out(request, item.kind, item.pk, item.target),
                "count": item.count,
                "first_reported_at": item.first_at,
                "reports": [
                    {
                        "id": r.pk,
                        "category": r.category,
                        "text": r.text,
                        "reporter": r.reporter.username if r.reporter else None,
                        "created_at": r.created_at,
                    }
                    for r in item.reports
                ],
            }
            for item in data.items
        ],
        "open_reports": data.open_reports,
        "open_targets": data.open_targets,
        "open_appeals": data.open_appeals,
        "next_cursor": data.next_cursor,
    }


@router.post(
    "/moderation/actions",
    response={201: ActionOut, **error_responses(400, 401, 403, 404, 409, 410, 422)},
    summary="Moderators: hide, remove, warn or suspend, with the reason the member reads",
)
def action_create(request: HttpRequest, payload: ActionIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    selectors.moderator_check(viewer=user)
    action = services.action_take(
        moderator=user,
        target=_target(payload),
        kind=payload.kind,
        reason=payload.reason,
        until=payload.until,
    )
    return Status(201, _action_out(request, action))


@router.post(
    "/moderation/actions/{action_id}/undo",
    response={200: ActionOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Moderators: undo a hide or a suspension, with a reason",
)
def action_undo(request: HttpRequest, action_id: int, payload: UndoIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    action = services.action_undo(moderator=user, action_id=action_id, reason=payload.reason)
    return _action_out(request, action)


@router.post(
    "/appeals",
    url_name="appeal_create",
    response={201: AppealOut, **error_responses(400, 401, 404, 409, 422)},
    summary="Appeal an action on your work or account (once)",
)
def appeal_create(request: HttpRequest, payload: AppealIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    appeal = services.appeal_create(member=user, action_id=payload.action, text=payload.text)
    return Status(201, _appeal_out(appeal))


@router.get(
    "/moderation/appeals",
    response={200: AppealPageOut, **error_responses(400, 401, 403, 422)},
    summary="Moderators: appeals waiting for a decision, oldest first, a page at a time "
    "(400 `invalid_cursor` for a malformed cursor)",
)
def appeal_list(request: HttpRequest, filters: Query[AppealQuery]) -> dict[str, Any]:
    page = selectors.appeals_open(
        viewer=request.auth,  # type: ignore[attr-defined]
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [_appeal_out(a) for a in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/appeals/{appeal_id}/decide",
    response={200: AppealOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Moderators: grant (undo the action) or uphold an appeal, with a note; not the "
    "moderator who acted while another could (403 `own_action`), nor the member appealing",
)
def appeal_decide(request: HttpRequest, appeal_id: int, payload: DecideIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    appeal = services.appeal_decide(
        moderator=user, appeal_id=appeal_id, grant=payload.decision == "grant", note=payload.note
    )
    return _appeal_out(appeal)
