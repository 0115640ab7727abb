"""Submission writes: submit, the producers' moves, withdraw, the author's consent, and a
submission that waits for its record to be published. Every write takes the production's
row lock, leaves an audit row (target: the submission, which is also its history) and
calls a `hooks` function, which community turns into a notification."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.accounts.selectors import block_between, blocked_by
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.productions import hooks
from riffhouse.productions.models import (
    Need,
    PendingSubmission,
    Producer,
    Production,
    Segment,
    Submission,
    SubmissionConsent,
    SubmissionStatus,
)
from riffhouse.productions.selectors import (
    is_producer,
    production_can_view,
    production_check_producer,
    production_lock,
)
from riffhouse.productions.submissions.rules import (
    CONSENTED,
    MOVES,
    WITHDRAWABLE,
    submission_check_open,
    submission_consent_for,
    submission_move_refusal,
    submissions_frozen_refusal,
)
from riffhouse.productions.submissions.selectors import submission_can_view
from riffhouse.records.models import Record
from riffhouse.records.selectors import Viewer

MESSAGE_MAX = 2000


def _text(value: str, *, what: str, field: str) -> str:
    text = value.strip()
    if len(text) > MESSAGE_MAX:
        raise ApplicationError(
            f"Keep the {what} under {MESSAGE_MAX:,} characters.",
            code=f"{field}_too_long",
            field=field,
        )
    return text


def _record_for(record: Record | int) -> Record:
    record_id = record.pk if isinstance(record, Record) else record
    found = Record.objects.select_related("author", "live_version").filter(pk=record_id).first()
    if found is None:
        raise NotFound("No record here.")
    return found


def _check_blocks(*, actor: User, production: Production, record: Record) -> None:
    """Blocks keep submissions apart (decision 0036): nobody submits the work of a member
    who blocked them or whom they blocked, and a member a producer blocked cannot submit to
    that producer's production (the producer would have to look at their work)."""
    if record.author_id != actor.pk and block_between(user_id=actor.pk, other_id=record.author_id):
        raise PermissionDenied(
            "You cannot submit this record: one of you blocked the other.", code="blocked"
        )
    producer_ids = list(
        Producer.objects.filter(production=production).values_list("user_id", flat=True)
    )
    if blocked_by(blocker_ids=producer_ids, user_id=actor.pk):
        raise PermissionDenied(
            "You cannot submit to this production: one of its producers blocked you.",
            code="blocked",
        )


# Writes -------------------------------------------------------------------------------------
@changes_public_pages
@transaction.atomic
def submission_create(
    *,
    actor: User,
    production: Production,
    record: Record | int,
    need: Need | int | None = None,
    message: str = "",
) -> Submission:
    """Submit `record` (at its live version) to `need`, or to the production as a whole.
    Refused, with nothing saved: a production that is not open, a passed deadline, a need of
    another production, a record of a kind the need does not ask for, a draft, a deleted
    record, someone else's closed record, the same record twice. Someone else's `ask` record
    waits for its author's consent (`consent == "asked"`)."""
    production = production_lock(production_id=production.pk)
    if not production_can_view(viewer=actor, production=production):
        raise NotFound("No production here.")
    need_row: Need | None = None
    if need is not None:
        need_id = need.pk if isinstance(need, Need) else need
        need_row = Need.objects.filter(pk=need_id, production=production).first()
        if need_row is None:
            raise ApplicationError(
                "That need is not part of this production.", code="need_invalid", field="need"
            )
    submission_check_open(production=production, need=need_row)
    found = _record_for(record)
    _check_blocks(actor=actor, production=production, record=found)
    consent = submission_consent_for(actor=actor, record=found)
    if need_row is not None and found.kind not in need_row.kind_list:
        raise ApplicationError(
            f"This need asks for {' or '.join(str(k).lower() for k in need_row.kind_labels)}.",
            code="kind_mismatch",
            field="record",
        )
    text = _text(message, what="message", field="message")
    twice = Submission.objects.filter(record=found, production=production, need=need_row).exclude(
        status=SubmissionStatus.WITHDRAWN
    )
    if twice.exists():
        raise ApplicationError(
            "It already answers this need." if need_row else "It is already submitted here.",
            code="already_submitted",
            status=409,
            field="record",
        )
    version = found.live_version
    assert version is not None  # a public record has a live version
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                production=production,
                need=need_row,
                record=found,
                record_version=version,
                submitted_by=actor,
                consent=consent,
                message=text,
            )
    except IntegrityError as exc:  # the same record, submitted at the same moment
        raise ApplicationError(
            "It is already submitted here.", code="already_submitted", status=409, field="record"
        ) from exc
    submission.record = found
    submission.production = production
    submission.need = need_row
    hooks.after_submission_created(submission=submission)
    audit(
        action="submission_created",
        subject=actor,
        actor=actor,
        target=submission,
        production=production.pk,
        need=need_row.pk if need_row else None,
        record=found.pk,
        version=found.live_version_id,
        status=submission.status,
        consent=consent,
    )
    return submission


