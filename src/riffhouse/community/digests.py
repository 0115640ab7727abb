"""Email digests (decision 0033): members who set a category to "in the app and an email
digest" get, at most once a day, one email listing that category's notifications no digest
has carried yet. Run by `tasks.notification_digests_send`, registered as a periodic job.

Members are read in batches: for each batch, one query for what was emailed in the last day,
one for their pending notifications (with what the lines show), one for the members, and
one UPDATE marking what was sent — never a query per member."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.community.models import Delivery, Notification, NotificationPreference
from riffhouse.community.notify import VERB_CATEGORIES
from riffhouse.core.email import email_enqueue

BATCH = 500
EVERY = timedelta(days=1)  # at most one digest a day per member
LOOKBACK = timedelta(days=7)  # older notifications are not worth an email any more
MAX_LINES = 50


def _digest_members(batch: int) -> Iterator[dict[int, set[str]]]:
    """Members with a category set to "digest", a batch at a time: {user id: categories}."""
    after = 0
    while True:
        ids = list(
            NotificationPreference.objects.filter(delivery=Delivery.EMAIL_DIGEST, user_id__gt=after)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:batch]
        )
        if not ids:
            return
        categories: dict[int, set[str]] = defaultdict(set)
        for user_id, category in NotificationPreference.objects.filter(
            delivery=Delivery.EMAIL_DIGEST, user_id__in=ids
        ).values_list("user_id", "category"):
            categories[user_id].add(category)
        yield categories
        after = ids[-1]


def _line(notification: Notification) -> str:
    """One notification as a sentence of plain text."""
    n = notification
    actor = n.actor.name if n.actor is not None else "Someone"
    label = n.get_verb_display()
    what = n.production or n.record or n.source
    title = f": “{what.title}”" if what is not None else ""
    return f"{actor[:1].upper()}{actor[1:]} — {label[:1].lower()}{label[1:]}{title}"


def _send_batch(categories: dict[int, set[str]], *, now: datetime, base_url: str) -> int:
    recent = set(
        Notification.objects.filter(recipient_id__in=list(categories))
        .values("recipient_id")
        .annotate(last=Max("emailed_at"))
        .filter(last__gt=now - EVERY)
        .values_list("recipient_id", flat=True)
    )
    due = {pk: cats for pk, cats in categories.items() if pk not in recent}
    if not due:
        return 0
    verbs = {v for v, c in VERB_CATEGORIES.items() if any(c in cats for cats in due.values())}
    pending: dict[int, list[Notification]] = defaultdict(list)
    for n in (
        Notification.objects.filter(
            recipient_id__in=list(due),
            emailed_at__isnull=True,
            verb__in=verbs,
            created_at__gt=now - LOOKBACK,
        )
        .select_related("actor", "record", "source", "production")
        .order_by("recipient_id", "-created_at", "-pk")
    ):
        if VERB_CATEGORIES[n.verb] in due[n.recipient_id]:
            pending[n.recipient_id].append(n)
    if not pending:
        return 0
    members = User.objects.filter(
        pk__in=list(pending), is_active=True, deleted_at__isnull=True
    ).exclude(email="")
    sent: list[int] = []
    emailed = 0
    for member in members:
        items = pending[member.pk]
        email_enqueue(
            to=member.email,
            template="community/email/digest",
            context={
                "member": member,
                "lines": [
                    (_line(n), base_url + reverse("community:notification_open", args=[n.pk]))
                    for n in items[:MAX_LINES]
                ],
                "count": len(items),
                "more": max(0, len(items) - MAX_LINES),
                "notifications_url": base_url + reverse("community:notifications"),
                "settings_url": base_url + reverse("community:notification_settings"),
            },
        )
        sent += [n.pk for n in items]
        emailed += 1
    Notification.objects.filter(pk__in=sent).update(emailed_at=now)
    return emailed


def digests_send(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Email each member whose digest is due. Returns how many were emailed. Each batch is
    its own transaction: the emails (jobs) and `emailed_at` commit together."""
    from riffhouse.community.services import _base_url

    now = now or timezone.now()
    base_url = _base_url()
    emailed = 0
    for categories in _digest_members(batch):
        with transaction.atomic():
            emailed += _send_batch(categories, now=now, base_url=base_url)
    return emailed
