"""Community writes for notifications: what lineage and productions tell us happened to a
member's work (registered on their hooks in `apps.py`) becomes `notify(...)` calls — a job
enqueued in the change's transaction, so nothing is written in the request (decision
0030) — and marking notifications read, and a member's notification preferences."""

import os
from collections.abc import Collection, Mapping, Sequence
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.services import audit
from riffhouse.community import selectors
from riffhouse.community.models import (
    Delivery,
    Follow,
    Notification,
    NotificationCategory,
    NotificationPreference,
    NotificationVerb,
)
from riffhouse.community.notify import notify
from riffhouse.core.email import email_enqueue
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.productions.models import (
    Production,
    ProductionStatus,
    Submission,
    SubmissionConsent,
)
from riffhouse.records.models import Record

TEXT_MAX = 2000


@transaction.atomic
def notification_create(
    *,
    recipient: User | None,
    actor: User | None,
    verb: str,
    record: Record | None = None,
    source: Record | None = None,
    remix_request: RemixRequest | None = None,
    text: str = "",
    production: Production | None = None,
    submission: Submission | None = None,
) -> Notification | None:
    """Write one notification now, in the caller's transaction (tests and fixtures that need
    a row at once). Events go through `community.notify.notify`, delivered by a job. Nobody
    is told about their own action, and a deleted or deactivated member (`is_active` False)
    is told nothing: both return None."""
    if verb not in NotificationVerb.values:
        raise ValueError(f"unknown notification verb {verb!r}")
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    return Notification.objects.create(
        recipient=recipient,
        actor=actor,
        verb=verb,
        record=record,
        source=source,
        remix_request=remix_request,
        production=production,
        submission=submission,
        text=text[:TEXT_MAX],
    )


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Collection[int] | None = None) -> int:
    """Mark `user`'s notifications read: those in `ids`, or all of them when `ids` is None.
    Ids that are not `user`'s, or already read, are skipped (someone else's notifications
    are not admitted to exist). Returns how many changed."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (already read: left as it is). Someone else's
    notification, or one that does not exist, is NotFound alike."""
    notification = Notification.objects.filter(recipient_id=user.pk, pk=notification_id).first()
    if notification is None:
        raise NotFound("No such notification.", code="notification_not_found")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_preferences_set(
    *, user: User, preferences: Mapping[str, str | None]
) -> dict[str, str]:
    """Set how `user` hears of each category named in `preferences` (category -> delivery:
    in_app, digest or off); categories left out keep their setting. An unknown category or
    delivery is an ApplicationError (nothing saved). Returns every category's delivery."""
    wanted: dict[str, str] = {}
    for category, delivery in preferences.items():
        if category not in NotificationCategory.values:
            raise ApplicationError(
                f"There is no notification category {category!r}.",
                code="unknown_category",
                field=category,
            )
        if delivery is None or delivery not in Delivery.values:
            raise ApplicationError(
                f"Choose {', '.join(Delivery.values)} for {category}.",
                code="invalid_delivery",
                field=category,
            )
        wanted[category] = delivery
    before = selectors.notification_preferences(user=user)
    changed = {c: d for c, d in wanted.items() if before[c] != d}
    for category, delivery in changed.items():
        if delivery == Delivery.IN_APP:  # the default: no row
            NotificationPreference.objects.filter(user=user, category=category).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, category=category, defaults={"delivery": delivery}
            )
    if changed:
        audit(
            action=AuditEvent.Action.NOTIFICATION_PREFS_CHANGED,
            subject=user,
            actor=user,
            before={c: before[c] for c in changed},
            after=changed,
        )
    return {**before, **changed}


# What lineage tells us (registered on lineage's hooks in apps.py) ----------------------------
def notification_create_for_remix(*, link: SourceLink) -> None:
    """A published remix builds on `link.source`: tell the source's author, with how their
    work was used."""
    remix, source = link.record, link.source
    notify(
        recipient_ids=[source.author_id],
        actor_id=remix.author_id,
        verb=NotificationVerb.REMIXED,
        record_id=remix.pk,
        source_id=source.pk,
        text=link.usage,
    )


def _may_email(recipient: User | None, actor_id: int | None) -> bool:
    """An email that awaits an answer goes to an active member with an address, never to
    the one who asked."""
    return (
        recipient is not None
        and recipient.is_active
        and recipient.deleted_at is None
        and recipient.pk != actor_id
        and bool(recipient.email)
    )


