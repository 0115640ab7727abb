"""Processing a version's original into what people see, as a job on the media queue:
idempotent, retried with backoff on unexpected errors, swept when a worker dies mid-job."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from riffhouse.core.page_cache import changes_public_pages
from riffhouse.core.storage import storage_delete_many, storage_local_copy, storage_put
from riffhouse.core.tempfiles import temp_directory
from riffhouse.records import media
from riffhouse.records.media import sandbox
from riffhouse.records.models import (
    Cover,
    CoverImage,
    Kind,
    ProcessingStatus,
    Record,
    RecordVersion,
    Rendition,
)
from riffhouse.records.services import record_lock, record_make_live

logger = logging.getLogger(__name__)


def _renditions_make(name: str, kind: str, tmp: Path, seed: str = "") -> sandbox.Result:
    with storage_local_copy(name) as original:
        return sandbox.renditions_make_isolated(
            kind,
            original,
            tmp,
            max_seconds=settings.RECORD_MAX_SECONDS,
            max_pixels=settings.RECORD_MAX_PIXELS,
            memory_bytes=settings.RECORD_PROCESSING_MEMORY_MB * settings.MB,
            timeout=settings.RECORD_PROCESSING_JOB_SECONDS,
            seed=seed,
        )


GENERATED_COVER = "cover.webp"


def cover_seed(record_id: int) -> str:
    """What makes a record's generated cover its own (with its waveform)."""
    return f"riffhouse-record-{record_id}"


@changes_public_pages
def version_process(*, version_id: int) -> str:
    """Turn a version's original into what people see. Idempotent: a finished version is
    left alone, and a re-run replaces the renditions of an interrupted one. A file we cannot
    read fails with a reason for its owner; an unexpected error is retried with backoff."""
    return versions_process(version_ids=[version_id])[0]


Rendered = tuple[list[Rendition], dict[str, Any], str]  # renditions, metadata, body HTML


@changes_public_pages
def versions_process(*, version_ids: list[int], side_by_side: int = 1) -> list[str]:
    """`version_process` for each of `version_ids` (their statuses, in order), with the
    media work of up to `side_by_side` versions running at once, each in its own sandboxed
    child process: for a command that needs many records processed before it goes on (the
    demo). The database work stays on the calling thread, one version after another."""
    statuses: dict[int, str] = {}
    claimed: dict[int, tuple[RecordVersion, list[str]]] = {}
    for version_id in version_ids:
        version = _version_claim(version_id)
        if isinstance(version, str):
            statuses[version_id] = version
        else:
            stale = list(version.renditions.values_list("path", flat=True))
            claimed[version_id] = (version, stale)
    outcomes: dict[int, Callable[[], Rendered]] = {
        version_id: partial(_version_render, version)
        for version_id, (version, _) in claimed.items()
    }
    if side_by_side > 1 and len(claimed) > 1:
        # Threads only wait for their child processes: the decoding runs in those.
        with ThreadPoolExecutor(max_workers=side_by_side, thread_name_prefix="process") as pool:
            futures = {version_id: pool.submit(render) for version_id, render in outcomes.items()}
        outcomes = {version_id: future.result for version_id, future in futures.items()}
    for version_id, (_, stale) in claimed.items():
        try:
            rendered = outcomes[version_id]()
        except media.MediaError as error:
            _fail(version_id, error.reason)
            statuses[version_id] = ProcessingStatus.FAILED
        except Exception:
            logger.exception("processing version %s failed", version_id)
            statuses[version_id] = _retry_or_fail(version_id)
        else:
            statuses[version_id] = _version_finish(version_id, rendered, stale=stale)
    return [statuses[version_id] for version_id in version_ids]


def _version_claim(version_id: int) -> RecordVersion | str:
    """The version, marked as processing; or the status of one there is nothing to do for."""
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
    return version


def _version_render(version: RecordVersion) -> Rendered:
    """The version's renditions, made and stored (no database work: it may run on another
    thread). Raises media.MediaError for a file we cannot read."""
    record = version.record
    with temp_directory("process") as tmp:
        if record.kind == Kind.TEXT:
            outputs: list[media.Output] = []
            extras: dict[str, Any] = media.text_stats(version.body)
            body_html = media.render_markdown(version.body)
        else:
            outputs, extras = _renditions_make(
                version.original, record.kind, tmp, seed=cover_seed(record.pk)
            )
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
    return stored, extras, body_html


def _version_finish(version_id: int, rendered: Rendered, *, stale: list[str]) -> str:
    stored, extras, body_html = rendered
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


@dataclass(frozen=True)
class CoverRendition:
    """What processing made of a cover's original: the stored WebP and its measures, or
    why the picture could not be read (`failure_reason`, nothing stored)."""

    path: str = ""
    width: int | None = None
    height: int | None = None
    dominant_color: str = ""
    failure_reason: str = ""

    def fields(self) -> dict[str, Any]:
        """The cover's fields once processed (ready, or failed with the reason)."""
        if self.failure_reason:
            return {"status": ProcessingStatus.FAILED, "failure_reason": self.failure_reason}
        return {
            "status": ProcessingStatus.READY,
            "path": self.path,
            "width": self.width,
            "height": self.height,
            "dominant_color": self.dominant_color,
        }


