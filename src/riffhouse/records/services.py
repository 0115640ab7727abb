"""Every write to records: create, edit (a new version), restore, delete, and the processing
of a version's original into what people see. The apps above records take part through
`hooks.py`, called by name from here; each write leaves an audit row (accounts' `audit`)."""

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Expression, Max, QuerySet
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.selectors import user_is_moderator
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError, PermissionDenied
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.core.ratelimit import rate_limit_hit
from riffhouse.core.storage import storage_delete_many
from riffhouse.records import hooks
from riffhouse.records.content import (
    Content,
    Upload,
    choice_check,
    content_prepare,
    cover_prepare,
    description_check,
    language_check,
    tags_parse,
    title_check,
)
from riffhouse.records.hooks import SourceSpec
from riffhouse.records.models import (
    Cover,
    Kind,
    Licence,
    ProcessingStatus,
    Record,
    RecordVersion,
    RemixPolicy,
    Rendition,
    Tag,
    Visibility,
)
from riffhouse.records.selectors import record_check_editable

logger = logging.getLogger(__name__)


def _set_tags(record: Record, names: list[str]) -> None:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    record.tags.set([existing[name] for name in names])


# Create, edit, restore, delete -------------------------------------------------------------
def record_lock(*, record_id: int, related: tuple[str, ...] = ()) -> Record:
    """Lock a record's row until the transaction ends (call inside one), then read it with
    `related` afresh.

    Two statements on purpose: on PostgreSQL a `SELECT ... FOR UPDATE` that waited for another
    transaction re-checks only the locked row, and the rows it joins come from the snapshot
    taken before the wait, so a version that transaction just made (now `current_version`)
    joins as NULL. The read after the lock sees everything committed before it."""
    Record.objects.select_for_update().filter(pk=record_id).values_list("pk").get()
    return Record.objects.select_related(*related).get(pk=record_id)


def _next_number(record: Record) -> int:
    current = record.versions.aggregate(n=Max("number"))["n"]
    return (current or 0) + 1


def _version_from(
    record: Record,
    *,
    actor: User,
    title: str,
    description: str,
    content: Content,
    key: Any,
    restored_from: int | None = None,
    reuse: RecordVersion | None = None,
) -> RecordVersion:
    """Write a version. With `reuse` (same original, already processed) the renditions are
    shared and the version is ready at once; otherwise it waits for the processing job."""
    from riffhouse.records.tasks import version_process_task

    version = RecordVersion.objects.create(
        record=record,
        number=_next_number(record),
        key=key,
        created_by=actor,
        title=title,
        description=description,
        body=content.body,
        original=content.original,
        original_name=content.original_name,
        original_size=content.original_size,
        original_sha256=content.original_sha256,
        mime=content.mime,
        restored_from=restored_from,
        metadata={"probe": content.probe} if content.probe else {},
    )
    if reuse is not None and reuse.status == ProcessingStatus.READY:
        version.body_html = reuse.body_html
        version.metadata = reuse.metadata
        version.status = ProcessingStatus.READY
        version.processed_at = timezone.now()
        version.save(update_fields=["body_html", "metadata", "status", "processed_at"])
        Rendition.objects.bulk_create(
            Rendition(
                version=version,
                label=r.label,
                path=r.path,
                mime=r.mime,
                width=r.width,
                height=r.height,
                size=r.size,
            )
            for r in reuse.renditions.all()
        )
        record.current_version = version
        record_make_live(record=record, version=version)
    else:
        record.current_version = version
        # Until it is processed people keep seeing the live version, its title included
        # (whatever the caller set on the record).
        _show_live_fields(record)
        record.save(update_fields=["current_version", "title", "description", "updated_at"])
        version_process_task.enqueue(version_id=version.pk)
    return version


def _forget_staged(upload: Upload | None) -> None:
    """A file kept after a form error (`records.staging`) is no longer needed once the
    version made from it commits: its original is stored apart."""
    if upload is not None and upload.staged:
        transaction.on_commit(lambda: storage_delete_many([upload.staged]))


