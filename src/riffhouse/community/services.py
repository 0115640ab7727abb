"""Community writes. Today: notifications, made when lineage tells us what happened to a
member's work (registered on `lineage.hooks` in `apps.py`), and marking them read."""

import os
from collections.abc import Collection, Sequence

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.community.models import Notification, NotificationVerb
from riffhouse.core.email import email_enqueue
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.productions.models import Production, Submission, SubmissionConsent
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
    """Tell `recipient` that `actor` did `verb`. Nobody is told about their own action, and a
    deleted or deactivated member (`is_active` False) is told nothing: both return None."""
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


# What lineage tells us (registered on lineage's hooks in apps.py) ----------------------------
def notification_create_for_remix(*, link: SourceLink) -> Notification | None:
    """A published remix builds on `link.source`: tell the source's author, with how their
    work was used. Sent inside the remix's transaction."""
    remix, source = link.record, link.source
    return notification_create(
        recipient=source.author,
        actor=remix.author,
        verb=NotificationVerb.REMIXED,
        record=remix,
        source=source,
        text=link.usage,
    )


def notification_create_for_remix_request(
    *, request: RemixRequest, base_url: str | None = None
) -> Notification | None:
    """Someone asks to remix a record: tell its author here and by email (a job on the
    notifications queue, written in the request's transaction). `base_url` (scheme and host)
    makes the email's link absolute; without it, see `_base_url`."""
    owner = request.owner
    notification = notification_create(
        recipient=owner,
        actor=request.requester,
        verb=NotificationVerb.REMIX_REQUESTED,
        record=request.remix,
        source=request.source,
        remix_request=request,
        text=request.message,
    )
    if notification is not None and owner is not None and owner.email:
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
    return notification


def notification_create_for_remix_decision(*, request: RemixRequest) -> Notification | None:
    """The source's author approved or declined a request: tell the requester, with the
    author's note. Any other status (withdrawn, pending) tells no one."""
    verbs: dict[str, str] = {
        RemixRequest.Status.APPROVED: NotificationVerb.REMIX_APPROVED,
        RemixRequest.Status.DECLINED: NotificationVerb.REMIX_DECLINED,
    }
    verb = verbs.get(request.status)
    if verb is None:
        return None
    return notification_create(
        recipient=request.requester,
        actor=request.owner,
        verb=verb,
        record=request.remix,
        source=request.source,
        remix_request=request,
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


def _producers_of(production: Production) -> list[User]:
    return [p.user for p in production.producers.select_related("user")]


def notification_create_for_submission(
    *, submission: Submission, base_url: str | None = None
) -> list[Notification]:
    """A record was submitted: for someone else's `ask` record, ask its author (here and by
    email, like a remix request); otherwise tell the producers."""
    record = submission.record
    if submission.consent == SubmissionConsent.ASKED:
        owner = record.author
        notification = notification_create(
            recipient=owner,
            actor=submission.submitted_by,
            verb=NotificationVerb.SUBMISSION_CONSENT_REQUESTED,
            record=record,
            production=submission.production,
            submission=submission,
            text=submission.message,
        )
        if notification is not None and owner is not None and owner.email:
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
        return [notification] if notification is not None else []
    return _tell_producers(submission)


def _tell_producers(submission: Submission) -> list[Notification]:
    made = [
        notification_create(
            recipient=producer,
            actor=submission.submitted_by,
            verb=NotificationVerb.SUBMISSION_RECEIVED,
            record=submission.record,
            production=submission.production,
            submission=submission,
            text=submission.message,
        )
        for producer in _producers_of(submission.production)
    ]
    return [n for n in made if n is not None]


def notification_create_for_submission_consent(*, submission: Submission) -> list[Notification]:
    """The record's author answered: tell the member who submitted it, with the note; on
    approval the producers hear of the submission too."""
    verb = (
        NotificationVerb.SUBMISSION_CONSENT_APPROVED
        if submission.consent == SubmissionConsent.APPROVED
        else NotificationVerb.SUBMISSION_CONSENT_DECLINED
    )
    told = notification_create(
        recipient=submission.submitted_by,
        actor=submission.record.author,
        verb=verb,
        record=submission.record,
        production=submission.production,
        submission=submission,
        text=submission.consent_note,
    )
    made = [told] if told is not None else []
    if submission.consent == SubmissionConsent.APPROVED:
        made += _tell_producers(submission)
    return made


def notification_create_for_submission_status(
    *, submission: Submission, actor: User
) -> list[Notification]:
    """Producers moved a submission: tell its contributor (and the record's author when
    someone else submitted it), with the producers' note. (A withdrawal has its own hook:
    `notification_create_for_submission_withdrawn` tells the producers.)"""
    verb = _STATUS_VERBS.get(submission.status)
    if verb is None:
        return []
    recipients = [submission.submitted_by]
    author = submission.record.author
    if author is not None and author.pk != submission.submitted_by_id:
        recipients.append(author)
    made = [
        notification_create(
            recipient=recipient,
            actor=actor,
            verb=verb,
            record=submission.record,
            production=submission.production,
            submission=submission,
            text=submission.note,
        )
        for recipient in recipients
    ]
    return [n for n in made if n is not None]


def notification_create_for_submission_withdrawn(
    *, submission: Submission, actor: User
) -> list[Notification]:
    """A contributor (or the record's author) withdrew a submission: tell each producer, so
    a piece they were weighing does not vanish from the board unexplained. Producers never
    saw a submission still waiting for (or refused) its author's consent: nobody is told."""
    if submission.consent not in (SubmissionConsent.NOT_NEEDED, SubmissionConsent.APPROVED):
        return []
    made = [
        notification_create(
            recipient=producer,
            actor=actor,
            verb=NotificationVerb.SUBMISSION_WITHDRAWN,
            record=submission.record,
            production=submission.production,
            submission=submission,
        )
        for producer in _producers_of(submission.production)
    ]
    return [n for n in made if n is not None]


def notification_create_for_producer_added(
    *, production: Production, user: User, actor: User
) -> Notification | None:
    """`actor` made `user` a co-producer of `production`."""
    return notification_create(
        recipient=user, actor=actor, verb=NotificationVerb.PRODUCER_ADDED, production=production
    )


def _submission_path(submission: Submission) -> str:
    try:
        return reverse("productions:submission", args=[submission.pk])
    except NoReverseMatch:
        return submission.record.get_absolute_url()


# What productions tell us (registered on productions' hooks in apps.py) ---------------------
def notifications_create_for_release(
    *, production: Production, credited_user_ids: Sequence[int]
) -> int:
    """A production was released: tell every credited contributor (still a member), in one
    bulk insert per few thousand, whatever their number. The production's first producer is
    the actor, and is not told about their own release. Returns how many were told."""
    actor_id = production.created_by_id
    recipients = User.objects.filter(
        pk__in=list(credited_user_ids), is_active=True, deleted_at__isnull=True
    )
    if actor_id is not None:
        recipients = recipients.exclude(pk=actor_id)
    rows = [
        Notification(
            recipient_id=recipient_id,
            actor_id=actor_id,
            verb=NotificationVerb.PRODUCTION_RELEASED,
            production=production,
        )
        for recipient_id in recipients.values_list("pk", flat=True)
    ]
    Notification.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
