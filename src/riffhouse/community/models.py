"""Community data. Today: notifications — what happened to a member's work (a remix, a
request, a submission, a release), for them to read."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from riffhouse.lineage.models import RemixRequest
from riffhouse.productions.models import Production, Submission
from riffhouse.records.models import Record


class NotificationVerb(models.TextChoices):
    """What happened. The community issue adds follows, hearts and comments."""

    REMIXED = "remixed", "Remixed your record"
    REMIX_REQUESTED = "remix_requested", "Asked to remix your record"
    REMIX_APPROVED = "remix_approved", "Approved your remix request"
    REMIX_DECLINED = "remix_declined", "Declined your remix request"
    # Productions (`submission` and `production` say which).
    SUBMISSION_RECEIVED = "submission_received", "Submitted to your production"
    SUBMISSION_SHORTLISTED = "submission_shortlisted", "Shortlisted your submission"
    SUBMISSION_SELECTED = "submission_selected", "Selected your submission"
    SUBMISSION_DECLINED = "submission_declined", "Declined your submission"
    SUBMISSION_RETURNED = "submission_returned", "Moved your submission back to submitted"
    SUBMISSION_WITHDRAWN = "submission_withdrawn", "Withdrew a submission to your production"
    SUBMISSION_CONSENT_REQUESTED = "submission_consent", "Asked to submit your record"
    SUBMISSION_CONSENT_APPROVED = (
        "submission_consent_ok",
        "Approved your submission of their record",
    )
    SUBMISSION_CONSENT_DECLINED = (
        "submission_consent_no",
        "Declined your submission of their record",
    )
    PRODUCTION_RELEASED = "production_released", "Released a production you are credited in"
    PRODUCER_ADDED = "producer_added", "Added you as a producer"


class Notification(models.Model):
    """One thing a member should hear about: `actor` did `verb` to their work.

    `record` is the remix, `source` the recipient's record it builds on, `remix_request` the
    request asked or answered; `text` is what the actor wrote with it (a request's message or
    answer) or, for a remix, how the source was used. The sentence itself is written when it
    is shown, so it follows renames. Records and requests are never deleted in practice
    (records become tombstones); if one ever is, the notification stays and reads without it.
    """

    Verb = NotificationVerb

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=32, choices=NotificationVerb.choices)
    record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    remix_request = models.ForeignKey(
        RemixRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    production = models.ForeignKey(
        Production, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(verb__in=NotificationVerb.values),
                name="community_notification_verb_valid",
            ),
        ]
        indexes = [
            # A member's notifications, newest first, paged by (created_at, id).
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="community_notif_recent_idx"
            ),
            # The unread badge on every page: only unread rows are in it, so it stays small.
            models.Index(
                fields=["recipient"],
                name="community_notif_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verb} → {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