def _show_live_fields(record: Record) -> None:
    """The live-version rule for the fields copied onto the record: `Record.title` and
    `description` are always those of the version everyone but the author sees (the live
    one; before there is one, only the author sees the record, so its current version).
    Every list, card, lineage node, export and notification reads them from the record, so
    keeping them right here is what keeps an unpublished version from leaking."""
    shown = record.live_version or record.current_version
    if shown is not None:
        record.title, record.description = shown.title, shown.description


@changes_public_pages
def record_make_live(*, record: Record, version: RecordVersion) -> None:
    """Make a processed version the one people see (unless a newer one already is)."""
    fields = ["current_version", "updated_at"]
    if record.live_version is None or record.live_version.number < version.number:
        record.live_version = version
        _show_live_fields(record)
        fields.extend(["live_version", "title", "description"])
    if record.visibility == Visibility.PUBLISHED and record.published_at is None:
        record.published_at = timezone.now()
        fields.append("published_at")
    record.save(update_fields=fields)
    if "published_at" in fields:
        hooks.after_publish(record=record)
    elif "live_version" in fields:
        hooks.after_change(record=record)


@changes_public_pages
@transaction.atomic
def record_create(
    *,
    author: User,
    kind: str,
    title: str,
    description: str = "",
    tags: str | list[str] = "",
    language: str = "",
    licence: str | None = None,
    remix_policy: str | None = None,
    visibility: str = Visibility.PUBLISHED,
    body: str | None = None,
    upload: Upload | None = None,
    sources: Sequence[SourceSpec] = (),
    message: str = "",
    cover: Upload | None = None,
    wants_collaborators: bool = False,
    rate_limit: bool = False,
) -> Record:
    """Create a record and its first version. Text is given as `body` (Markdown) or as an
    uploaded UTF-8 file; images, audio and video as `upload`, recognised by content. The
    original is stored under a server-made path and a job makes what people see. Nothing is
    saved if any check fails. `remix_policy` None means the author's default.

    With `sources` the record is a remix: the sources handler (`hooks.sources`, lineage's)
    checks and locks them first, proposes the licence when `licence` is None or empty (the
    most permissive one every source allows; otherwise it checks the one given), keeps the
    record a draft while a source's author is asked (`message` is for them), and links them
    once the record exists — all in this transaction. Without sources, no `licence` means
    Riffhouse's. `cover` is an audio record's cover image (`record_cover_set`). A member's
    own upload through a page or the API passes `rate_limit=True`: it counts against the
    "upload" limit (`core.ratelimit`; 429 `rate_limited` over it, nothing saved). Data built
    by the instance (the demo, imports) does not."""
    if rate_limit:
        rate_limit_hit(action="upload", user_id=author.pk, joined_at=author.date_joined)
    plan = None
    if sources:
        plan = hooks.sources().plan(
            author=author,
            sources=sources,
            licence=licence or None,
            visibility=visibility,
            message=message,
        )
        licence = plan.licence or licence
        if plan.draft:
            visibility = Visibility.DRAFT
    licence = licence or Licence.RIFFHOUSE
    if remix_policy is None:
        remix_policy = author.default_remix_policy
    choice_check(kind, Kind, "kind", "kind")
    title = title_check(title)
    description = description_check(description)
    tag_names = tags_parse(raw=tags)
    language = language_check(language)
    choice_check(licence, Licence, "licence", "licence")
    choice_check(remix_policy, RemixPolicy, "remix_policy", "remix policy")
    choice_check(visibility, Visibility, "visibility", "visibility")
    if not author.is_active:
        raise PermissionDenied("Confirm your account before uploading.")
    record = Record.objects.create(
        author=author,
        kind=kind,
        title=title,
        description=description,
        language=language,
        licence=licence,
        remix_policy=remix_policy,
        visibility=visibility,
        wants_collaborators=wants_collaborators,
    )
    key = RecordVersion._meta.get_field("key").get_default()
    content = content_prepare(kind, record.pk, str(key), body=body, upload=upload)
    try:
        with transaction.atomic():
            _set_tags(record, tag_names)
            _version_from(
                record, actor=author, title=title, description=description, content=content, key=key
            )
            if plan is not None:
                plan.apply(record=record)
            if cover is not None:
                record_cover_set(actor=author, record=record, upload=cover)
    except BaseException:
        storage_delete_many([content.original])  # no stray file for a record never saved
        raise
    audit(
        action=AuditEvent.Action.RECORD_CREATED,
        actor=author,
        subject=author,
        target=record,
        sources=[spec.record_id for spec in sources],
    )
    hooks.after_change(record=record)  # now with its tags and sources
    _forget_staged(upload)
    return record


