"""How any app's event becomes notifications (decision 0030): `notify` is the one call.

It writes nothing in the request: it enqueues `community.tasks.notifications_deliver` in
the caller's transaction (so a rolled-back write tells nobody, and a committed one is
delivered by the worker), and the job applies each recipient's preference for the verb's
category (in the app, in the app and an email digest, or off), blocks, and "nobody is told
of their own action".
"""

from collections.abc import Iterable

from riffhouse.community.models import NotificationCategory, NotificationVerb

V = NotificationVerb
C = NotificationCategory

# Every verb's category: what a member's preference is set for.
VERB_CATEGORIES: dict[str, str] = {
    V.REMIXED: C.REMIXES,
    V.REMIX_REQUESTED: C.REMIXES,
    V.REMIX_APPROVED: C.REMIXES,
    V.REMIX_DECLINED: C.REMIXES,
    V.SUBMISSION_RECEIVED: C.SUBMISSIONS,
    V.SUBMISSION_SHORTLISTED: C.SUBMISSIONS,
    V.SUBMISSION_SELECTED: C.SUBMISSIONS,
    V.SUBMISSION_DECLINED: C.SUBMISSIONS,
    V.SUBMISSION_RETURNED: C.SUBMISSIONS,
    V.SUBMISSION_WITHDRAWN: C.SUBMISSIONS,
    V.SUBMISSION_CONSENT_REQUESTED: C.SUBMISSIONS,
    V.SUBMISSION_CONSENT_APPROVED: C.SUBMISSIONS,
    V.SUBMISSION_CONSENT_DECLINED: C.SUBMISSIONS,
    V.PRODUCER_ADDED: C.SUBMISSIONS,
    V.PRODUCTION_RELEASED: C.RELEASES,
    V.PRODUCTION_UPDATE: C.RELEASES,
    V.FOLLOWED: C.FOLLOWERS,
    V.COMMENTED: C.COMMENTS,
    V.REPLIED: C.COMMENTS,
    V.MENTIONED: C.MENTIONS,
    V.MONEY_ALLOCATED: C.MONEY,
    V.MONEY_PAID: C.MONEY,
    V.MODERATED: C.MODERATION,
    V.APPEAL_DECIDED: C.MODERATION,
}


def notify(
    *,
    recipient_ids: Iterable[int | None],
    actor_id: int | None,
    verb: str,
    record_id: int | None = None,
    source_id: int | None = None,
    remix_request_id: int | None = None,
    production_id: int | None = None,
    submission_id: int | None = None,
    comment_id: int | None = None,
    target_type: str = "",
    target_id: int | None = None,
    text: str = "",
) -> None:
    """Tell each of `recipient_ids` that `actor_id` did `verb` (to the targets named),
    through a job enqueued in the caller's transaction. Ids only: the job reads fresh rows.
    """
    from riffhouse.community.tasks import notifications_deliver

    if verb not in VERB_CATEGORIES:
        raise ValueError(f"unknown notification verb {verb!r}")
    recipients = sorted({pk for pk in recipient_ids if pk is not None and pk != actor_id})
    if not recipients:
        return
    notifications_deliver.enqueue(
        recipient_ids=recipients,
        actor_id=actor_id,
        verb=verb,
        targets={
            "record_id": record_id,
            "source_id": source_id,
            "remix_request_id": remix_request_id,
            "production_id": production_id,
            "submission_id": submission_id,
            "comment_id": comment_id,
            "target_type": target_type,
            "target_id": target_id,
        },
        text=text,
    )
