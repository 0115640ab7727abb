"""The submission rules that pages and services share, so they cannot drift: what producers
see (`CONSENTED`), the board's columns, the producers' moves (`MOVES`), what a contributor
may withdraw, whether a production takes submissions now, and what submitting a record asks
of its author (decision 0023)."""

from datetime import datetime

from django.utils import timezone

from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.productions.models import (
    Need,
    Production,
    ProductionStatus,
    SubmissionConsent,
    SubmissionStatus,
)
from riffhouse.records.models import Record, RemixPolicy
from riffhouse.records.selectors import Viewer

# What producers (and, once released, everyone) see: the author agreed, or did not need to.
CONSENTED = (SubmissionConsent.NOT_NEEDED, SubmissionConsent.APPROVED)
# The board's columns, in order (withdrawn submissions are not on it).
BOARD_STATUSES = (
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.SHORTLISTED,
    SubmissionStatus.SELECTED,
    SubmissionStatus.DECLINED,
)
# The producers' moves: from a status, where one action takes it.
MOVES: dict[str, set[str]] = {
    SubmissionStatus.SUBMITTED: {
        SubmissionStatus.SHORTLISTED,
        SubmissionStatus.SELECTED,
        SubmissionStatus.DECLINED,
    },
    SubmissionStatus.SHORTLISTED: {
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.SELECTED,
        SubmissionStatus.DECLINED,
    },
    SubmissionStatus.SELECTED: {SubmissionStatus.SHORTLISTED},
    SubmissionStatus.DECLINED: {SubmissionStatus.SUBMITTED},
}
WITHDRAWABLE = {SubmissionStatus.SUBMITTED, SubmissionStatus.SHORTLISTED}


def _deadline_of(production: Production, need: Need | None) -> datetime | None:
    if need is not None and need.deadline is not None:
        return need.deadline
    return production.submission_deadline


def submission_check_open(*, production: Production, need: Need | None) -> None:
    """Raise unless `production` (and `need`) take submissions now: open, not being
    released, before the deadline. The upload and remix pages ask before making a record."""
    if production.status != ProductionStatus.OPEN or production.release_requested_at:
        reasons: dict[str, str] = {
            ProductionStatus.DRAFT: "It is not open for submissions yet.",
            ProductionStatus.CURATING: "Submissions are closed: its producers are curating.",
            ProductionStatus.RELEASED: "It is released: submissions are closed.",
            ProductionStatus.ARCHIVED: "It is released: submissions are closed.",
        }
        code = "production_released" if production.is_released else "production_not_open"
        raise ApplicationError(
            reasons.get(production.status, "Submissions are closed."), code=code, status=409
        )
    deadline = _deadline_of(production, need)
    if deadline is not None and deadline <= timezone.now():
        raise ApplicationError(
            f"The deadline passed on {deadline:%-d %B %Y, %H:%M} UTC.",
            code="deadline_passed",
            status=409,
        )


def submission_consent_for(*, actor: Viewer, record: Record) -> str:
    """What submitting `record` asks of its author: nothing for your own or an open record,
    consent for an `ask` record; raises for a record nobody but its author may submit, or
    one that cannot be submitted at all (a draft, deleted, still processing)."""
    own = actor.is_authenticated and record.author_id == actor.pk
    if record.deleted_at is not None:
        raise ApplicationError(
            f"“{record.title}” was removed by its author.",
            code="record_deleted",
            status=410,
            field="record",
        )
    if not record.is_public:
        if not own:
            raise NotFound("No record here.")
        raise ApplicationError(
            "Publish it first: a draft (or a record still processing) cannot be submitted.",
            code="record_not_published",
            field="record",
        )
    if own:
        return SubmissionConsent.NOT_NEEDED
    if record.remix_policy == RemixPolicy.CLOSED:
        raise ApplicationError(
            f"“{record.title}” is closed: only its author can submit it.",
            code="record_closed",
            status=403,
            field="record",
        )
    if record.remix_policy == RemixPolicy.ASK:
        return SubmissionConsent.ASKED
    return SubmissionConsent.NOT_NEEDED