@changes_public_pages
@transaction.atomic
def record_update(
    *,
    actor: User,
    record: Record,
    title: str | None = None,
    description: str | None = None,
    tags: str | list[str] | None = None,
    language: str | None = None,
    licence: str | None = None,
    remix_policy: str | None = None,
    visibility: str | None = None,
    body: str | None = None,
    upload: Upload | None = None,
    sources: Sequence[SourceSpec] | None = None,
    message: str = "",
    cover: Upload | None = None,
    remove_cover: bool = False,
    wants_collaborators: bool | None = None,
) -> Record:
    """Change a record. New content (title, description, text or file) makes a new
    version; settings (tags, language, licence, remix policy, visibility) change in place.
    Fields left as None are kept. `sources` replaces the record's sources first, through
    the sources handler (`hooks.sources`; `message` is for authors asked to approve), in
    this transaction. Publishing asks `hooks.may_publish`, naming a licence
    `hooks.may_change_licence`; a change of visibility runs `hooks.after_publish` or
    `hooks.after_visibility_change`. `cover` gives an audio record a new cover image and
    `remove_cover` takes it away (neither makes a version: the cover is the record's)."""
    if sources is not None:
        hooks.sources().replace(
            actor=actor, record=record, sources=sources, licence=licence, message=message
        )
    record = record_lock(record_id=record.pk, related=("current_version", "live_version"))
    record_check_editable(actor=actor, record=record)
    was_visibility = record.visibility
    fields: list[str] = []
    if language is not None:
        record.language = language_check(language)
        fields.append("language")
    if licence is not None:
        record.licence = choice_check(licence, Licence, "licence", "licence")
        fields.append("licence")
    if remix_policy is not None:
        record.remix_policy = choice_check(
            remix_policy, RemixPolicy, "remix_policy", "remix policy"
        )
        fields.append("remix_policy")
    if wants_collaborators is not None:
        record.wants_collaborators = wants_collaborators
        fields.append("wants_collaborators")
    if visibility is not None:
        record.visibility = choice_check(visibility, Visibility, "visibility", "visibility")
        fields.append("visibility")
        if (
            visibility == Visibility.PUBLISHED
            and record.published_at is None
            and record.live_version_id is not None
        ):
            record.published_at = timezone.now()
            fields.append("published_at")
    tag_names = tags_parse(raw=tags) if tags is not None else None

    current = record.current_version
    assert current is not None  # every record is created with a version
    new_title = title_check(title) if title is not None else current.title
    new_description = (
        description_check(description) if description is not None else current.description
    )
    content_changed = upload is not None or (body is not None and body != current.body)
    if content_changed or new_title != current.title or new_description != current.description:
        key = RecordVersion._meta.get_field("key").get_default()
        if content_changed:
            content = content_prepare(
                record.kind, record.pk, str(key), body=body, upload=upload, where="version"
            )
            reuse = None
        else:
            content = _content_of(current)
            reuse = current
        try:
            with transaction.atomic():
                if fields:
                    _save_settings(record, fields, was_visibility=was_visibility)
                # The record's title and description follow the live version: _version_from
                # sets them (to the new one's at once when it reuses processed files).
                version = _version_from(
                    record,
                    actor=actor,
                    title=new_title,
                    description=new_description,
                    content=content,
                    key=key,
                    reuse=reuse,
                )
        except BaseException:
            if content_changed:
                storage_delete_many([content.original])
            raise
        audit(
            action=AuditEvent.Action.RECORD_VERSION_CREATED,
            actor=actor,
            subject=record.author,
            target=record,
            version=version.number,
        )
        _forget_staged(upload)
    elif fields:
        _save_settings(record, fields, was_visibility=was_visibility)
    if tag_names is not None:
        _set_tags(record, tag_names)
    if remove_cover and cover is None:
        record_cover_remove(actor=actor, record=record)
    if cover is not None:
        record_cover_set(actor=actor, record=record, upload=cover)
    if fields or tag_names is not None or sources is not None:
        hooks.after_change(record=record)  # a new version runs it from `record_make_live`
    return record