def _lock(submission: Submission | int) -> tuple[Submission, Production]:
    submission_id = submission.pk if isinstance(submission, Submission) else submission
    production_id = (
        Submission.objects.filter(pk=submission_id).values_list("production_id", flat=True).first()
    )
    if production_id is None:
        raise NotFound("No submission here.")
    production = production_lock(production_id=production_id)
    row = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("record", "record__author", "need", "submitted_by")
        .get(pk=submission_id)
    )
    row.production = production
    return row, production


def _check_not_released(production: Production) -> None:
    refusal = submissions_frozen_refusal(production=production)
    if refusal is not None:
        raise refusal


@changes_public_pages
@transaction.atomic
def submission_decide(
    *, actor: User, submission: Submission | int, status: str, note: str = ""
) -> Submission:
    """A producer's move: shortlist, select, decline (with an optional note for the
    contributor) or take back. What is refused, and why, is `rules.submission_move_refusal`
    (one step at a time; a selected submission goes back to the shortlist only while it is
    not in the lineup; nothing moves once the production is released)."""
    row, production = _lock(submission)
    if row.consent not in CONSENTED and is_producer(viewer=actor, production=production):
        raise NotFound("No submission here.")  # producers don't see it before consent
    production_check_producer(actor=actor, production=production)
    _check_not_released(production)
    text = _text(note, what="note", field="note")
    if status in MOVES and status == row.status:
        return row  # nothing to do (a withdrawn one is refused below: it is not in MOVES)
    in_lineup = (
        row.status == SubmissionStatus.SELECTED and Segment.objects.filter(submission=row).exists()
    )
    refusal = submission_move_refusal(
        production=production, current=row.status, target=status, in_lineup=in_lineup
    )
    if refusal is not None:
        raise refusal
    before = row.status
    row.status = status
    row.note = text
    row.decided_by = actor
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "note", "decided_by", "decided_at", "updated_at"])
    hooks.after_submission_status_changed(submission=row, actor=actor)
    audit(
        action="submission_decided",
        subject=row.submitted_by,
        actor=actor,
        target=row,
        before=before,
        after=status,
        note=text,
    )
    return row


def _check_contributor(actor: Viewer, row: Submission) -> None:
    """The member who submitted it and the record's author manage it; producers who may see
    it get a 403, anyone else a 404."""
    if actor.is_authenticated and actor.pk in {row.submitted_by_id, row.record.author_id}:
        return
    if submission_can_view(viewer=actor, submission=row):
        raise PermissionDenied(
            "Only the member who submitted it, or the record's author, can do that.",
            code="not_contributor",
        )
    raise NotFound("No submission here.")


