"""The remix graph: which record is built on which version of which other record, and the
requests that ask a source's author for consent."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from riffhouse.core.models import TimeStampedModel
from riffhouse.records.models import Record, RecordVersion


class SourceLink(models.Model):
    """One edge of the remix graph: `record` (the remix) is built on `source`, exactly as it
    was at `source_version`. Records are never deleted (only tombstoned), so an edge outlives
    both ends' deletion and credits never disappear."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="remix_links")
    source_version = models.ForeignKey(RecordVersion, on_delete=models.PROTECT, related_name="+")
    usage = models.CharField(max_length=80, blank=True)
    # Optionally the part of a timed source (audio, video) that was used, in milliseconds.
    start_ms = models.PositiveIntegerField(null=True, blank=True)
    end_ms = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Chains (lineage.chains): when `record` has this one source and continues its chain,
    # the chain's first record and `record`'s place in it (1, 2, ...). A deep ancestry is
    # then one index range instead of a lookup per generation.
    chain_head = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    chain_position = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "source"], name="lineage_link_unique"),
            models.CheckConstraint(condition=~Q(record=F("source")), name="lineage_link_not_self"),
            models.CheckConstraint(
                condition=Q(start_ms__isnull=True)
                | Q(end_ms__isnull=True)
                | Q(end_ms__gt=F("start_ms")),
                name="lineage_link_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(chain_head__isnull=True, chain_position__isnull=True)
                | Q(chain_head__isnull=False, chain_position__gte=1),
                name="lineage_link_chain_valid",
            ),
            # A record continues at most one chain: its first single-source remix's.
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(chain_head__isnull=False),
                name="lineage_link_one_chain_child",
            ),
        ]
        indexes = [
            # Both walks read only the index: a record's sources (ancestors) and a record's
            # remixes (descendants, newest first, paged by remix id), with the usage note.
            models.Index(fields=["record", "source", "usage"], name="lineage_link_sources_idx"),
            models.Index(fields=["source", "record", "usage"], name="lineage_link_remixes_idx"),
            # A chain's links in order, read from the index alone.
            models.Index(
                fields=["chain_head", "chain_position", "record", "source", "usage"],
                condition=Q(chain_head__isnull=False),
                name="lineage_link_chain_idx",
            ),
        ]
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.record_id} ← {self.source_id} v{self.source_version_id}"


class RemixRequest(TimeStampedModel):
    """A remixer asking a source's author to approve one remix. The remix stays a draft until
    every request it needs is approved; it is published on approval if its author asked for
    that (`publish_on_approval`). One request per remix and source: asking again after a
    decline reopens it (`times_asked` counts, up to `rules.MAX_ASKS`; decision 0105)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    remix = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="remix_requests")
    source = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="incoming_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="remix_requests_sent"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="remix_requests_received",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(max_length=2000, blank=True)
    response_note = models.TextField(max_length=2000, blank=True)
    publish_on_approval = models.BooleanField(default=True)
    times_asked = models.PositiveSmallIntegerField(default=1)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["remix", "source"], name="lineage_request_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined", "withdrawn"]),
                name="lineage_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(times_asked__gte=1), name="lineage_request_asked_at_least_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["owner", "status", "-created_at"], name="lineage_request_owner_idx"
            ),
            models.Index(fields=["requester", "-created_at"], name="lineage_request_requester_idx"),
        ]

    def __str__(self) -> str:
        return f"request {self.pk}: {self.remix_id} ← {self.source_id} ({self.status})"
