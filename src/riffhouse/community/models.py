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
    # Community (decision 0030): `comment` says which; a follow names only the actor (and
    # `production` when a production has a new follower).
    FOLLOWED = "followed", "Followed you"
    COMMENTED = "commented", "Commented on your work"
    REPLIED = "replied", "Replied to your comment"
    MENTIONED = "mentioned", "Mentioned you"
    PRODUCTION_UPDATE = "production_update", "Posted an update to a production you follow"
    # Money (the ledger targets its rows when it lands: decision 0030).
    MONEY_ALLOCATED = "money_allocated", "Allocated money to you"
    MONEY_PAID = "money_paid", "Paid you"
    # Moderation: what moderators did to your work or account, and why (`text`).
    MODERATED = "moderated", "Moderated your content"
    APPEAL_DECIDED = "appeal_decided", "Decided your appeal"


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
    comment = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Targets of apps that land later (the ledger's allocations and payouts, moderation's
    # cases): the row's label ("ledger.payout") and id, shown through community's target
    # registry (`community.targets`), so community never imports their models.
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When an email digest carried it (None: not yet, or its category is in-app only).
    emailed_at = models.DateTimeField(null=True, blank=True)

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


# The community issue's data (decision 0030) -------------------------------------------------
# Each of these is community's own: other apps read them through community's selectors, and
# counts pages show are kept in the `*Stats` rows, moved in the same transaction as the write
# that changes them (so they stay exact: F() updates, never read-modify-write).


class Follow(models.Model):
    """`follower` follows a member (`user`) or a production: exactly one of the two."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_rows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follower_rows",
    )
    production = models.ForeignKey(
        Production, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(production__isnull=True))
                | (Q(user__isnull=True) & Q(production__isnull=False)),
                name="community_follow_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(follower=models.F("user")), name="community_follow_not_self"
            ),
            models.UniqueConstraint(
                fields=["follower", "user"],
                condition=Q(user__isnull=False),
                name="community_follow_user_unique",
            ),
            models.UniqueConstraint(
                fields=["follower", "production"],
                condition=Q(production__isnull=False),
                name="community_follow_production_unique",
            ),
        ]
        indexes = [
            # A member's followers, newest first (and "who follows this production").
            models.Index(fields=["user", "-created_at", "-id"], name="community_follow_user_idx"),
            models.Index(
                fields=["production", "-created_at", "-id"], name="community_follow_prod_idx"
            ),
            # Whom a member follows (their feed's authors), newest first.
            models.Index(
                fields=["follower", "-created_at", "-id"], name="community_follow_follower_idx"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.follower_id} follows {self.user_id or 'production ' + str(self.production_id)}"
        )


class Heart(models.Model):
    """One member's heart on a record or a production (exactly one of the two)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    production = models.ForeignKey(
        Production, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(record__isnull=False) & Q(production__isnull=True))
                | (Q(record__isnull=True) & Q(production__isnull=False)),
                name="community_heart_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "record"],
                condition=Q(record__isnull=False),
                name="community_heart_record_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "production"],
                condition=Q(production__isnull=False),
                name="community_heart_production_unique",
            ),
        ]
        indexes = [
            # Recent hearts on a record (trending counts the last days).
            models.Index(fields=["record", "-created_at"], name="community_heart_record_idx"),
            models.Index(fields=["production", "-created_at"], name="community_heart_prod_idx"),
            # Feeds: trending reads the hearts of the last days (a range over the newest).
            models.Index(fields=["created_at"], name="community_heart_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"heart by {self.user_id} on {self.record_id or self.production_id}"


class Comment(models.Model):
    """A comment on a record, or on a production (optionally on one of its segments, by
    its 1-based `segment_number`: a released lineup's positions never change, while its
    segment rows are replaced whenever a lineup is rewritten).

    Threads: `parent` is the comment replied to (None for a top-level comment), `root` the
    top-level comment of the thread (None for a top-level one). Markdown `body`
    is rendered once, sanitised, into `body_html`. Deleting by its author leaves a
    tombstone (`deleted_at`, body emptied) so replies keep their place; moderators hide
    (`hidden_at`). Every earlier text is kept in `CommentRevision` for moderators."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    production = models.ForeignKey(
        Production, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    segment_number = models.PositiveIntegerField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread"
    )
    body = models.TextField(max_length=10_000, blank=True)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    reply_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(record__isnull=False) & Q(production__isnull=True))
                | (Q(record__isnull=True) & Q(production__isnull=False)),
                name="community_comment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(segment_number__isnull=True) | Q(production__isnull=False),
                name="community_comment_segment_of_production",
            ),
            # At most one pinned comment per record.
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(pinned_at__isnull=False),
                name="community_comment_one_pinned",
            ),
        ]
        indexes = [
            # A record's (production's) top-level comments, newest first; a thread's replies.
            models.Index(
                fields=["record", "root", "-created_at", "-id"], name="community_comment_rec_idx"
            ),
            models.Index(
                fields=["production", "segment_number", "root", "-created_at", "-id"],
                name="community_comment_prod_idx",
            ),
            models.Index(fields=["root", "created_at", "id"], name="community_comment_thread_idx"),
            models.Index(fields=["author", "-created_at"], name="community_comment_author_idx"),
            # Feeds: trending reads the comments of the last days (a range over the newest).
            models.Index(fields=["created_at"], name="community_comment_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} by {self.author_id}"


class CommentRevision(models.Model):
    """A comment's text before an edit (or before its deletion): kept for moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=10_000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["comment", "-created_at"], name="community_crev_idx")]

    def __str__(self) -> str:
        return f"revision of comment {self.comment_id}"


class Mention(models.Model):
    """`user` is mentioned (`@username`) in `comment`: linked in its HTML, told once."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="community_mention_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in comment {self.comment_id}"


class MemberStats(models.Model):
    """Counts a profile shows, kept exact in the writes that change them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    followers = models.PositiveIntegerField(default=0)
    following = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"stats of member {self.user_id}"


class RecordStats(models.Model):
    """Counts a record's card and page show: hearts, comments, plays (plays are counted
    without storing who played)."""

    record = models.OneToOneField(
        Record, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    hearts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    plays = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"stats of record {self.record_id}"


class ProductionStats(models.Model):
    production = models.OneToOneField(
        Production, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    hearts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    followers = models.PositiveIntegerField(default=0)
    plays = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"stats of production {self.production_id}"


class NotificationCategory(models.TextChoices):
    """What a member sets a preference for: each verb belongs to one (`VERB_CATEGORIES`)."""

    REMIXES = "remixes", "Remixes of your work and remix requests"
    COMMENTS = "comments", "Comments and replies"
    MENTIONS = "mentions", "Mentions"
    FOLLOWERS = "followers", "New followers"
    SUBMISSIONS = "submissions", "Your submissions and productions"
    RELEASES = "releases", "Productions you are credited in"
    MONEY = "money", "Money allocated or paid to you"
    MODERATION = "moderation", "Moderation of your work"


class Delivery(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL_DIGEST = "digest", "In the app and in an email digest"
    OFF = "off", "Off"


class NotificationPreference(models.Model):
    """How `user` hears of one category. No row: the category's default (in the app)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=16, choices=NotificationCategory.choices)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="community_notif_pref_unique"
            ),
            models.CheckConstraint(
                condition=Q(category__in=NotificationCategory.values),
                name="community_notif_pref_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values),
                name="community_notif_pref_delivery_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.category} {self.delivery}"


# Feeds' own rows (trending scores, plays per day): community.feeds.models.
from riffhouse.community.feeds.models import RecordPlayDay as RecordPlayDay  # noqa: E402
from riffhouse.community.feeds.models import RecordTrend as RecordTrend  # noqa: E402