def _save_settings(record: Record, fields: list[str], *, was_visibility: str) -> None:
    """Save changed settings between the hooks: the guards may refuse before anything is
    written; the steps follow a change of visibility."""
    if "visibility" in fields and record.visibility == Visibility.PUBLISHED:
        hooks.may_publish(record=record)
    if "licence" in fields:
        hooks.may_change_licence(record=record, licence=record.licence)
    record.save(update_fields=[*fields, "updated_at"])
    if "published_at" in fields:
        hooks.after_publish(record=record)
    elif record.visibility != was_visibility:
        hooks.after_visibility_change(record=record)


def _content_of(version: RecordVersion) -> Content:
    probe = version.metadata.get("probe") if isinstance(version.metadata, dict) else None
    return Content(
        body=version.body,
        original=version.original,
        original_name=version.original_name,
        original_size=version.original_size,
        original_sha256=version.original_sha256,
        mime=version.mime,
        probe=probe,
    )


@changes_public_pages
@transaction.atomic
def record_version_restore(*, actor: User, record: Record, number: int) -> RecordVersion:
    """Make an earlier version current again, as a new version: history only grows."""
    record = record_lock(record_id=record.pk, related=("live_version",))
    record_check_editable(actor=actor, record=record)
    old = record.versions.filter(number=number).first()
    if old is None:
        raise ApplicationError(
            f"This record has no version {number}.", code="not_found", status=404
        )
    key = RecordVersion._meta.get_field("key").get_default()
    version = _version_from(
        record,
        actor=actor,
        title=old.title,
        description=old.description,
        content=_content_of(old),
        key=key,
        restored_from=old.number,
        reuse=old,
    )
    audit(
        action=AuditEvent.Action.RECORD_RESTORED,
        actor=actor,
        subject=record.author,
        target=record,
        version=version.number,
        restored_from=old.number,
    )
    return version


def _files_of(record: Record) -> list[str]:
    names = set(record.versions.exclude(original="").values_list("original", flat=True))
    names.update(Rendition.objects.filter(version__record=record).values_list("path", flat=True))
    return sorted(names)


@changes_public_pages
@transaction.atomic
def record_delete(*, actor: User, record: Record) -> Record:
    """Delete a record, leaving a tombstone so that remixes keep their credit. A record that
    was never published also loses its files. `hooks.may_delete` may refuse;
    `hooks.after_delete` follows."""
    record = Record.objects.select_for_update(of=("self",)).get(pk=record.pk)
    record_check_editable(actor=actor, record=record)
    hooks.may_delete(records=[record])
    record.deleted_at = timezone.now()
    record.save(update_fields=["deleted_at", "updated_at"])
    hooks.after_delete(records=[record])
    if record.published_at is None:
        names = _files_of(record)
        transaction.on_commit(lambda: storage_delete_many(names))
    audit(action=AuditEvent.Action.RECORD_DELETED, actor=actor, subject=actor, target=record)
    return record


