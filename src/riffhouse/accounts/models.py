"""Members of Riffhouse and the credentials they hold."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from riffhouse.core.models import RemixPolicy, TimeStampedModel

FORMER_MEMBER_NAME = "a former member"


class Role(models.TextChoices):
    """Instance-wide roles. A producer is not a role here: it is held per production."""

    MEMBER = "member", "Member"
    STAFF = "staff", "Staff"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Admin"


class RiffhouseUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # Usernames are unique regardless of case; log-in accepts any casing.
        return self.get(username__iexact=username)

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: object
    ) -> "User":
        # `createsuperuser` makes an instance admin: the role decides, the flags follow.
        from django.utils import timezone

        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("email_confirmed_at", timezone.now())
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A member: a public username and profile, a private email, and one instance role.

    `is_staff` and `is_superuser` are derived from `role` by `user_set_role`; they exist
    because Django's admin reads them. A deleted account is never removed: it is anonymised
    (`deleted_at` set, `name` reads "a former member") so that credits keep their row.
    """

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    email = models.EmailField("email address")
    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    links = models.JSONField(default=list, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    # The avatar is stored re-encoded (metadata stripped); the small and medium renditions
    # are made by a job and stay empty until it has run.
    avatar = models.CharField(max_length=255, blank=True)
    avatar_small = models.CharField(max_length=255, blank=True)
    avatar_medium = models.CharField(max_length=255, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # What new records get unless their author picks otherwise.
    default_remix_policy = models.CharField(
        max_length=8, choices=RemixPolicy.choices, default=RemixPolicy.OPEN
    )
    # Set when the member deleted their account. The row stays, anonymised, so that the
    # lineage and credits pointing at their work survive; see `account_delete`.
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set while moderators suspend the member (`user_suspend`): until then they may sign in
    # and read, but every change is refused (core.middleware.SuspensionMiddleware). A far
    # date means "until lifted". The reason is shown to them.
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(max_length=2000, blank=True)

    objects: RiffhouseUserManager = RiffhouseUserManager()  # type: ignore[misc]

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["-date_joined"], name="accounts_user_joined_idx")]

    def __str__(self) -> str:
        return self.username

    @property
    def is_former(self) -> bool:
        """True once the member deleted their account."""
        return self.deleted_at is not None

    @property
    def is_suspended(self) -> bool:
        """True while a moderators' suspension runs."""
        from django.utils import timezone

        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def name(self) -> str:
        if self.is_former:
            return FORMER_MEMBER_NAME
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("profiles:detail", kwargs={"username": self.username})

    @property
    def initials(self) -> str:
        if self.is_former:
            return ""  # a plain placeholder: nothing of the person is left to show
        parts = self.name.split()
        letters = "".join(p[0] for p in parts[:2]) if parts else self.username[:1]
        return letters.upper()


class ApiToken(TimeStampedModel):
    """A bearer token for the API. Only a SHA-256 digest of the token is stored; the token
    itself is shown once, when it is made. Revoked tokens are kept for the record."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_token_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditEvent(models.Model):
    """An append-only line of who (`actor`) did what (`action`) concerning whose account
    (`subject`) to which row (`target_type`, the model's label such as "records.record",
    and `target_id`), written in the same transaction as the change it describes. Every
    app writes them through `accounts.services.audit`."""

    class Action(models.TextChoices):
        SIGNED_UP = "signed_up"
        CONFIRMED_EMAIL = "confirmed_email"
        LOGGED_IN = "logged_in"
        LOGIN_LOCKED = "login_locked"
        PASSWORD_CHANGED = "password_changed"
        PASSWORD_RESET = "password_reset"
        PROFILE_UPDATED = "profile_updated"
        ROLE_CHANGED = "role_changed"
        TOKEN_CREATED = "token_created"
        TOKEN_REVOKED = "token_revoked"
        ACCOUNT_DELETED = "account_deleted"
        # records
        RECORD_CREATED = "record_created"
        RECORD_VERSION_CREATED = "record_version_created"
        RECORD_RESTORED = "record_restored"
        RECORD_DELETED = "record_deleted"
        RECORD_COVER_CHANGED = "record_cover_changed"
        # lineage
        REMIX_CREATED = "remix_created"
        SOURCES_CHANGED = "sources_changed"
        REMIX_REQUEST_APPROVED = "remix_request_approved"
        REMIX_REQUEST_DECLINED = "remix_request_declined"
        # community
        FOLLOWED = "followed"
        UNFOLLOWED = "unfollowed"
        COMMENT_CREATED = "comment_created"
        COMMENT_EDITED = "comment_edited"
        COMMENT_DELETED = "comment_deleted"
        COMMENT_PINNED = "comment_pinned"
        COMMENT_UNPINNED = "comment_unpinned"
        NOTIFICATION_PREFS_CHANGED = "notification_prefs_changed"
        # moderation and blocks
        MEMBER_BLOCKED = "member_blocked"
        MEMBER_UNBLOCKED = "member_unblocked"
        REPORT_FILED = "report_filed"
        MODERATION_ACTION = "moderation_action"
        MODERATION_UNDONE = "moderation_undone"
        APPEAL_FILED = "appeal_filed"
        APPEAL_DECIDED = "appeal_decided"
        MEMBER_SUSPENDED = "member_suspended"
        MEMBER_UNSUSPENDED = "member_unsuspended"
        CONTENT_HIDDEN = "content_hidden"
        CONTENT_UNHIDDEN = "content_unhidden"
        CONTENT_REMOVED = "content_removed"

    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "-created_at"], name="accounts_audit_subj_idx"),
            models.Index(fields=["target_type", "target_id"], name="accounts_audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Block(models.Model):
    """`blocker` blocked `blocked`: the blocked member may not follow, comment on the
    blocker's work, mention them, ask to remix their work or submit it to a production.
    Accounts owns it (every app above checks it through `accounts.selectors.block_between`)."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="accounts_block_unique"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="accounts_block_not_self"
            ),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="accounts_block_rev_idx")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"
