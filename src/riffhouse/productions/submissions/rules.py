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


def submissions_frozen_refusal(*, production: Production) -> ApplicationError | None:
    """Once a production is released (or its release is asked for), its submissions stay as
    they were: nobody moves or withdraws them."""
    if production.is_released or production.release_requested_at is not None:
        return ApplicationError(
            "It is released: its submissions stay as they were.",
            code="production_released",
            status=409,
        )
    return None


def submission_move_refusal(
    *, production: Production, current: str, target: str, in_lineup: bool
) -> ApplicationError | None:
    """Why producers may not move a submission from `current` to `target` now, or None if
    they may. `submission_decide` raises it, and the board's card offers only the moves
    `submission_moves` lets through, so what a card offers is never refused."""
    frozen = submissions_frozen_refusal(production=production)
    if frozen is not None:
        return frozen
    if target not in MOVES:
        return ApplicationError(
            "Choose submitted, shortlisted, selected or declined.",
            code="status_invalid",
            field="status",
        )
    if current == SubmissionStatus.WITHDRAWN:
        return ApplicationError(
            "Its contributor withdrew it.", code="submission_withdrawn", status=409
        )
    if target not in MOVES[current]:
        return ApplicationError(
            f"A {SubmissionStatus(current).label.lower()} submission cannot become "
            f"{SubmissionStatus(target).label.lower()} in one step.",
            code="status_invalid",
            status=409,
            field="status",
        )
    if current == SubmissionStatus.SELECTED and in_lineup:
        return ApplicationError(
            "It is in the lineup: take it out of the lineup first.", code="in_lineup", status=409
        )
    return None


def submission_moves(*, production: Production, current: str, in_lineup: bool) -> list[str]:
    """The statuses one producer action takes a submission in `current` to now, in the
    board's order (what its card offers)."""
    return [
        target
        for target in BOARD_STATUSES
        if target != current
        and submission_move_refusal(
            production=production, current=current, target=target, in_lineup=in_lineup
        )
        is None
    ]


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