@changes_public_pages
@transaction.atomic
def records_delete_for_author(*, author: User) -> int:
    """Tombstone every record of a member who deleted their account (registered on
    accounts' `after_account_delete` hook, so it runs inside that transaction), as
    `record_delete` would one by one: the same hooks run for the whole batch, and records
    that were never published also lose their files once this commits. Returns how many
    records were deleted. (The account's own audit row records the deletion.)"""
    records = Record.objects.filter(author=author, deleted_at__isnull=True)
    batch = list(records.order_by("pk"))  # their rows are locked by the UPDATE below
    hooks.may_delete(records=batch)
    drafts = list(records.filter(published_at__isnull=True).values_list("pk", flat=True))
    names = set(
        RecordVersion.objects.filter(record_id__in=drafts)
        .exclude(original="")
        .values_list("original", flat=True)
    )
    names.update(
        Rendition.objects.filter(version__record_id__in=drafts).values_list("path", flat=True)
    )
    now = timezone.now()
    count = records.update_after_hooks(deleted_at=now, updated_at=now)
    for record in batch:
        record.deleted_at = record.updated_at = now
    hooks.after_delete(records=batch)
    if names:
        files = sorted(names)
        # robust: the deletion has committed; a storage hiccup must not undo the answer.
        transaction.on_commit(lambda: storage_delete_many(files), robust=True)
    return count


@changes_public_pages
def records_delete_for_account(*, user: User) -> None:
    """Registered on accounts' `after_account_delete` hook (in `apps.py`): a member who
    deletes their account leaves tombstones, so remixes keep their credit."""
    records_delete_for_author(author=user)


