"""Records: creative works, their immutable versions, and the files derived from them."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

# RemixPolicy lives in core (a member's default uses it too); re-exported for this app.
from riffhouse.core.models import RemixPolicy as RemixPolicy
from riffhouse.core.models import TimeStampedModel
from riffhouse.records.hooks import HOOKED_FIELDS, HooksBypassed


class Kind(models.TextChoices):
    TEXT = "text", "Writing"
    IMAGE = "image", "Art"
    AUDIO = "audio", "Music & audio"
    VIDEO = "video", "Film & animation"


class Visibility(models.TextChoices):
    DRAFT = "draft", "Draft (only you)"
    PUBLISHED = "published", "Published"


class Licence(models.TextChoices):
    """The licences a record can carry. What each permits, and which combine, lives in the
    lineage app's licence table."""

    RIFFHOUSE = "riffhouse", "Riffhouse licence"
    CC_BY = "cc-by", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa", "CC BY-NC-SA 4.0"
    CC0 = "cc0", "CC0 (public domain)"
    ALL_RIGHTS_RESERVED = "arr", "All rights reserved"


class Tag(models.Model):
    """A lower-case label shared by records ("space", "lullaby")."""

    name = models.CharField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.name


class RecordQuerySet(models.QuerySet["Record"]):
    def update(self, **kwargs: Any) -> int:
        """A bulk update, refused for the fields whose changes run records' hooks
        (`records/hooks.py`): those go through records' services."""
        hooked = HOOKED_FIELDS & kwargs.keys()
        if hooked:
            raise HooksBypassed(
                f"Record.objects.update() of {', '.join(sorted(hooked))} skips records' "
                "hooks: use records' services."
            )
        return super().update(**kwargs)

    def listed(self) -> "RecordQuerySet":
        """Records anyone may find in lists, feeds and search: published, live, not
        deleted and not hidden by moderators. Pages and credits of a record that is not
        listed follow their own rules (a tombstone keeps its place in a lineage)."""
        return self.filter(
            visibility=Visibility.PUBLISHED,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
            live_version__isnull=False,
            published_at__isnull=False,
        )

    def update_after_hooks(self, **kwargs: Any) -> int:
        """A bulk update of any field, for records' services once they have run the hooks
        for these rows (and for tests that set a scene no service makes)."""
        return super().update(**kwargs)


class Record(TimeStampedModel):
    """One creative work by one member.

    Its content lives in immutable versions. `current_version` is the newest (what its author
    sees, maybe still processing); `live_version` is the newest version that finished
    processing, which is what everyone else sees. A deleted record stays as a tombstone
    (`deleted_at`) so that the lineage and credits that point at it survive.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="records"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    language = models.CharField(max_length=16, blank=True)
    licence = models.CharField(max_length=16, choices=Licence.choices, default=Licence.RIFFHOUSE)
    remix_policy = models.CharField(
        max_length=8, choices=RemixPolicy.choices, default=RemixPolicy.OPEN
    )
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="records")
    current_version = models.ForeignKey(
        "RecordVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    live_version = models.ForeignKey(
        "RecordVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set while moderators hide the record (`record_hide`): it leaves lists, feeds and
    # search, its page tells others it is hidden, and its lineage and credits stay.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # The author's cover image (audio), kept across versions; see `Cover`.
    cover = models.ForeignKey(
        "Cover", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Published records built directly on this one, tombstones included. Kept exact by the
    # lineage app in the same transaction as the change, through `remix_counts_set`.
    remix_count = models.PositiveIntegerField(default=0)
    # The author would like collaborators on it (feeds' "Needs collaborators" list).
    wants_collaborators = models.BooleanField(default=False)

    objects = RecordQuerySet.as_manager()
    # A music record's picture in lists (a `selectors.CoverArt` or None), set on the records
    # of a page by `selectors.records_cover_art_attach`; not a column.
    cover_art: Any

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="records_kind_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="records_visibility_valid"
            ),
        ]
        indexes = [
            # The public feed: published, live, not deleted, newest first (cursor on both).
            models.Index(
                fields=["-published_at", "-id"],
                name="records_feed_idx",
                condition=Q(
                    visibility="published", deleted_at__isnull=True, live_version__isnull=False
                ),
            ),
            models.Index(fields=["kind", "-published_at", "-id"], name="records_kind_feed_idx"),
            models.Index(fields=["author", "-published_at", "-id"], name="records_author_feed_idx"),
            # Discovery: "most remixed" (and "never remixed" reads the feed index).
            models.Index(
                fields=["-remix_count", "-published_at", "-id"],
                name="records_most_remixed_idx",
                condition=Q(
                    visibility="published", deleted_at__isnull=True, live_version__isnull=False
                ),
            ),
            # Feeds: "Needs collaborators", newest first.
            models.Index(
                fields=["-published_at", "-id"],
                name="records_collab_feed_idx",
                condition=Q(
                    wants_collaborators=True,
                    visibility="published",
                    deleted_at__isnull=True,
                    live_version__isnull=False,
                ),
            ),
            # Feeds: a member's home feed reads the newest listed records of each member they
            # follow (a short index range per followed member, never the whole table).
            models.Index(
                fields=["author", "-published_at", "-id"],
                name="records_feeds_author_idx",
                condition=Q(
                    visibility="published", deleted_at__isnull=True, live_version__isnull=False
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("records:detail", kwargs={"record_id": self.pk})

    @property
    def is_public(self) -> bool:
        return (
            self.visibility == Visibility.PUBLISHED
            and self.deleted_at is None
            and self.hidden_at is None
            and self.live_version_id is not None
        )


class ProcessingStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be processed"
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class RecordVersion(models.Model):
    """An immutable state of a record's content: its title and description, and either its
    text body or its original file. Only the processing fields change after creation."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    original = models.CharField(max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    original_size = models.BigIntegerField(default=0)
    original_sha256 = models.CharField(max_length=64, blank=True)
    mime = models.CharField(max_length=100, blank=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    failure_reason = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="records_version_unique"),
        ]
        indexes = [
            models.Index(
                fields=["status", "processing_started_at"], name="records_version_status_idx"
            ),
        ]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.number}"


class Rendition(models.Model):
    """A file derived from a version's original (a resized image, a web-playable audio or
    video file, a poster frame). Always rebuildable from the original."""

    version = models.ForeignKey(RecordVersion, on_delete=models.CASCADE, related_name="renditions")
    label = models.CharField(max_length=32)
    path = models.CharField(max_length=255)
    mime = models.CharField(max_length=100)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "label"], name="records_rendition_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.label}"


class CoverImage(models.Model):
    """A cover image someone chose (a record's, a production's): the upload kept as
    `original`, and `path` the WebP everyone sees, made from it by a processing job through
    the image sandbox (resized, re-encoded, nothing of the upload's metadata kept; see
    `processing.cover_rendition_make`). Each concrete cover adds the one thing it belongs
    to, whose `cover` points at its newest processed one (`processing.cover_newest_show`)."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    original = models.CharField(max_length=255)
    status = models.CharField(
        max_length=12, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    failure_reason = models.CharField(max_length=500, blank=True)
    path = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    dominant_color = models.CharField(max_length=7, blank=True)

    class Meta:
        abstract = True


class Cover(CoverImage):
    """An image its author chose to show for a record (a track's cover art). It belongs to
    the record, not to one version, so a new recording keeps its cover (decision 0018).
    `Record.cover` points at the newest processed one."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="covers")

    def __str__(self) -> str:
        return f"cover of {self.record_id} ({self.status})"