def cover_rendition_make(*, original: str, name: str) -> CoverRendition:
    """Turn a cover's stored original into the WebP people see, through the image sandbox
    (resized, re-encoded, no metadata kept), stored as `name` (replacing what an interrupted
    earlier run left there). A picture the sandbox cannot read comes back with its
    `failure_reason` and nothing stored."""
    try:
        with temp_directory("cover") as tmp:
            outputs, extras = _renditions_make(original, "cover", tmp)
            out = outputs[0]
            if default_storage.exists(name):  # left by an interrupted earlier run
                default_storage.delete(name)
            with out.path.open("rb") as handle:
                path = storage_put(name, handle)
    except media.MediaError as error:
        return CoverRendition(failure_reason=error.reason[:500])
    return CoverRendition(
        path=path,
        width=out.width,
        height=out.height,
        dominant_color=extras.get("dominant_color", ""),
    )


@changes_public_pages
def cover_newest_show[C: CoverImage](
    *,
    cover: C,
    made: CoverRendition,
    lock: Callable[[], C | None],
    show: Callable[[], None],
) -> str:
    """The newer cover wins: mark `cover` (a `CoverImage` of the caller's own model) ready
    with what processing `made`, and show it unless a newer one already is. In one
    transaction: `lock()` locks what the cover belongs to and gives the cover it shows now;
    `show()` points it at `cover`. The cover it replaces is deleted (rows pointing at it
    with SET_NULL keep their row and lose the picture), its files once the transaction is
    done. A cover removed meanwhile is "missing" and its new file goes after commit."""
    covers = type(cover)._default_manager.filter(pk=cover.pk)
    stale: list[str] = []
    with transaction.atomic():
        shown = lock()
        if not covers.exists():  # removed meanwhile
            transaction.on_commit(lambda: storage_delete_many([made.path]))
            return "missing"
        covers.update(**made.fields())
        if shown is None or shown.pk < cover.pk:
            show()
            if shown is not None:
                stale = [shown.path, shown.original]
                shown.delete()
    storage_delete_many([name for name in stale if name])
    return ProcessingStatus.READY


@changes_public_pages
def cover_process(*, cover_id: int) -> str:
    """Turn an author's cover image into the WebP people see and show it on the record,
    unless a newer cover already is. Idempotent; a picture we cannot read fails with a
    reason, and the record keeps the cover it had. The replaced cover's files are deleted."""
    cover = Cover.objects.filter(pk=cover_id).first()
    if cover is None or cover.status in {ProcessingStatus.READY, ProcessingStatus.FAILED}:
        return cover.status if cover else "missing"
    made = cover_rendition_make(
        original=cover.original, name=f"records/{cover.record_id}/covers/{cover.key}/cover.webp"
    )
    if made.failure_reason:
        Cover.objects.filter(pk=cover_id).update(**made.fields())
        return ProcessingStatus.FAILED

    def lock() -> Cover | None:
        return record_lock(record_id=cover.record_id, related=("cover",)).cover

    def show() -> None:
        Record.objects.filter(pk=cover.record_id).update_after_hooks(cover_id=cover_id)

    return cover_newest_show(cover=cover, made=made, lock=lock, show=show)


def versions_without_cover() -> list[int]:
    """Processed audio versions that have no generated cover (made before covers were)."""
    return list(
        RecordVersion.objects.filter(record__kind=Kind.AUDIO, status=ProcessingStatus.READY)
        .exclude(renditions__label=GENERATED_COVER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@changes_public_pages
def version_cover_generate(*, version_id: int) -> str:
    """Draw a processed audio version's cover from the waveform its processing stored (our
    own numbers, not an upload: no sandbox needed) and add it as its `cover.webp`.
    Idempotent: a version that has one is left alone."""
    version = (
        RecordVersion.objects.filter(pk=version_id, status=ProcessingStatus.READY)
        .select_related("record")
        .first()
    )
    if version is None or version.record.kind != Kind.AUDIO:
        return "skipped"
    if version.renditions.filter(label=GENERATED_COVER).exists():
        return "exists"
    peaks = version.metadata.get("peaks") or []
    with temp_directory("cover") as tmp:
        out = media.generated_cover(
            peaks, seed=cover_seed(version.record_id), out=tmp / GENERATED_COVER
        )
        with out.path.open("rb") as handle:
            path = storage_put(f"records/{version.record_id}/{version.key}/{out.label}", handle)
    _, created = Rendition.objects.get_or_create(
        version=version,
        label=out.label,
        defaults={
            "path": path,
            "mime": out.mime,
            "width": out.width,
            "height": out.height,
            "size": out.size,
        },
    )
    return "generated" if created else "exists"


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


@changes_public_pages
def version_process_abandoned(*, version_id: int, reason: str, **kwargs: Any) -> None:
    """The job processing this version was abandoned for good: fail the version with a
    reason its owner reads (`reason` is the technical one, kept in the job's row)."""
    RecordVersion.objects.filter(
        pk=version_id, status__in=[ProcessingStatus.PENDING, ProcessingStatus.PROCESSING]
    ).update(
        status=ProcessingStatus.FAILED, failure_reason=ABANDONED_REASON, processed_at=timezone.now()
    )


@changes_public_pages
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
