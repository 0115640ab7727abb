"""Moderation: members' reports, moderators' actions on them, and appeals."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from riffhouse.community.models import Comment
from riffhouse.productions.models import Production
from riffhouse.records.models import Record

TARGET_FIELDS = ("record", "comment", "production", "member")


def _one_target() -> Q:
    """Exactly one of the target keys is set."""
    condition = Q()
    for name in TARGET_FIELDS:
        alone = Q(**{f"{name}__isnull": False})
        for other in TARGET_FIELDS:
            if other != name:
                alone &= Q(**{f"{other}__isnull": True})
        condition |= alone
    return condition


class Target(models.Model):
    """What a report or an action is about: one record, comment, production or member
    (typed nullable keys, exactly one set)."""

    record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    production = models.ForeignKey(
        Production, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def target_kind(self) -> str:
        for name in TARGET_FIELDS:
            if getattr(self, f"{name}_id") is not None:
                return name
        return ""

    @property
    def target_key(self) -> tuple[str, int]:
        kind = self.target_kind
        return kind, getattr(self, f"{kind}_id")


class ReasonCategory(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    HARASSMENT = "harassment", "Harassment or hate"
    COPYRIGHT = "copyright", "Someone else’s work without credit"
    SEXUAL = "sexual", "Sexual content"
    VIOLENCE = "violence", "Violence or threats"
    OTHER = "other", "Something else"


class Report(Target):
    """A member's report of a record, comment, production or member, with a reason. Open
    until a moderator acts on it (`actioned`) or dismisses it. A member has at most one open
    report on a target."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACTIONED = "actioned", "Actioned"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=16, choices=ReasonCategory.choices)
    text = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="moderation_report_one_target"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "actioned", "dismissed"]),
                name="moderation_report_status_valid",
            ),
        ] + [
            models.UniqueConstraint(
                fields=["reporter", name],
                condition=Q(status="open", **{f"{name}__isnull": False}),
                name=f"moderation_report_open_{name}",
            )
            for name in TARGET_FIELDS
        ]
        indexes = [
            # The queue: open reports, oldest first.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="open"),
                name="moderation_report_open_idx",
            ),
        ] + [
            models.Index(fields=[name, "status"], name=f"moderation_rep_{name[:4]}_idx")
            for name in TARGET_FIELDS
        ]

    def __str__(self) -> str:
        return f"report {self.pk} of {self.target_kind}"


class ModerationAction(Target):
    """A moderator's action on a target, with the reason the member is told; answers the
    open reports on it. `undone_at` is set when a moderator undoes it (or an appeal
    succeeds)."""

    class Kind(models.TextChoices):
        HIDE = "hide", "Hide"
        REMOVE = "remove", "Remove"
        WARN = "warn", "Warn"
        SUSPEND = "suspend", "Suspend"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whose content (or who) it concerns: told what happened and why, and may appeal once.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(max_length=2000)
    suspended_until = models.DateTimeField(null=True, blank=True)
    reports = models.ManyToManyField(Report, blank=True, related_name="actions")
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="moderation_action_one_target"),
            models.CheckConstraint(
                condition=Q(kind__in=["hide", "remove", "warn", "suspend"]),
                name="moderation_action_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "-created_at"], name="moderation_action_subj_idx"),
            models.Index(fields=["-created_at", "-id"], name="moderation_action_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.target_kind} ({self.pk})"

    @property
    def undoable(self) -> bool:
        # A removal is a tombstone, final like its author's deletion; a warning was said.
        return self.undone_at is None and self.kind in {self.Kind.HIDE, self.Kind.SUSPEND}


class Appeal(models.Model):
    """The member's one appeal against an action, decided by a moderator. Upheld keeps the
    action; granted undoes it."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a decision"
        UPHELD = "upheld", "Upheld: the action stands"
        GRANTED = "granted", "Granted: the action was undone"

    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="appeal")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=4000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="open"),
                name="moderation_appeal_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"appeal {self.pk} of action {self.action_id}"
