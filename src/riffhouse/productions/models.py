"""Productions: a themed call that gathers records into a finished work (an episode, an
anthology, a film, an album, a collection), run by its producers in the open.

The path: a production is drafted, opened for submissions to its needs, curated (the lineup
arranged, the fairness report checked) and released. A release pins every segment's record
version and stores the credits once, so a released production never changes when its
records are edited later.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from riffhouse.core.models import TimeStampedModel
from riffhouse.records.models import CoverImage, Kind, Record, RecordVersion


class ProductionKind(models.TextChoices):
    EPISODE = "episode", "Episode"
    ANTHOLOGY = "anthology", "Anthology"
    FILM = "film", "Film"
    ALBUM = "album", "Album"
    COLLECTION = "collection", "Collection"


class ProductionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for submissions"
    CURATING = "curating", "Curating"
    RELEASED = "released", "Released"
    ARCHIVED = "archived", "Archived"


# Every production's credits pass this share of a segment up to the works it stands on,
# unless its producers choose another (see `Production.source_share_percent`).
DEFAULT_SOURCE_SHARE_PERCENT = 40


class Production(TimeStampedModel):
    """A themed work made from members' records, run by one or more producers.

    `official` marks a production run by staff (a staff member among its producers); it is
    kept by the producers' services. `lineup_version` counts the lineup's writes, for
    optimistic concurrency (a write names the version it read; a stale one is refused).
    `show_version` names what the released page's cache holds (see `show_cache`).
    The fairness rules are optional numbers; release is refused while one is broken.
    `release_requested_at` is set when a producer asks to release and the release job has
    not finished yet.
    """

    Kind = ProductionKind
    Status = ProductionStatus

    kind = models.CharField(max_length=12, choices=ProductionKind.choices)
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=60, blank=True)
    brief = models.TextField(max_length=20000, blank=True)
    brief_html = models.TextField(blank=True)
    cover = models.ForeignKey(
        "ProductionCover", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission_deadline = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ProductionStatus.choices, default=ProductionStatus.DRAFT
    )
    official = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    release_requested_at = models.DateTimeField(null=True, blank=True)
    # Set while moderators hide the production: it leaves browse lists and the home page;
    # its page tells visitors it is hidden and the credits of its records stay.
    hidden_at = models.DateTimeField(null=True, blank=True)
    lineup_version = models.PositiveIntegerField(default=0)
    # The released page's cache version (decision 0026): bumped, through records' and
    # accounts' hooks, whenever something its shared fragment shows changes after release.
    show_version = models.PositiveIntegerField(default=0)
    # The fairness report as it stood at release (`fairness.FairnessReport.as_dict()`), stored
    # by the release job with the credits so the released page never recomputes it.
    released_report = models.JSONField(null=True, blank=True)
    # What part of a segment flows up to the works it stands on (the rest stays with its
    # author), recursively: the one weighting of the fairness report and, later, the split.
    source_share_percent = models.PositiveSmallIntegerField(default=DEFAULT_SOURCE_SHARE_PERCENT)
    # Fairness rules (None: no rule).
    rule_max_contributor_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    rule_max_producers_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    rule_min_contributors = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProductionKind.values), name="productions_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProductionStatus.values), name="productions_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source_share_percent__lte=100), name="productions_source_share_valid"
            ),
            models.CheckConstraint(
                condition=Q(rule_max_contributor_percent__isnull=True)
                | Q(rule_max_contributor_percent__gte=1, rule_max_contributor_percent__lte=100),
                name="productions_rule_contributor_valid",
            ),
            models.CheckConstraint(
                condition=Q(rule_max_producers_percent__isnull=True)
                | Q(rule_max_producers_percent__lte=100),
                name="productions_rule_producers_valid",
            ),
        ]
        indexes = [
            # Open calls, closing soonest first.
            models.Index(
                fields=["submission_deadline", "id"],
                name="productions_open_calls_idx",
                condition=Q(status="open"),
            ),
            # Released productions, newest first, by kind and theme.
            models.Index(
                fields=["-released_at", "-id"],
                name="productions_released_idx",
                condition=Q(status="released"),
            ),
            models.Index(fields=["kind", "-released_at", "-id"], name="productions_kind_idx"),
            models.Index(fields=["theme", "-released_at", "-id"], name="productions_theme_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("productions:detail", kwargs={"production_id": self.pk})

    @property
    def is_released(self) -> bool:
        return self.status in {ProductionStatus.RELEASED, ProductionStatus.ARCHIVED} and (
            self.released_at is not None
        )


class ProductionCover(CoverImage):
    """A production's cover image, processed like a record's (records' `CoverImage`).
    `Production.cover` points at the newest processed one."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="covers")

    def __str__(self) -> str:
        return f"cover of production {self.production_id} ({self.status})"


class ProductionRevision(models.Model):
    """One edit of a production's title, theme, brief or cover, as it was after the edit
    (the first row is the production as it was created): the history producers and viewers
    can read."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=60, blank=True)
    brief = models.TextField(max_length=20000, blank=True)
    cover = models.ForeignKey(
        ProductionCover, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed = models.JSONField(default=list, blank=True)  # the field names this edit changed

    class Meta:
        indexes = [
            models.Index(fields=["production", "-created_at", "-id"], name="productions_rev_idx")
        ]

    def __str__(self) -> str:
        return f"revision of {self.production_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Producer(models.Model):
    """A member who runs a production. The member who starts one is its first; producers
    add and remove co-producers, never the last one."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="producers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="productions_produced"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["production", "user"], name="productions_producer_unique"
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="productions_producer_user_idx")
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user_id} produces {self.production_id}"