@changes_public_pages
@transaction.atomic
def submission_withdraw(*, actor: User, submission: Submission | int) -> Submission:
    """Take a submission back before it is selected: its contributor, or the author of its
    record (a record submitted by someone else can be taken out by its author)."""
    row, production = _lock(submission)
    _check_contributor(actor, row)
    _check_not_released(production)
    if row.status == SubmissionStatus.WITHDRAWN:
        raise ApplicationError("It is withdrawn already.", code="submission_withdrawn", status=409)
    if row.status not in WITHDRAWABLE:
        raise ApplicationError(
            f"It is {row.get_status_display().lower()}: it can no longer be withdrawn.",
            code="not_withdrawable",
            status=409,
        )
    before = row.status
    row.status = SubmissionStatus.WITHDRAWN
    row.save(update_fields=["status", "updated_at"])
    hooks.after_submission_withdrawn(submission=row, actor=actor)
    audit(
        action="submission_withdrawn",
        subject=row.submitted_by,
        actor=actor,
        target=row,
        before=before,
        after=row.status,
    )
    return row


@changes_public_pages
@transaction.atomic
def submission_consent_decide(
    *, actor: User, submission: Submission | int, approve: bool, note: str = ""
) -> Submission:
    """The record's author answers a submission of their `ask` record: approved, producers
    see it; declined, nobody but the two of them ever does."""
    row, production = _lock(submission)
    if not actor.is_authenticated or row.record.author_id != actor.pk:
        if actor.is_authenticated and actor.pk == row.submitted_by_id:
            raise PermissionDenied("Only the record's author answers.", code="not_author")
        raise NotFound("No submission here.")
    _check_not_released(production)
    text = _text(note, what="note", field="note")
    if row.consent != SubmissionConsent.ASKED:
        raise ApplicationError(
            "It was answered already."
            if row.consent in {"approved", "declined"}
            else "Nobody asked: it is your own record's submission.",
            code="consent_not_asked",
            status=409,
        )
    if row.status == SubmissionStatus.WITHDRAWN:
        raise ApplicationError("It was withdrawn.", code="submission_withdrawn", status=409)
    row.consent = SubmissionConsent.APPROVED if approve else SubmissionConsent.DECLINED
    row.consent_note = text
    row.save(update_fields=["consent", "consent_note", "updated_at"])
    hooks.after_submission_consent_decided(submission=row)
    audit(
        action="submission_consent_decided",
        subject=row.submitted_by,
        actor=actor,
        target=row,
        consent=row.consent,
        note=text,
    )
    return row


@changes_public_pages
@transaction.atomic
def submission_pending_create(
    *, actor: User, need: Need, record: Record, message: str = ""
) -> PendingSubmission | Submission:
    """Submit `record` to `need` now if it is published, or once it is (a remix waiting for
    its sources' consent, an upload still processing): then `pending_submit` does it, from
    records' `after_publish` hook."""
    if record.author_id != actor.pk:
        raise PermissionDenied("Only its author can do that.")
    if record.is_public:
        return submission_create(
            actor=actor, production=need.production, record=record, need=need, message=message
        )
    submission_check_open(production=need.production, need=need)
    pending, _ = PendingSubmission.objects.get_or_create(
        need=need, record=record, defaults={"member": actor, "message": message}
    )
    audit(action="submission_pending", subject=actor, actor=actor, target=record, need=need.pk)
    return pending


@changes_public_pages
def pending_submit(*, record: Record) -> None:
    """`record` was just published (records' `after_publish`, registered in apps.py): submit
    it to the needs it waits for. A need that closed meanwhile is skipped, with an audit
    row saying why; the publication itself always goes through."""
    waiting = list(
        PendingSubmission.objects.filter(record=record).select_related("need__production", "member")
    )
    for pending in waiting:
        try:
            with transaction.atomic():
                submission_create(
                    actor=pending.member,
                    production=pending.need.production,
                    record=record,
                    need=pending.need,
                    message=pending.message,
                )
        except ApplicationError as error:
            audit(
                action="submission_pending_failed",
                subject=pending.member,
                actor=pending.member,
                target=record,
                need=pending.need_id,
                code=error.code,
                detail=error.detail,
            )
        pending.delete()
