"""A production's cover image, processed like an image record's: the upload is checked from
its header and kept as the original, then a job (`tasks.production_cover_process_task`, on
the media queue) turns it into one WebP through records' image sandbox (resized,
re-encoded, no metadata kept). The production shows its newest processed cover; a picture
the job cannot read fails with a reason and the production keeps the cover it had.

Changing or removing the cover is kept in the production's history (a revision naming the
cover and who sent it).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from riffhouse.accounts.models import User
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.core.storage import storage_delete_many
from riffhouse.productions.models import (
    Production,
    ProductionCover,
    ProductionRevision,
    ProductionStatus,
)
from riffhouse.productions.selectors import (
    production_can_view,
    production_check_producer,
    production_lock,
)
from riffhouse.records import content, processing
from riffhouse.records.content import Upload
from riffhouse.records.models import Kind, ProcessingStatus
from riffhouse.records.selectors import Viewer


def cover_url(*, production: Production) -> str:
    """Where the production's processed cover is served ("" without one)."""
    cover = production.cover
    if cover is None or not cover.path:
        return ""
    return reverse("productions:cover", args=[production.pk, cover.key])


def _prepare(production_id: int, key: str, *, upload: Upload) -> str:
    """Check the picture from its header (the job decodes it under its memory cap) and store
    the original; its storage name. Raises before storing anything."""
    limit = settings.RECORD_MAX_BYTES[Kind.IMAGE]
    if upload.size > limit:
        raise ApplicationError(
            f"That picture is {upload.size / settings.MB:,.1f} MB; a cover can be at most "
            f"{limit / settings.MB:,.0f} MB.",
            code="file_too_large",
            field="cover",
            status=413,
        )
    if upload.size == 0:
        raise ApplicationError("That file is empty.", code="empty_file", field="cover")
    return content.cover_original_store(
        upload=upload, name=f"productions/{production_id}/covers/{key}/original"
    )


def _revision(production: Production, *, editor: User, cover: ProductionCover | None) -> None:
    ProductionRevision.objects.create(
        production=production,
        editor=editor,
        title=production.title,
        theme=production.theme,
        brief=production.brief,
        cover=cover,
        changed=["cover"],
    )


def _check_editable(production: Production) -> None:
    if production.status in {ProductionStatus.RELEASED, ProductionStatus.ARCHIVED}:
        raise ApplicationError(
            "A released production keeps the cover it was released with.",
            code="production_released",
            status=409,
        )


@changes_public_pages
@transaction.atomic
def production_cover_set(*, actor: User, production: Production, upload: Upload) -> ProductionCover:
    """Give a production a new cover image (a producer only, before release). The original
    is stored now and a job makes the WebP; until it is ready the production keeps showing
    its old cover."""
    from riffhouse.productions.tasks import production_cover_process_task

    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    _check_editable(production)
    key = ProductionCover._meta.get_field("key").get_default()
    original = _prepare(production.pk, str(key), upload=upload)
    try:
        with transaction.atomic():
            cover = ProductionCover.objects.create(
                production=production, key=key, original=original
            )
            production_cover_process_task.enqueue(cover_id=cover.pk)
    except BaseException:
        storage_delete_many([original])
        raise
    _revision(production, editor=actor, cover=cover)
    audit(
        action="production_cover_changed",
        subject=actor,
        actor=actor,
        target=production,
        cover=str(key),
    )
    return cover


@changes_public_pages
@transaction.atomic
def production_cover_remove(*, actor: User, production: Production) -> None:
    """Take the production's cover away (its files go once this commits)."""
    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    _check_editable(production)
    covers = list(ProductionCover.objects.filter(production=production))
    if not covers:
        return
    names = [name for cover in covers for name in (cover.path, cover.original) if name]
    Production.objects.filter(pk=production.pk).update(cover=None)
    production.cover = None
    ProductionCover.objects.filter(production=production).delete()
    _revision(production, editor=actor, cover=None)
    audit(
        action="production_cover_changed", subject=actor, actor=actor, target=production, cover=None
    )
    transaction.on_commit(lambda: storage_delete_many(names), robust=True)


@changes_public_pages
def production_cover_process(*, cover_id: int) -> str:
    """Turn an uploaded cover into the WebP people see (records' image sandbox) and show it,
    unless a newer cover already is. Idempotent; a picture we cannot read fails with a
    reason and the production keeps its cover. The replaced cover's files are deleted."""
    cover = ProductionCover.objects.filter(pk=cover_id).first()
    if cover is None or cover.status in {ProcessingStatus.READY, ProcessingStatus.FAILED}:
        return cover.status if cover else "missing"
    made = processing.cover_rendition_make(
        original=cover.original,
        name=f"productions/{cover.production_id}/covers/{cover.key}/cover.webp",
    )
    if made.failure_reason:
        ProductionCover.objects.filter(pk=cover_id).update(**made.fields())
        return ProcessingStatus.FAILED

    def lock() -> ProductionCover | None:
        return production_lock(production_id=cover.production_id).cover

    def show() -> None:
        Production.objects.filter(pk=cover.production_id).update(cover_id=cover_id)

    return processing.cover_newest_show(cover=cover, made=made, lock=lock, show=show)


def production_cover_file_get(
    *, viewer: Viewer, production_id: int, key: str
) -> tuple[Production, str]:
    """(production, storage name) of a processed cover, for anyone who may see the
    production; otherwise NotFound."""
    cover = (
        ProductionCover.objects.select_related("production")
        .filter(production_id=production_id, key=key, status=ProcessingStatus.READY)
        .first()
    )
    if cover is None or not cover.path:
        raise NotFound("No such file.")
    if not production_can_view(viewer=viewer, production=cover.production):
        raise NotFound("No such file.")
    return cover.production, cover.path