class Need(models.Model):
    """A specific call inside a production ("a song about leaving Earth"): the kinds of
    record it wants (`kinds`, a comma-separated list of record kinds, sorted), how many
    pieces, by when (None: the production's deadline), and optionally a seed record to
    remix (pinned to the version the producer chose)."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="needs")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    kinds = models.CharField(max_length=40)
    wanted = models.PositiveSmallIntegerField(default=1)
    deadline = models.DateTimeField(null=True, blank=True)
    seed = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.PROTECT, related_name="seeded_needs"
    )
    seed_version = models.ForeignKey(
        RecordVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(wanted__gte=1, wanted__lte=500), name="productions_need_wanted_valid"
            ),
            models.CheckConstraint(
                condition=Q(seed__isnull=True, seed_version__isnull=True)
                | Q(seed__isnull=False, seed_version__isnull=False),
                name="productions_need_seed_pinned",
            ),
        ]
        indexes = [
            models.Index(fields=["production", "position", "id"], name="productions_need_idx")
        ]
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_list(self) -> list[str]:
        return [kind for kind in self.kinds.split(",") if kind]

    @property
    def kind_labels(self) -> list[str]:
        return [Kind(kind).label for kind in self.kind_list]


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    SELECTED = "selected", "Selected"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SubmissionConsent(models.TextChoices):
    """Whether the record's author agreed to this submission: not needed (their own record,
    or an open one), asked (an `ask` record someone else submitted: producers do not see it
    until its author approves), approved or declined."""

    NOT_NEEDED = "not_needed", "Not needed"
    ASKED = "asked", "Waiting for the author"
    APPROVED = "approved", "Approved by the author"
    DECLINED = "declined", "Declined by the author"


class Submission(TimeStampedModel):
    """A record offered to a production, to one of its needs or to the production as a whole,
    at the exact version it was offered. Producers move it submitted → shortlisted →
    selected or declined (with an optional note); the member who submitted it may withdraw
    it before it is selected."""

    Status = SubmissionStatus
    Consent = SubmissionConsent

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="submissions")
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.CASCADE, related_name="submissions"
    )
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="submissions")
    record_version = models.ForeignKey(RecordVersion, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    consent = models.CharField(
        max_length=12, choices=SubmissionConsent.choices, default=SubmissionConsent.NOT_NEEDED
    )
    message = models.TextField(max_length=2000, blank=True)  # from the member who submitted
    consent_note = models.TextField(max_length=2000, blank=True)  # the author's answer
    note = models.TextField(max_length=2000, blank=True)  # the producers' note on a decision
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values),
                name="productions_submission_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(consent__in=SubmissionConsent.values),
                name="productions_submission_consent_valid",
            ),
            # A record once per need (and once per production outside its needs), unless
            # withdrawn: the same record twice is refused.
            models.UniqueConstraint(
                fields=["need", "record"],
                condition=Q(need__isnull=False) & ~Q(status="withdrawn"),
                name="productions_submission_once_per_need",
            ),
            models.UniqueConstraint(
                fields=["production", "record"],
                condition=Q(need__isnull=True) & ~Q(status="withdrawn"),
                name="productions_submission_once_per_production",
            ),
        ]
        indexes = [
            # The curation board: a need's submissions by status, newest first.
            models.Index(
                fields=["need", "status", "-created_at", "-id"], name="productions_sub_need_idx"
            ),
            models.Index(
                fields=["production", "status", "-created_at", "-id"],
                name="productions_sub_prod_idx",
            ),
            models.Index(
                fields=["submitted_by", "-created_at", "-id"], name="productions_sub_member_idx"
            ),
            models.Index(fields=["record", "-created_at"], name="productions_sub_record_idx"),
        ]

    def __str__(self) -> str:
        return f"submission {self.pk}: {self.record_id} → {self.production_id} ({self.status})"


class PendingSubmission(models.Model):
    """A remix of a need's seed, started from the need ("Remix the seed"), that is still a
    draft (waiting for its sources' consent): it is submitted to the need when it is
    published (records' `after_publish` hook)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "record"], name="productions_pending_unique")
        ]
        indexes = [models.Index(fields=["record"], name="productions_pending_record_idx")]

    def __str__(self) -> str:
        return f"{self.record_id} waits to be submitted to need {self.need_id}"


class SegmentKind(models.TextChoices):
    PIECE = "piece", "Piece"
    LINK = "link", "Link"


MAX_SEGMENT_MS = 3_600_000  # an hour


class Segment(models.Model):
    """One place in a production's lineup: a selected record (`PIECE`, pinned to the
    version that was selected) or a `LINK`, a short title card or host segment made from a
    producer's own record, which the fairness report counts as the producers'.

    Audio and video play from `in_ms` to `out_ms` (checked against the media's real
    duration); images and text show for `duration_ms`. `duration_ms` is always the
    segment's runtime (out minus in for timed media), so the runtime is one sum. A lineup is
    written whole (`lineup.lineup_set`): its rows are replaced, never edited in place.
    """

    Kind = SegmentKind

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=SegmentKind.choices, default=SegmentKind.PIECE)
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="segments")
    record_version = models.ForeignKey(RecordVersion, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="segments"
    )
    in_ms = models.PositiveIntegerField(null=True, blank=True)
    out_ms = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["production", "position"], name="productions_segment_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SegmentKind.values), name="productions_segment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_ms__gt=0, duration_ms__lte=MAX_SEGMENT_MS),
                name="productions_segment_duration_valid",
            ),
            models.CheckConstraint(
                condition=Q(in_ms__isnull=True, out_ms__isnull=True)
                | Q(in_ms__isnull=False, out_ms__isnull=False, out_ms__gt=F("in_ms")),
                name="productions_segment_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="link") | Q(submission__isnull=False),
                name="productions_segment_piece_submitted",
            ),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.production_id} #{self.position}: {self.record_id}"