# For the apps above records ----------------------------------------------------------------
def records_lock(*, record_ids: "Iterable[int] | QuerySet[Any, int]") -> None:
    """Lock these records' rows until the transaction ends, in id order, so two writers never
    wait on each other's rows in opposite orders. `record_ids` may be a query of ids (it is
    then a subquery: a long chain's tail is never loaded into Python). Lineage locks a
    record with its sources, and a chain's records, through here."""
    ids = record_ids if isinstance(record_ids, QuerySet) else sorted(set(record_ids))
    list(
        Record.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def records_get_locked(*, record_ids: Iterable[int]) -> dict[int, Record]:
    """`records_lock`, returning the records by id with their author and versions (missing
    ids are left out). Lineage locks a remix's sources through here while it checks them.
    Locked first, read after (as `record_lock` does): a locking read joined to the versions
    would see a version made while it waited as NULL on PostgreSQL."""
    ids = sorted(set(record_ids))
    records_lock(record_ids=ids)
    return {
        record.pk: record
        for record in Record.objects.select_related(
            "author", "live_version", "current_version"
        ).filter(pk__in=ids)
    }


@changes_public_pages
def remix_counts_set(*, record_ids: Iterable[int], count: Expression) -> None:
    """Set `remix_count` of these records to `count`, an expression over each record's row
    (lineage's COUNT of its published remixes), in one UPDATE, holding the rows' locks
    (taken in id order first): concurrent recounts of one record queue here, and each sees
    the remixes committed before it (decision 0010)."""
    ids = sorted(set(record_ids))
    if not ids:
        return
    records_lock(record_ids=ids)
    Record.objects.filter(pk__in=ids).update(remix_count=count)


# Covers ------------------------------------------------------------------------------------
COVER_KINDS = frozenset({Kind.AUDIO})


@changes_public_pages
@transaction.atomic
def record_cover_set(*, actor: User, record: Record, upload: Upload) -> Cover:
    """Give a record (audio) a cover image of its author's. The original is stored and a job
    makes the WebP people see; until it is ready the record keeps showing what it showed.
    The cover belongs to the record: new versions of the sound keep it (decision 0018)."""
    from riffhouse.records.tasks import cover_process_task

    record = record_lock(record_id=record.pk, related=("author",))
    record_check_editable(actor=actor, record=record)
    if record.kind not in COVER_KINDS:
        raise ApplicationError(
            "Only music and audio records take a cover image.", code="cover_kind", field="cover"
        )
    key = Cover._meta.get_field("key").get_default()
    original = cover_prepare(record.pk, str(key), upload=upload)
    try:
        with transaction.atomic():
            cover = Cover.objects.create(record=record, key=key, original=original)
            cover_process_task.enqueue(cover_id=cover.pk)
    except BaseException:
        storage_delete_many([original])
        raise
    audit(
        action=AuditEvent.Action.RECORD_COVER_CHANGED,
        actor=actor,
        subject=record.author,
        target=record,
        cover=str(key),
    )
    return cover


@changes_public_pages
@transaction.atomic
def record_cover_remove(*, actor: User, record: Record) -> None:
    """Take a record's cover image away (it shows its source's art or its generated cover
    again); the files go once this commits."""
    record = record_lock(record_id=record.pk, related=("author",))
    record_check_editable(actor=actor, record=record)
    covers = list(Cover.objects.filter(record=record))
    if not covers:
        return
    names = [name for cover in covers for name in (cover.path, cover.original) if name]
    Record.objects.filter(pk=record.pk).update_after_hooks(cover=None)
    Cover.objects.filter(record=record).delete()
    audit(
        action=AuditEvent.Action.RECORD_COVER_CHANGED,
        actor=actor,
        subject=record.author,
        target=record,
        cover=None,
    )
    transaction.on_commit(lambda: storage_delete_many(names), robust=True)


# Moderation ----------------------------------------------------------------------------------
def _check_moderator(actor: User) -> None:
    if not user_is_moderator(user=actor):
        raise PermissionDenied("Only moderators can do that.", code="not_moderator")


@changes_public_pages
@transaction.atomic
def record_hide(*, moderator: User, record: Record, reason: str) -> Record:
    """Hide `record` (moderation): it leaves lists, feeds and search (`listed()`), its page
    shows others that moderators hid it, and its lineage and credits keep it. The
    visibility hook runs so the apps above refresh what they derived from it. Hiding a
    hidden record is harmless."""
    _check_moderator(moderator)
    record = Record.objects.select_for_update(of=("self",)).get(pk=record.pk)
    if record.hidden_at is None:
        record.hidden_at = timezone.now()
        record.save(update_fields=["hidden_at", "updated_at"])
        hooks.after_visibility_change(record=record)
        audit(
            action=AuditEvent.Action.CONTENT_HIDDEN,
            actor=moderator,
            subject=record.author,
            target=record,
            reason=reason,
        )
    return record


@changes_public_pages
@transaction.atomic
def record_unhide(*, moderator: User, record: Record, reason: str = "") -> Record:
    """Show a hidden record again (a moderator's undo)."""
    _check_moderator(moderator)
    record = Record.objects.select_for_update(of=("self",)).get(pk=record.pk)
    if record.hidden_at is not None:
        record.hidden_at = None
        record.save(update_fields=["hidden_at", "updated_at"])
        hooks.after_visibility_change(record=record)
        audit(
            action=AuditEvent.Action.CONTENT_UNHIDDEN,
            actor=moderator,
            subject=record.author,
            target=record,
            reason=reason,
        )
    return record


@changes_public_pages
@transaction.atomic
def record_remove(*, moderator: User, record: Record, reason: str) -> Record:
    """A moderator deletes `record`: the same tombstone as its author's `record_delete`
    (the same hooks; `may_delete` may refuse), so lineage and credits keep it. A tombstone
    is final: undoing a removal is not offered."""
    _check_moderator(moderator)
    record = Record.objects.select_for_update(of=("self",)).get(pk=record.pk)
    if record.deleted_at is not None:
        raise ApplicationError("This record was deleted already.", code="deleted", status=410)
    hooks.may_delete(records=[record])
    record.deleted_at = timezone.now()
    record.save(update_fields=["deleted_at", "updated_at"])
    hooks.after_delete(records=[record])
    audit(
        action=AuditEvent.Action.CONTENT_REMOVED,
        actor=moderator,
        subject=record.author,
        target=record,
        reason=reason,
    )
    return record
