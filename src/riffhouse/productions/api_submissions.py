"""Submission endpoints: submit a record to a production (or one of its needs), list a
production's submissions as the caller may see them, read one, decide on it (producers) or
withdraw it (its contributor), and answer a consent request (the record's author)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.core.api import error_responses
from riffhouse.core.errors import ApplicationError
from riffhouse.productions import submissions
from riffhouse.productions.models import Submission, SubmissionStatus
from riffhouse.productions.selectors import production_get_visible
from riffhouse.records.schemas import AuthorOut

submissions_router = Router(tags=["submissions"], auth=bearer_or_session)
ERRORS = error_responses(400, 401, 403, 404, 409, 410, 422)
READ_ERRORS = error_responses(400, 404, 422)


class SubmissionIn(Schema):
    record: int = Field(description="The record to submit (at its live version)")
    need: int | None = Field(default=None, description="One of the production's needs")
    message: str = Field(default="", max_length=2000)


class SubmissionPatchIn(Schema):
    status: str = Field(
        description="Producers: submitted, shortlisted, selected or declined; its "
        "contributor: withdrawn"
    )
    note: str = Field(default="", max_length=2000)


class ConsentIn(Schema):
    approve: bool
    note: str = Field(default="", max_length=2000)


class SubmissionOut(Schema):
    id: int
    production: int
    need: int | None
    record: int
    record_title: str
    record_kind: str
    record_url: str
    version: int
    author: AuthorOut
    submitted_by: AuthorOut
    status: str
    consent: str
    message: str
    note: str
    consent_note: str
    created_at: datetime
    decided_at: datetime | None
    url: str


class SubmissionPageOut(Schema):
    items: list[SubmissionOut]
    next_cursor: str | None


class SubmissionsQuery(Schema):
    need: int | None = None
    status: str | None = None
    cursor: str | None = None
    limit: int = 50


def submission_out(request: HttpRequest, submission: Submission) -> dict[str, Any]:
    record = submission.record
    return {
        "id": submission.pk,
        "production": submission.production_id,
        "need": submission.need_id,
        "record": record.pk,
        "record_title": "Removed by its author" if record.deleted_at else record.title,
        "record_kind": record.kind,
        "record_url": request.build_absolute_uri(record.get_absolute_url()),
        "version": submission.record_version.number,
        "author": author_out(request, record.author),
        "submitted_by": author_out(request, submission.submitted_by),
        "status": submission.status,
        "consent": submission.consent,
        "message": submission.message,
        "note": submission.note,
        "consent_note": submission.consent_note,
        "created_at": submission.created_at,
        "decided_at": submission.decided_at,
        "url": request.build_absolute_uri(reverse("productions:submission", args=[submission.pk])),
    }


def _fresh(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    viewer: User = request.auth  # type: ignore[attr-defined]
    return submission_out(
        request, submissions.submission_get_visible(viewer=viewer, submission_id=submission_id)
    )


@submissions_router.post(
    "/productions/{production_id}/submissions",
    response={201: SubmissionOut, **ERRORS},
    summary="Submit a record to the production, or to one of its needs",
)
def submission_create(
    request: HttpRequest, production_id: int, payload: SubmissionIn
) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    production = production_get_visible(viewer=user, production_id=production_id)
    submission = submissions.submission_create(
        actor=user,
        production=production,
        record=payload.record,
        need=payload.need,
        message=payload.message,
    )
    return Status(201, _fresh(request, submission.pk))


@submissions_router.get(
    "/productions/{production_id}/submissions",
    auth=bearer_session_or_anonymous,
    response={200: SubmissionPageOut, **READ_ERRORS},
    summary="Its submissions, newest first: all to its producers, to everyone once it is "
    "released, otherwise a contributor's own",
)
def submission_list(
    request: HttpRequest, production_id: int, query: Query[SubmissionsQuery]
) -> Any:
    production = production_get_visible(viewer=request.user, production_id=production_id)
    page = submissions.production_submissions(
        viewer=request.user,
        production=production,
        need_id=query.need,
        status=query.status,
        cursor=query.cursor,
        limit=query.limit,
    )
    for item in page.items:
        item.production = production
    return {
        "items": [submission_out(request, s) for s in page.items],
        "next_cursor": page.next_cursor,
    }


@submissions_router.get(
    "/submissions/{submission_id}",
    auth=bearer_session_or_anonymous,
    response={200: SubmissionOut, **READ_ERRORS},
    summary="One submission (its contributor, its record's author, the producers; everyone "
    "once the production is released)",
)
def submission_detail(request: HttpRequest, submission_id: int) -> Any:
    return submission_out(
        request,
        submissions.submission_get_visible(viewer=request.user, submission_id=submission_id),
    )


@submissions_router.patch(
    "/submissions/{submission_id}",
    response={200: SubmissionOut, **ERRORS},
    summary="Producers move it (shortlisted, selected, declined, back to submitted); its "
    "contributor withdraws it",
)
def submission_update(request: HttpRequest, submission_id: int, payload: SubmissionPatchIn) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    if payload.status == SubmissionStatus.WITHDRAWN:
        submissions.submission_withdraw(actor=user, submission=submission_id)
    elif payload.status in SubmissionStatus.values:
        submissions.submission_decide(
            actor=user, submission=submission_id, status=payload.status, note=payload.note
        )
    else:
        raise ApplicationError(
            "Choose submitted, shortlisted, selected, declined or withdrawn.",
            code="status_invalid",
            field="status",
        )
    return _fresh(request, submission_id)


@submissions_router.post(
    "/submissions/{submission_id}/consent",
    response={200: SubmissionOut, **ERRORS},
    summary="The record's author approves or declines its submission by someone else",
)
def submission_consent(request: HttpRequest, submission_id: int, payload: ConsentIn) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    submissions.submission_consent_decide(
        actor=user, submission=submission_id, approve=payload.approve, note=payload.note
    )
    return _fresh(request, submission_id)