class ProductionCredit(models.Model):
    """One contributor's credit in a released production, computed once by the release job
    and never again: their share of the runtime (counting every segment's lineage, weighted
    as `fairness` weighs it), their roles, and where they appear. `share` is exact, as a
    fraction's numerator and denominator in decimal text (lineage shares can need more
    digits than a bigint); `share_ppm` is the same share in millionths, for sorting and
    display. `user` is None for a work whose author's row is gone (a former member)."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField()  # order on the page: largest share first
    share_numerator = models.TextField()
    share_denominator = models.TextField()
    share_ppm = models.PositiveIntegerField()
    runtime_ms = models.PositiveIntegerField(default=0)  # their share of the runtime, rounded
    roles = models.JSONField(default=list)
    segment_positions = models.JSONField(default=list)  # the segments they are credited in
    is_producer = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    first_time = models.BooleanField(default=False)  # their first credit in any production

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["production", "position"], name="productions_credit_position_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "production"], name="productions_credit_user_idx"),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"credit {self.position} of {self.production_id}: {self.user_id}"


class SegmentCredit(models.Model):
    """One contributor of one released segment (the segment's record and everyone in its
    lineage), stored at release: the credits grouped by segment."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField()
    closeness = models.PositiveIntegerField()  # 0: the segment's own author
    roles = models.JSONField(default=list)
    share_ppm = models.PositiveIntegerField()  # their part of this segment, in millionths

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "position"], name="productions_segcredit_position_unique"
            ),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"credit {self.position} of segment {self.segment_id}: {self.user_id}"
