"""Every write of moderation: a member's report, a moderator's action (through the owning
app's service, in one transaction with its audit row, telling the member what happened and
why), its undo, and the member's one appeal and its decision."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from riffhouse.accounts import services as account_services
from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.selectors import user_is_moderator
from riffhouse.accounts.services import audit
from riffhouse.community import moderated
from riffhouse.community.models import Comment, NotificationVerb
from riffhouse.community.notify import notify
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.core.ratelimit import rate_limit_hit
from riffhouse.moderation.models import (
    TARGET_FIELDS,
    Appeal,
    ModerationAction,
    ReasonCategory,
    Report,
)
from riffhouse.moderation.selectors import appeal_decide_refusal
from riffhouse.productions import services as production_services
from riffhouse.productions.models import Production
from riffhouse.productions.selectors import production_can_view
from riffhouse.records import services as record_services
from riffhouse.records.models import Record
from riffhouse.records.selectors import record_can_view

ACTION_TARGET = "moderation.moderationaction"
REASON_MAX = 2000
APPEAL_MAX = 4000


@dataclass(frozen=True)
class TargetRef:
    """What a report or action names: one of `TARGET_FIELDS` and its id (a member by id)."""

    kind: str
    pk: int


def target_ref(
    *,
    record: int | None = None,
    comment: int | None = None,
    production: int | None = None,
    member: int | None = None,
) -> TargetRef:
    """The one target named, or 400 `target_required` when none or several are."""
    given = [
        TargetRef(kind, pk)
        for kind, pk in (
            ("record", record),
            ("comment", comment),
            ("production", production),
            ("member", member),
        )
        if pk is not None
    ]
    if len(given) != 1:
        raise ApplicationError(
            "Name one record, comment, production or member.", code="target_required"
        )
    return given[0]


def _text(value: str, *, what: str, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ApplicationError(f"Write the {what}.", code=f"{field}_required", field=field)
    if len(text) > limit:
        raise ApplicationError(
            f"Keep the {what} under {limit} characters.", code=f"{field}_too_long", field=field
        )
    return text


def _unknown() -> ApplicationError:
    return ApplicationError("There is nothing to report there.", code="target_not_found")


def target_load(*, ref: TargetRef) -> tuple[object, User | None]:
    """The target's row and the member it concerns (its author, creator, or the member).
    400 `target_not_found` for nothing there."""
    if ref.kind == "record":
        record = Record.objects.select_related("author").filter(pk=ref.pk).first()
        if record is None:
            raise _unknown()
        return record, record.author
    if ref.kind == "comment":
        comment = Comment.objects.select_related("author").filter(pk=ref.pk).first()
        if comment is None:
            raise _unknown()
        return comment, comment.author
    if ref.kind == "production":
        production = Production.objects.select_related("created_by").filter(pk=ref.pk).first()
        if production is None:
            raise _unknown()
        return production, production.created_by
    member = User.objects.filter(pk=ref.pk, deleted_at__isnull=True, is_active=True).first()
    if member is None:
        raise _unknown()
    return member, member


def _reportable(*, reporter: User, ref: TargetRef, row: object) -> bool:
    """Whether `reporter` can see what they report (nothing deleted, nothing they may not
    open)."""
    if isinstance(row, Record):
        return row.deleted_at is None and record_can_view(viewer=reporter, record=row)
    if isinstance(row, Comment):
        return row.deleted_at is None
    if isinstance(row, Production):
        return production_can_view(viewer=reporter, production=row)
    return True


# Reports -----------------------------------------------------------------------------------
@transaction.atomic
def report_create(*, reporter: User, target: TargetRef, category: str, text: str) -> Report:
    """File a report of `target` with a reason category and text. Refused: nothing or
    something unknown reported (400), yourself or your own content (400 `own_content`), an
    empty reason (400), a second open report of the same target (409 `already_reported`),
    too many reports in a short time (429)."""
    if category not in ReasonCategory.values:
        raise ApplicationError("Choose a reason.", code="category_invalid", field="category")
    text = _text(text, what="reason", field="text", limit=REASON_MAX)
    row, subject = target_load(ref=target)
    if not _reportable(reporter=reporter, ref=target, row=row):
        raise _unknown()
    if subject is not None and subject.pk == reporter.pk:
        what = "yourself" if target.kind == "member" else "your own work"
        raise ApplicationError(f"You cannot report {what}.", code="own_content")
    if Report.objects.filter(
        reporter=reporter, status=Report.Status.OPEN, **{f"{target.kind}_id": target.pk}
    ).exists():
        raise ApplicationError(
            "You reported this already; moderators will look at it.",
            code="already_reported",
            status=409,
        )
    rate_limit_hit(action="report", user_id=reporter.pk, joined_at=reporter.date_joined)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                category=category,
                text=text,
                **{f"{target.kind}_id": target.pk},
            )
    except IntegrityError as exc:  # the same report, sent twice at once
        raise ApplicationError(
            "You reported this already; moderators will look at it.",
            code="already_reported",
            status=409,
        ) from exc
    audit(
        action=AuditEvent.Action.REPORT_FILED,
        actor=reporter,
        subject=reporter,
        target=report,
        about=target.kind,
        about_id=target.pk,
        category=category,
    )
    return report


def _check_moderator(actor: User) -> None:
    if not user_is_moderator(user=actor):
        raise PermissionDenied("Only moderators can do that.", code="not_moderator")


@transaction.atomic
def reports_dismiss(*, moderator: User, target: TargetRef, note: str = "") -> int:
    """Close the open reports of `target` with no action (nothing broke the rules). Returns
    how many were closed."""
    _check_moderator(moderator)
    closed = Report.objects.filter(
        status=Report.Status.OPEN, **{f"{target.kind}_id": target.pk}
    ).update(status=Report.Status.DISMISSED, closed_at=timezone.now(), closed_by=moderator)
    if closed:
        audit(
            action=AuditEvent.Action.MODERATION_ACTION,
            actor=moderator,
            subject=None,
            about=target.kind,
            about_id=target.pk,
            kind="dismiss",
            reports=closed,
            note=note,
        )
    return closed


# Actions -----------------------------------------------------------------------------------
ALLOWED: dict[str, set[str]] = {
    ModerationAction.Kind.HIDE: {"record", "comment", "production"},
    ModerationAction.Kind.REMOVE: {"record", "comment"},
    ModerationAction.Kind.WARN: set(TARGET_FIELDS),
    ModerationAction.Kind.SUSPEND: set(TARGET_FIELDS),
}


def _apply(
    *,
    moderator: User,
    kind: str,
    row: object,
    subject: User | None,
    reason: str,
    until: datetime | None,
) -> datetime | None:
    """Carry out `kind` through the owning app's service; the suspension's end for one."""
    if kind == ModerationAction.Kind.HIDE:
        if isinstance(row, Record):
            record_services.record_hide(moderator=moderator, record=row, reason=reason)
        elif isinstance(row, Comment):
            moderated.comment_hide(moderator=moderator, comment=row, reason=reason)
        elif isinstance(row, Production):
            production_services.production_hide(moderator=moderator, production=row, reason=reason)
    elif kind == ModerationAction.Kind.REMOVE:
        if isinstance(row, Record):
            record_services.record_remove(moderator=moderator, record=row, reason=reason)
        elif isinstance(row, Comment):
            moderated.comment_remove(moderator=moderator, comment=row, reason=reason)
    elif kind == ModerationAction.Kind.SUSPEND:
        if subject is None:
            raise ApplicationError("Nobody to suspend: its author left.", code="no_member")
        if until is not None and until <= timezone.now():
            raise ApplicationError("Choose an end in the future.", code="until_past", field="until")
        suspended = account_services.user_suspend(
            moderator=moderator, user=subject, reason=reason, until=until
        )
        return suspended.suspended_until
    return None


@changes_public_pages
@transaction.atomic
def action_take(
    *,
    moderator: User,
    target: TargetRef,
    kind: str,
    reason: str,
    until: datetime | None = None,
) -> ModerationAction:
    """A moderator hides, removes, warns or suspends (the member, or the author of the
    content) with a reason: done through the owning app's service, the open reports of the
    target closed as actioned, an audit row, and the member told what happened and why
    (with a link to appeal). 403 for a non-moderator; 400 for an empty reason or an action
    the target does not take."""
    _check_moderator(moderator)
    if kind not in ModerationAction.Kind.values:
        raise ApplicationError("Choose hide, remove, warn or suspend.", code="kind_invalid")
    reason = _text(reason, what="reason", field="reason", limit=REASON_MAX)
    if target.kind not in ALLOWED[kind]:
        raise ApplicationError(
            f"A {target.kind} cannot be given “{kind}”.", code="kind_not_allowed", field="kind"
        )
    row, subject = target_load(ref=target)
    if subject is not None and subject.pk == moderator.pk:
        raise ApplicationError("You cannot moderate your own work.", code="own_content")
    suspended_until = _apply(
        moderator=moderator, kind=kind, row=row, subject=subject, reason=reason, until=until
    )
    action = ModerationAction.objects.create(
        moderator=moderator,
        subject=subject,
        kind=kind,
        reason=reason,
        suspended_until=suspended_until,
        **{f"{target.kind}_id": target.pk},
    )
    reports = list(
        Report.objects.filter(status=Report.Status.OPEN, **{f"{target.kind}_id": target.pk})
    )
    if reports:
        action.reports.set(reports)
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(
            status=Report.Status.ACTIONED, closed_at=timezone.now(), closed_by=moderator
        )
    audit(
        action=AuditEvent.Action.MODERATION_ACTION,
        actor=moderator,
        subject=subject,
        target=action,
        kind=kind,
        about=target.kind,
        about_id=target.pk,
        reason=reason,
        reports=[r.pk for r in reports],
    )
    if subject is not None:
        # Moderators act as "the moderators": no actor, so a member who blocked one of them
        # is still told.
        notify(
            recipient_ids=[subject.pk],
            actor_id=None,
            verb=NotificationVerb.MODERATED,
            text=reason,
            target_type=ACTION_TARGET,
            target_id=action.pk,
        )
    return action


def _action_lock(action_id: int) -> ModerationAction:
    action = (
        ModerationAction.objects.select_for_update(of=("self",))
        .select_related("record", "comment", "production", "member", "subject")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise NotFound("No moderation action here.")
    return action


def _restore(*, moderator: User, action: ModerationAction, reason: str) -> None:
    if action.kind == ModerationAction.Kind.HIDE:
        if action.record is not None:
            record_services.record_unhide(moderator=moderator, record=action.record, reason=reason)
        elif action.comment is not None:
            moderated.comment_unhide(moderator=moderator, comment=action.comment, reason=reason)
        elif action.production is not None:
            production_services.production_unhide(
                moderator=moderator, production=action.production, reason=reason
            )
    elif action.kind == ModerationAction.Kind.SUSPEND and action.subject is not None:
        account_services.user_unsuspend(moderator=moderator, user=action.subject, reason=reason)


@changes_public_pages
@transaction.atomic
def action_undo(*, moderator: User, action_id: int, reason: str) -> ModerationAction:
    """Undo a hide (shown again) or a suspension (lifted), with a reason; the member is
    told. A removal (a tombstone) and a warning cannot be undone (409 `not_undoable`)."""
    _check_moderator(moderator)
    reason = _text(reason, what="reason", field="reason", limit=REASON_MAX)
    action = _action_lock(action_id)
    if action.undone_at is not None:
        raise ApplicationError("It was undone already.", code="already_undone", status=409)
    if not action.undoable:
        raise ApplicationError(
            f"A {action.get_kind_display().lower()} cannot be undone.",
            code="not_undoable",
            status=409,
        )
    _undo(moderator=moderator, action=action, reason=reason)
    return action


def _undo(*, moderator: User, action: ModerationAction, reason: str) -> None:
    _restore(moderator=moderator, action=action, reason=reason)
    action.undone_at = timezone.now()
    action.undone_by = moderator
    action.undo_reason = reason
    action.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    audit(
        action=AuditEvent.Action.MODERATION_UNDONE,
        actor=moderator,
        subject=action.subject,
        target=action,
        reason=reason,
    )
    if action.subject_id is not None:
        notify(
            recipient_ids=[action.subject_id],
            actor_id=None,
            verb=NotificationVerb.MODERATED,
            text=f"Undone: {reason}",
            target_type=ACTION_TARGET,
            target_id=action.pk,
        )


# Appeals -----------------------------------------------------------------------------------
@transaction.atomic
def appeal_create(*, member: User, action_id: int, text: str) -> Appeal:
    """The member an action concerns appeals it, once (409 `already_appealed`), with their
    text. Others get 404 (they are not told of someone else's case)."""
    action = _action_lock(action_id)
    if action.subject_id != member.pk:
        raise NotFound("No moderation action here.")
    text = _text(text, what="appeal", field="text", limit=APPEAL_MAX)
    if action.undone_at is not None:
        raise ApplicationError("It was undone already.", code="already_undone", status=409)
    if Appeal.objects.filter(action=action).exists():
        raise ApplicationError(
            "You appealed this already: each action can be appealed once.",
            code="already_appealed",
            status=409,
        )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(action=action, member=member, text=text)
    except IntegrityError as exc:
        raise ApplicationError(
            "You appealed this already: each action can be appealed once.",
            code="already_appealed",
            status=409,
        ) from exc
    audit(action=AuditEvent.Action.APPEAL_FILED, actor=member, subject=member, target=appeal)
    return appeal


@changes_public_pages
@transaction.atomic
def appeal_decide(*, moderator: User, appeal_id: int, grant: bool, note: str) -> Appeal:
    """A moderator decides an appeal with a note the member reads: granted undoes the action
    (when it can be undone), upheld keeps it. The member is told. Another moderator than
    the one who acted decides (403 `own_action`, unless no other could), and never the
    member appealing (403 `own_appeal`): `selectors.appeal_decide_refusal`."""
    _check_moderator(moderator)
    note = _text(note, what="note", field="note", limit=REASON_MAX)
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("action")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise NotFound("No appeal here.")
    refusal = appeal_decide_refusal(moderator=moderator, appeal=appeal)
    if refusal is not None:
        raise refusal
    if appeal.status != Appeal.Status.OPEN:
        raise ApplicationError("It was decided already.", code="already_decided", status=409)
    action = _action_lock(appeal.action_id)
    if grant and action.undoable:
        _undo(moderator=moderator, action=action, reason=f"Appeal granted: {note}")
    appeal.status = Appeal.Status.GRANTED if grant else Appeal.Status.UPHELD
    appeal.decided_at = timezone.now()
    appeal.decided_by = moderator
    appeal.note = note
    appeal.save(update_fields=["status", "decided_at", "decided_by", "note"])
    audit(
        action=AuditEvent.Action.APPEAL_DECIDED,
        actor=moderator,
        subject=appeal.member,
        target=appeal,
        status=appeal.status,
        note=note,
    )
    notify(
        recipient_ids=[appeal.member_id],
        actor_id=None,
        verb=NotificationVerb.APPEAL_DECIDED,
        text=note,
        target_type=ACTION_TARGET,
        target_id=action.pk,
    )
    return appeal
