"""Processing a version's original into what people see, as a job on the media queue:
idempotent, retried with backoff on unexpected errors, swept when a worker dies mid-job."""

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from riffhouse.core.storage import storage_delete_many, storage_local_copy, storage_put
from riffhouse.core.tempfiles import temp_directory
from riffhouse.records import media
from riffhouse.records.media import sandbox
from riffhouse.records.models import Kind, ProcessingStatus, RecordVersion, Rendition
from riffhouse.records.services import record_lock, record_make_live

logger = logging.getLogger(__name__)


def _renditions_make(version: RecordVersion, kind: str, tmp: Path) -> sandbox.Result:
    with storage_local_copy(version.original) as original:
        return sandbox.renditions_make_isolated(
            kind,
            original,
            tmp,
            max_seconds=settings.RECORD_MAX_SECONDS,
            max_pixels=settings.RECORD_MAX_PIXELS,
            memory_bytes=settings.RECORD_PROCESSING_MEMORY_MB * settings.MB,
            timeout=settings.RECORD_PROCESSING_JOB_SECONDS,
        )


def version_process(*, version_id: int) -> str:
    """Turn a version's original into what people see. Idempotent: a finished version is
    left alone, and a re-run replaces the renditions of an interrupted one. A file we cannot
    read fails with a reason for its owner; an unexpected error is retried with backoff."""
    with transaction.atomic():
        version = (
            RecordVersion.objects.select_for_update(of=("self",))
            .select_related("record")
            .filter(pk=version_id)
            .first()
        )
        if version is None or version.status in {ProcessingStatus.READY, ProcessingStatus.FAILED}:
            return version.status if version else "missing"
        version.status = ProcessingStatus.PROCESSING
        version.attempts += 1
        version.processing_started_at = timezone.now()
        version.save(update_fields=["status", "attempts", "processing_started_at"])
    record = version.record
    stale = list(version.renditions.values_list("path", flat=True))
    try:
        with temp_directory("process") as tmp:
            if record.kind == Kind.TEXT:
                outputs: list[media.Output] = []
                extras: dict[str, Any] = media.text_stats(version.body)
                body_html = media.render_markdown(version.body)
            else:
                outputs, extras = _renditions_make(version, record.kind, tmp)
                body_html = ""
            stored = []
            for out in outputs:
                name = f"records/{record.pk}/{version.key}/{out.label}"
                if default_storage.exists(name):  # left by an interrupted earlier run
                    default_storage.delete(name)
                with out.path.open("rb") as handle:
                    path = storage_put(name, handle)
                stored.append(
                    Rendition(
                        version=version,
                        label=out.label,
                        mime=out.mime,
                        width=out.width,
                        height=out.height,
                        size=out.size,
                        path=path,
                    )
                )
    except media.MediaError as error:
        _fail(version_id, error.reason)
        return ProcessingStatus.FAILED
    except Exception:
        logger.exception("processing version %s failed", version_id)
        return _retry_or_fail(version_id)
    with transaction.atomic():
        version = RecordVersion.objects.select_for_update(of=("self",)).get(pk=version_id)
        version.renditions.all().delete()
        Rendition.objects.bulk_create(stored)
        version.body_html = body_html
        version.metadata = {**version.metadata, **extras}
        version.status = ProcessingStatus.READY
        version.failure_reason = ""
        version.processed_at = timezone.now()
        version.save(
            update_fields=["body_html", "metadata", "status", "failure_reason", "processed_at"]
        )
        record = record_lock(record_id=version.record_id, related=("live_version",))
        record_make_live(record=record, version=version)
    storage_delete_many([name for name in stale if name not in {r.path for r in stored}])
    return ProcessingStatus.READY


def _fail(version_id: int, reason: str) -> None:
    RecordVersion.objects.filter(pk=version_id).update(
        status=ProcessingStatus.FAILED, failure_reason=reason[:500], processed_at=timezone.now()
    )


def _retry_or_fail(version_id: int) -> str:
    from riffhouse.records.tasks import version_process_task

    version = RecordVersion.objects.get(pk=version_id)
    if version.attempts >= settings.RECORD_PROCESSING_ATTEMPTS:
        _fail(version_id, "We could not process this file. Try uploading it again.")
        return ProcessingStatus.FAILED
    delay = timedelta(seconds=30 * 2 ** (version.attempts - 1))
    with transaction.atomic():
        RecordVersion.objects.filter(pk=version_id).update(status=ProcessingStatus.PENDING)
        version_process_task.using(run_after=timezone.now() + delay).enqueue(version_id=version_id)
    return ProcessingStatus.PENDING


# What the owner reads when the workers processing a version kept dying (core/workers.py
# requeues a job once, then fails it and calls this).
ABANDONED_REASON = (
    "Processing stopped twice because the server working on it went down. "
    "Try uploading the file again."
)


def version_process_abandoned(*, version_id: int, reason: str, **kwargs: Any) -> None:
    """The job processing this version was abandoned for good: fail the version with a
    reason its owner reads (`reason` is the technical one, kept in the job's row)."""
    RecordVersion.objects.filter(
        pk=version_id, status__in=[ProcessingStatus.PENDING, ProcessingStatus.PROCESSING]
    ).update(
        status=ProcessingStatus.FAILED, failure_reason=ABANDONED_REASON, processed_at=timezone.now()
    )


def versions_sweep(*, now: Any = None) -> int:
    """Mark versions stuck in processing (a worker died mid-job) as failed. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.RECORD_PROCESSING_TIMEOUT_SECONDS)
    return RecordVersion.objects.filter(
        status=ProcessingStatus.PROCESSING, processing_started_at__lt=cutoff
    ).update(
        status=ProcessingStatus.FAILED,
        processed_at=now,
        failure_reason="Processing took too long and was stopped. Try uploading again.",
    )
