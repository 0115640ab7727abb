"""Lineage's rules on every write of a record, wherever it comes from (a page, the API, a
job): records cannot import lineage, so lineage listens to its saves.

- Before a save that publishes a record or changes its licence: a remix with a pending or
  declined remix request stays a draft, and a remix's licence stays one its sources allow.
- After a save that publishes, unpublishes or deletes a remix: its sources' remix counts are
  recounted, and on its first publication their authors are told.
"""

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from riffhouse.core.errors import ApplicationError
from riffhouse.lineage.licences import licence_check
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.lineage.services import remix_counts_refresh, remix_published
from riffhouse.records.models import Record, Visibility

_COUNTED = {"visibility", "published_at", "deleted_at"}


def _fields(update_fields: Any) -> set[str] | None:
    return set(update_fields) if update_fields is not None else None


@receiver(pre_save, sender=Record, dispatch_uid="lineage_record_rules")
def record_rules(sender: type[Record], instance: Record, update_fields: Any, **kwargs: Any) -> None:
    fields = _fields(update_fields)
    if instance.pk is None or instance._state.adding:
        return
    if instance.visibility == Visibility.PUBLISHED and (fields is None or "visibility" in fields):
        waiting = (
            RemixRequest.objects.filter(
                remix_id=instance.pk,
                status__in=[RemixRequest.Status.PENDING, RemixRequest.Status.DECLINED],
            )
            .select_related("source")
            .first()
        )
        if waiting is not None:
            state = (
                "declined" if waiting.status == RemixRequest.Status.DECLINED else "not answered yet"
            )
            raise ApplicationError(
                f"This remix stays a draft: the author of “{waiting.source.title}” has "
                f"{state} your remix request. Remove that source to publish it.",
                code="awaiting_approval",
                status=409,
                field="visibility",
            )
    if fields is None or "licence" in fields:
        licences = list(
            SourceLink.objects.filter(record_id=instance.pk).values_list(
                "source__licence", flat=True
            )
        )
        if licences:
            licence_check(remix=instance.licence, sources=licences)


@receiver(post_save, sender=Record, dispatch_uid="lineage_record_counts")
def record_counts(
    sender: type[Record], instance: Record, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    fields = _fields(update_fields)
    if created or fields is None or not fields & _COUNTED:
        return
    if "published_at" in fields and instance.published_at is not None:
        remix_published(instance)  # its first publication
    else:
        _recount_sources(instance)


def _recount_sources(record: Record) -> None:
    remix_counts_refresh(
        SourceLink.objects.filter(record_id=record.pk).values_list("source_id", flat=True)
    )
