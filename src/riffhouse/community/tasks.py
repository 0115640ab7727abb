"""Community's jobs: delivering notifications (decision 0030)."""

from typing import Any

from django.tasks import task

from riffhouse.community import delivery, digests


@task(queue_name="notifications")
def notifications_deliver(
    *, recipient_ids: list[int], actor_id: int | None, verb: str, targets: dict[str, Any], text: str
) -> int:
    """Write the notifications `community.notify.notify` asked for; returns how many."""
    return delivery.notifications_write(
        recipient_ids=recipient_ids, actor_id=actor_id, verb=verb, targets=targets, text=text
    )


@task(queue_name="notifications")
def notification_digests_send() -> int:
    """The periodic email digests (registered in apps.py); returns how many were sent."""
    return digests.digests_send()