def notification_create_for_remix_request(
    *, request: RemixRequest, base_url: str | None = None
) -> None:
    """Someone asks to remix a record: tell its author here and by email (both jobs on the
    notifications queue, enqueued in the request's transaction). `base_url` (scheme and host)
    makes the email's link absolute; without it, see `_base_url`."""
    owner = request.owner
    notify(
        recipient_ids=[request.owner_id],
        actor_id=request.requester_id,
        verb=NotificationVerb.REMIX_REQUESTED,
        record_id=request.remix_id,
        source_id=request.source_id,
        remix_request_id=request.pk,
        text=request.message,
    )
    if owner is not None and _may_email(owner, request.requester_id):
        email_enqueue(
            to=owner.email,
            template="community/email/remix_requested",
            context={
                "owner": owner,
                "requester": request.requester,
                "source": request.source,
                "remix": request.remix,
                "message": request.message,
                "review_url": (base_url or _base_url()).rstrip("/") + _review_path(request),
            },
        )


def notification_create_for_remix_decision(*, request: RemixRequest) -> None:
    """The source's author approved or declined a request: tell the requester, with the
    author's note. Any other status (withdrawn, pending) tells no one."""
    verbs: dict[str, str] = {
        RemixRequest.Status.APPROVED: NotificationVerb.REMIX_APPROVED,
        RemixRequest.Status.DECLINED: NotificationVerb.REMIX_DECLINED,
    }
    verb = verbs.get(request.status)
    if verb is None:
        return
    notify(
        recipient_ids=[request.requester_id],
        actor_id=request.owner_id,
        verb=verb,
        record_id=request.remix_id,
        source_id=request.source_id,
        remix_request_id=request.pk,
        text=request.response_note,
    )


def _review_path(request: RemixRequest) -> str:
    """The request's own page, where the source's author sees the remix and answers (the URL
    is looked up when needed, so this module imports without lineage's pages)."""
    try:
        return reverse("lineage:request", args=[request.pk])
    except NoReverseMatch:
        return request.remix.get_absolute_url()


