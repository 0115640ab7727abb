"""The worker's side of `notify` (decision 0030): which recipients hear of an event, and
the rows written for them."""

from typing import Any

from django.db import transaction

from riffhouse.accounts.models import Block, User
from riffhouse.community.models import Delivery, Notification, NotificationPreference
from riffhouse.community.notify import VERB_CATEGORIES

TEXT_MAX = 2000
TARGET_FIELDS = (
    "record_id",
    "source_id",
    "remix_request_id",
    "production_id",
    "submission_id",
    "comment_id",
    "target_type",
    "target_id",
)


def recipients_to_tell(*, recipient_ids: list[int], actor_id: int | None, verb: str) -> list[int]:
    """Of `recipient_ids`: active members who did not turn the verb's category off and did
    not block the actor (nor were blocked by them). Never the actor. Three queries."""
    category = VERB_CATEGORIES[verb]
    ids = set(
        User.objects.filter(
            pk__in=recipient_ids, is_active=True, deleted_at__isnull=True
        ).values_list("pk", flat=True)
    )
    ids.discard(actor_id)
    if not ids:
        return []
    ids -= set(
        NotificationPreference.objects.filter(
            user_id__in=ids, category=category, delivery=Delivery.OFF
        ).values_list("user_id", flat=True)
    )
    if actor_id is not None and ids:
        blocked = Block.objects.filter(blocker_id__in=ids, blocked_id=actor_id).values_list(
            "blocker_id", flat=True
        )
        blocking = Block.objects.filter(blocker_id=actor_id, blocked_id__in=ids).values_list(
            "blocked_id", flat=True
        )
        ids -= set(blocked) | set(blocking)
    return sorted(ids)


@transaction.atomic
def notifications_write(
    *, recipient_ids: list[int], actor_id: int | None, verb: str, targets: dict[str, Any], text: str
) -> int:
    """Write one notification per recipient still to be told, in bulk. Returns how many."""
    told = recipients_to_tell(recipient_ids=recipient_ids, actor_id=actor_id, verb=verb)
    fields = {name: targets.get(name) for name in TARGET_FIELDS}
    fields["target_type"] = fields["target_type"] or ""
    rows = [
        Notification(recipient_id=pk, actor_id=actor_id, verb=verb, text=text[:TEXT_MAX], **fields)
        for pk in told
    ]
    Notification.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
