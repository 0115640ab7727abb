"""Submissions: records offered to a production's needs (or to the production as a whole),
the producers' decisions on them, and the consent of a record's author when someone else
submits their `ask` record (decision 0023).

Who may submit what: your own published record; someone else's published record when its
remix policy is open (consent not needed) or `ask` (its author is asked, and producers do
not see the submission until they approve); never someone else's closed record. Always to
an open production, before the need's (or the production's) deadline, once per need.

The moves: producers take a submission submitted → shortlisted → selected or declined and
back (`_MOVES`); the member who submitted it, or the record's author, withdraws it before
it is selected. Every write leaves an audit row (target: the submission, which is also its
history) and calls a `hooks` function, which community turns into a notification.
"""

import base64
import binascii
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.productions import hooks
from riffhouse.productions.models import (
    Need,
    PendingSubmission,
    Production,
    ProductionStatus,
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
from riffhouse.records.models import Record, RemixPolicy, Rendition
from riffhouse.records.selectors import Viewer

MESSAGE_MAX = 2000
PER_COLUMN = 24
PER_PAGE_MAX = 100
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
_MOVES: dict[str, set[str]] = {
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
_WITHDRAWABLE = {SubmissionStatus.SUBMITTED, SubmissionStatus.SHORTLISTED}


# Checks ---------------------------------------------------------------------------------------
def _text(value: str, *, what: str, field: str) -> str:
    text = value.strip()
    if len(text) > MESSAGE_MAX:
        raise ApplicationError(
            f"Keep the {what} under {MESSAGE_MAX:,} characters.",
            code=f"{field}_too_long",
            field=field,
        )
    return text


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


def _record_for(record: Record | int) -> Record:
    record_id = record.pk if isinstance(record, Record) else record
    found = Record.objects.select_related("author", "live_version").filter(pk=record_id).first()
    if found is None:
        raise NotFound("No record here.")
    return found


# Services -------------------------------------------------------------------------------------
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
    if production.is_released or production.release_requested_at is not None:
        raise ApplicationError(
            "It is released: its submissions stay as they were.",
            code="production_released",
            status=409,
        )


@transaction.atomic
def submission_decide(
    *, actor: User, submission: Submission | int, status: str, note: str = ""
) -> Submission:
    """A producer's move (`_MOVES`): shortlist, select, decline (with an optional note for
    the contributor) or take back. A selected submission goes back to the shortlist only
    while it is not in the lineup and the production is not released."""
    row, production = _lock(submission)
    if row.consent not in CONSENTED and is_producer(viewer=actor, production=production):
        raise NotFound("No submission here.")  # producers don't see it before consent
    production_check_producer(actor=actor, production=production)
    _check_not_released(production)
    text = _text(note, what="note", field="note")
    if status not in _MOVES:
        raise ApplicationError(
            "Choose submitted, shortlisted, selected or declined.",
            code="status_invalid",
            field="status",
        )
    if row.status == SubmissionStatus.WITHDRAWN:
        raise ApplicationError(
            "Its contributor withdrew it.", code="submission_withdrawn", status=409
        )
    if status == row.status:
        return row
    if status not in _MOVES[row.status]:
        raise ApplicationError(
            f"A {row.get_status_display().lower()} submission cannot become "
            f"{SubmissionStatus(status).label.lower()} in one step.",
            code="status_invalid",
            status=409,
            field="status",
        )
    if row.status == SubmissionStatus.SELECTED and Segment.objects.filter(submission=row).exists():
        raise ApplicationError(
            "It is in the lineup: take it out of the lineup first.", code="in_lineup", status=409
        )
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


@transaction.atomic
def submission_withdraw(*, actor: User, submission: Submission | int) -> Submission:
    """Take a submission back before it is selected: its contributor, or the author of its
    record (a record submitted by someone else can be taken out by its author)."""
    row, production = _lock(submission)
    _check_contributor(actor, row)
    _check_not_released(production)
    if row.status == SubmissionStatus.WITHDRAWN:
        raise ApplicationError("It is withdrawn already.", code="submission_withdrawn", status=409)
    if row.status not in _WITHDRAWABLE:
        raise ApplicationError(
            f"It is {row.get_status_display().lower()}: it can no longer be withdrawn.",
            code="not_withdrawable",
            status=409,
        )
    before = row.status
    row.status = SubmissionStatus.WITHDRAWN
    row.save(update_fields=["status", "updated_at"])
    hooks.after_submission_status_changed(submission=row, actor=actor)
    audit(
        action="submission_withdrawn",
        subject=row.submitted_by,
        actor=actor,
        target=row,
        before=before,
        after=row.status,
    )
    return row


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


# Selectors ------------------------------------------------------------------------------------
def submissions_selected(*, production: Production) -> QuerySet[Submission]:
    """The lineup's candidates (H3) and what a release credits (H4): selected, with the
    author's consent when it was needed, oldest first, records and versions joined."""
    return (
        Submission.objects.filter(
            production=production, status=SubmissionStatus.SELECTED, consent__in=CONSENTED
        )
        .select_related("record", "record__author", "record_version", "need", "submitted_by")
        .order_by("created_at", "pk")
    )


def submission_can_view(*, viewer: Viewer, submission: Submission) -> bool:
    """Its contributor and its record's author always; the producers once consent allows;
    everyone once the production is released (consented, not withdrawn)."""
    if viewer.is_authenticated and viewer.pk in {
        submission.submitted_by_id,
        submission.record.author_id,
    }:
        return True
    if submission.consent not in CONSENTED:
        return False
    production = submission.production
    if is_producer(viewer=viewer, production=production):
        return True
    return production.is_released and submission.status != SubmissionStatus.WITHDRAWN


def submission_get_visible(*, viewer: Viewer, submission_id: int) -> Submission:
    """The submission with its record, version, need and production, if `viewer` may see
    it (see `submission_can_view`); otherwise NotFound."""
    submission = (
        Submission.objects.select_related(
            "production",
            "production__cover",
            "need",
            "record",
            "record__author",
            "record_version",
            "submitted_by",
            "decided_by",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not submission_can_view(viewer=viewer, submission=submission):
        raise NotFound("No submission here.")
    return submission


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: User | None
    action: str
    before: str
    after: str
    note: str


def submission_history(*, submission: Submission) -> list[HistoryEntry]:
    """What happened to it, oldest first, from its audit rows (one query)."""
    events = (
        AuditEvent.objects.filter(target_type="productions.submission", target_id=submission.pk)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    entries = []
    for event in events:
        data = event.data or {}
        entries.append(
            HistoryEntry(
                at=event.created_at,
                actor=event.actor,
                action=event.action,
                before=str(data.get("before", "")),
                after=str(data.get("after", data.get("consent", data.get("status", "")))),
                note=str(data.get("note", "")),
            )
        )
    return entries


# Pages of submissions --------------------------------------------------------------------------
@dataclass
class SubmissionPage:
    items: list[Submission]
    next_cursor: str | None


def _encode_cursor(submission: Submission) -> str:
    raw = f"{submission.created_at.isoformat()}|{submission.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after_cursor(queryset: QuerySet[Submission], cursor: str | None) -> QuerySet[Submission]:
    if not cursor:
        return queryset
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        at, after = datetime.fromisoformat(stamp), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc
    return queryset.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=after))


def _page(queryset: QuerySet[Submission], *, cursor: str | None, limit: int) -> SubmissionPage:
    limit = max(1, min(limit, PER_PAGE_MAX))
    rows = list(
        _after_cursor(queryset, cursor)
        .select_related("record", "record__author", "record_version", "need", "submitted_by")
        .order_by("-created_at", "-pk")[: limit + 1]
    )
    next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return SubmissionPage(items=rows[:limit], next_cursor=next_cursor)


def _status_check(status: str | None) -> str | None:
    if status and status not in SubmissionStatus.values:
        raise ApplicationError(
            "Unknown status: choose " + ", ".join(SubmissionStatus.values) + ".",
            code="status_invalid",
            field="status",
        )
    return status or None


def production_submissions(
    *,
    viewer: Viewer,
    production: Production,
    need_id: int | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = PER_COLUMN,
) -> SubmissionPage:
    """A production's submissions as `viewer` may see them, newest first: its producers
    see every consented one, everyone sees them once it is released (not withdrawn), and a
    contributor sees their own (and those of their records)."""
    status = _status_check(status)
    queryset = Submission.objects.filter(production=production)
    if is_producer(viewer=viewer, production=production):
        queryset = queryset.filter(consent__in=CONSENTED)
    elif production.is_released:
        queryset = queryset.filter(consent__in=CONSENTED).exclude(status=SubmissionStatus.WITHDRAWN)
    elif viewer.is_authenticated:
        queryset = queryset.filter(Q(submitted_by=viewer) | Q(record__author=viewer))
    else:
        queryset = queryset.none()
    if need_id is not None:
        queryset = queryset.filter(need_id=need_id)
    if status:
        queryset = queryset.filter(status=status)
    return _page(queryset, cursor=cursor, limit=limit)


def member_submissions(
    *, viewer: User, cursor: str | None = None, limit: int = PER_COLUMN
) -> SubmissionPage:
    """What `viewer` submitted, and the submissions of their records by others (those ask
    their consent), newest first, with the productions joined."""
    queryset = Submission.objects.filter(
        Q(submitted_by=viewer) | Q(record__author=viewer)
    ).select_related("production")
    return _page(queryset, cursor=cursor, limit=limit)


def consent_requests(*, viewer: User) -> QuerySet[Submission]:
    """Submissions of `viewer`'s records by others waiting for their answer."""
    return (
        Submission.objects.filter(record__author=viewer, consent=SubmissionConsent.ASKED)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .select_related("record", "production", "need", "submitted_by")
        .order_by("-created_at", "-pk")[:50]
    )


# The curation board -----------------------------------------------------------------------------
@dataclass
class Column:
    status: str
    label: str
    count: int
    page: SubmissionPage


@dataclass
class Board:
    production: Production
    needs: list[Need]
    need: Need | None  # the need on view (None: the production as a whole)
    counts: dict[int | None, dict[str, int]]  # need id (None: no need) → status → count
    columns: list[Column]
    thumbnails: dict[int, Rendition] = field(default_factory=dict)  # by version id
    kind: str = ""

    def total(self, need_id: int | None) -> int:
        return sum(self.counts.get(need_id, {}).values())


THUMB_LABELS = ("w320.webp", "w320.jpg", "w320.png", "poster.jpg")


def submission_counts(*, production: Production) -> dict[int | None, dict[str, int]]:
    """How many consented submissions each need (None: the production as a whole) holds in
    each board status: one grouped query."""
    counts: dict[int | None, dict[str, int]] = defaultdict(dict)
    rows = (
        Submission.objects.filter(
            production=production, consent__in=CONSENTED, status__in=BOARD_STATUSES
        )
        .values("need_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["need_id"]][row["status"]] = row["n"]
    return dict(counts)


def thumbnails_for(*, submissions: list[Submission]) -> dict[int, Rendition]:
    """A small picture (art, a film's poster) of each submission's version: one query."""
    version_ids = {s.record_version_id for s in submissions}
    found: dict[int, Rendition] = {}
    if not version_ids:
        return found
    for rendition in Rendition.objects.filter(
        version_id__in=version_ids, label__in=THUMB_LABELS
    ).order_by("version_id", "pk"):
        current = found.get(rendition.version_id)
        if current is None or THUMB_LABELS.index(rendition.label) < THUMB_LABELS.index(
            current.label
        ):
            found[rendition.version_id] = rendition
    return found


def curation_board(
    *,
    viewer: Viewer,
    production: Production,
    need_id: int | None = None,
    whole: bool = False,
    status: str | None = None,
    kind: str = "",
    cursors: dict[str, str] | None = None,
    limit: int = PER_COLUMN,
) -> Board:
    """The producers' board: counts per need and status, and for one need (the first with
    submissions, unless named; `whole` for the production as a whole) a page of each status
    column (`status` narrows to one), newest first, each column paged by its own cursor.
    A bounded number of queries however many submissions: one per column, one for counts,
    one for needs, one for thumbnails."""
    production_check_producer(actor=viewer, production=production)
    status = _status_check(status)
    if status == SubmissionStatus.WITHDRAWN:
        raise ApplicationError(
            "Withdrawn submissions are not on the board.", code="status_invalid", field="status"
        )
    needs = list(Need.objects.filter(production=production))
    counts = submission_counts(production=production)
    need: Need | None = None
    if need_id is not None:
        need = next((n for n in needs if n.pk == need_id), None)
        if need is None:
            raise ApplicationError(
                "That need is not part of this production.", code="need_invalid", field="need"
            )
    elif not whole and needs:
        need = next((n for n in needs if counts.get(n.pk)), needs[0])
    cursors = cursors or {}
    columns = []
    base = Submission.objects.filter(production=production, consent__in=CONSENTED, need=need)
    if kind:
        base = base.filter(record__kind=kind)
    for column_status in BOARD_STATUSES:
        if status and column_status != status:
            continue
        page = _page(
            base.filter(status=column_status), cursor=cursors.get(column_status), limit=limit
        )
        columns.append(
            Column(
                status=column_status,
                label=SubmissionStatus(column_status).label,
                count=counts.get(need.pk if need else None, {}).get(column_status, 0),
                page=page,
            )
        )
    board = Board(
        production=production, needs=needs, need=need, counts=counts, columns=columns, kind=kind
    )
    board.thumbnails = thumbnails_for(
        submissions=[s for column in columns for s in column.page.items]
    )
    return board


def my_submission_count(*, viewer: User, need: Need) -> int:
    """How many of `viewer`'s records answer `need` now (withdrawn ones do not)."""
    return (
        Submission.objects.filter(need=need, record__author=viewer)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .count()
    )


def my_records_for_need(*, viewer: User, need: Need, limit: int = 60) -> list[Record]:
    """`viewer`'s published records of the kinds `need` asks for and not already submitted
    to it, newest first, with their live versions (for the need's "choose one of mine")."""
    return list(
        Record.objects.filter(
            author=viewer,
            kind__in=need.kind_list,
            visibility="published",
            deleted_at__isnull=True,
            live_version__isnull=False,
        )
        .exclude(
            pk__in=Submission.objects.filter(need=need)
            .exclude(status=SubmissionStatus.WITHDRAWN)
            .values("record_id")
        )
        .select_related("live_version")
        .order_by("-published_at", "-pk")[:limit]
    )