def _base_url() -> str:
    """Scheme and host for links in email sent without a request to read them from:
    `SITE_URL` when the instance sets one, else the first concrete `ALLOWED_HOSTS` entry
    (HTTPS when the instance redirects to it; `make run`'s port otherwise)."""
    configured = str(settings.SITE_URL or "")
    if configured:
        return configured.rstrip("/")
    host = next(
        (h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")), "localhost"
    )
    if settings.SECURE_SSL_REDIRECT:
        return f"https://{host}"
    return f"http://{host}:{os.environ.get('PORT', '8000')}"


# What productions tell us about submissions and producers (registered in apps.py) -----------
_STATUS_VERBS: dict[str, str] = {
    "shortlisted": NotificationVerb.SUBMISSION_SHORTLISTED,
    "selected": NotificationVerb.SUBMISSION_SELECTED,
    "declined": NotificationVerb.SUBMISSION_DECLINED,
    "submitted": NotificationVerb.SUBMISSION_RETURNED,
}


def _producer_ids(production: Production) -> list[int]:
    return list(production.producers.values_list("user_id", flat=True))


class _SubmissionTargets(TypedDict):
    record_id: int
    production_id: int
    submission_id: int


def _about_submission(submission: Submission) -> _SubmissionTargets:
    return {
        "record_id": submission.record_id,
        "production_id": submission.production_id,
        "submission_id": submission.pk,
    }


def notification_create_for_submission(
    *, submission: Submission, base_url: str | None = None
) -> None:
    """A record was submitted: for someone else's `ask` record, ask its author (here and by
    email, like a remix request); otherwise tell the producers."""
    record = submission.record
    if submission.consent == SubmissionConsent.ASKED:
        owner = record.author
        notify(
            recipient_ids=[record.author_id],
            actor_id=submission.submitted_by_id,
            verb=NotificationVerb.SUBMISSION_CONSENT_REQUESTED,
            text=submission.message,
            **_about_submission(submission),
        )
        if owner is not None and _may_email(owner, submission.submitted_by_id):
            email_enqueue(
                to=owner.email,
                template="community/email/submission_consent",
                context={
                    "owner": owner,
                    "submitter": submission.submitted_by,
                    "record": record,
                    "production": submission.production,
                    "message": submission.message,
                    "review_url": (base_url or _base_url()).rstrip("/")
                    + _submission_path(submission),
                },
            )
        return
    _tell_producers(submission)


def _tell_producers(submission: Submission) -> None:
    notify(
        recipient_ids=_producer_ids(submission.production),
        actor_id=submission.submitted_by_id,
        verb=NotificationVerb.SUBMISSION_RECEIVED,
        text=submission.message,
        **_about_submission(submission),
    )


def notification_create_for_submission_consent(*, submission: Submission) -> None:
    """The record's author answered: tell the member who submitted it, with the note; on
    approval the producers hear of the submission too."""
    verb = (
        NotificationVerb.SUBMISSION_CONSENT_APPROVED
        if submission.consent == SubmissionConsent.APPROVED
        else NotificationVerb.SUBMISSION_CONSENT_DECLINED
    )
    notify(
        recipient_ids=[submission.submitted_by_id],
        actor_id=submission.record.author_id,
        verb=verb,
        text=submission.consent_note,
        **_about_submission(submission),
    )
    if submission.consent == SubmissionConsent.APPROVED:
        _tell_producers(submission)


def notification_create_for_submission_status(*, submission: Submission, actor: User) -> None:
    """Producers moved a submission: tell its contributor (and the record's author when
    someone else submitted it), with the producers' note. (A withdrawal has its own hook:
    `notification_create_for_submission_withdrawn` tells the producers.)"""
    verb = _STATUS_VERBS.get(submission.status)
    if verb is None:
        return
    notify(
        recipient_ids=[submission.submitted_by_id, submission.record.author_id],
        actor_id=actor.pk,
        verb=verb,
        text=submission.note,
        **_about_submission(submission),
    )


def notification_create_for_submission_withdrawn(*, submission: Submission, actor: User) -> None:
    """A contributor (or the record's author) withdrew a submission: tell each producer, so
    a piece they were weighing does not vanish from the board unexplained. Producers never
    saw a submission still waiting for (or refused) its author's consent: nobody is told."""
    if submission.consent not in (SubmissionConsent.NOT_NEEDED, SubmissionConsent.APPROVED):
        return
    notify(
        recipient_ids=_producer_ids(submission.production),
        actor_id=actor.pk,
        verb=NotificationVerb.SUBMISSION_WITHDRAWN,
        **_about_submission(submission),
    )


def notification_create_for_producer_added(
    *, production: Production, user: User, actor: User
) -> None:
    """`actor` made `user` a co-producer of `production`."""
    notify(
        recipient_ids=[user.pk],
        actor_id=actor.pk,
        verb=NotificationVerb.PRODUCER_ADDED,
        production_id=production.pk,
    )


def _submission_path(submission: Submission) -> str:
    try:
        return reverse("productions:submission", args=[submission.pk])
    except NoReverseMatch:
        return submission.record.get_absolute_url()


# What productions tell us (registered on productions' hooks in apps.py) ---------------------
def _follower_ids(production: Production) -> list[int]:
    return list(Follow.objects.filter(production=production).values_list("follower_id", flat=True))


def notifications_create_for_release(
    *, production: Production, credited_user_ids: Sequence[int]
) -> None:
    """A production was released: tell every credited contributor, and (as an update) its
    followers who are not credited. The production's first producer is the actor, and is not
    told about their own release. The job writes the rows in bulk, however many."""
    credited = set(credited_user_ids)
    notify(
        recipient_ids=credited,
        actor_id=production.created_by_id,
        verb=NotificationVerb.PRODUCTION_RELEASED,
        production_id=production.pk,
    )
    notify(
        recipient_ids=[pk for pk in _follower_ids(production) if pk not in credited],
        actor_id=production.created_by_id,
        verb=NotificationVerb.PRODUCTION_UPDATE,
        production_id=production.pk,
        text="Released: it is out now.",
    )


def notifications_create_for_production_status(
    *, production: Production, actor: User, was: str
) -> None:
    """A production opened for submissions: its followers hear of it (an update). Other
    moves (closing, back to a draft, archiving) tell nobody."""
    if production.status != ProductionStatus.OPEN:
        return
    notify(
        recipient_ids=_follower_ids(production),
        actor_id=actor.pk,
        verb=NotificationVerb.PRODUCTION_UPDATE,
        production_id=production.pk,
        text="Open for submissions.",
    )
