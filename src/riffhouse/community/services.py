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
from riffhouse.productions.models import Production
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
