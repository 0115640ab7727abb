"""Reads of records, each with its visibility rule."""

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.urls import reverse

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.records import hooks
from riffhouse.records.models import (
    Cover,
    Kind,
    Licence,
    ProcessingStatus,
    Record,
    RecordVersion,
    RemixPolicy,
    Rendition,
    Visibility,
)

Viewer = User | AnonymousUser


def _is_author(viewer: Viewer, record: Record) -> bool:
    return viewer.is_authenticated and record.author_id == viewer.pk


def record_can_view(*, viewer: Viewer, record: Record) -> bool:
    """Published records with a processed version are public; everything else, including
    drafts and records still processing, only their author sees — and a draft someone else
    is asked about, whom the apps above name through `hooks.may_view` (lineage: the author
    of a source it asks to use, while the request is open). The grant is asked only for
    that rare case, so the common one costs no query. Lists and feeds never call this:
    they show published records only."""
    if record.is_public or _is_author(viewer, record):
        return True
    return (
        isinstance(viewer, User)
        and viewer.is_authenticated
        and record.visibility == Visibility.DRAFT
        and record.deleted_at is None
        and hooks.may_view(viewer=viewer, record=record)
    )


def record_get_visible(*, viewer: Viewer, record_id: int) -> Record:
    """The record with what its page needs, if `viewer` may see it; a deleted record comes
    back as its tombstone (check `deleted_at`). Otherwise NotFound — drafts are not even
    admitted to exist."""
    record = (
        Record.objects.select_related("author", "current_version", "live_version", "cover")
        .prefetch_related("tags", "live_version__renditions")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise NotFound("No record here.")
    if _is_author(viewer, record) and record.current_version is not None:
        # Only its author sees the newest version (`record_version_for`); everyone else's
        # page costs no query for its files.
        prefetch_related_objects([record], "current_version__renditions")
    if record.deleted_at is not None:
        return record
    if not record_can_view(viewer=viewer, record=record):
        raise NotFound("No record here.")
    return record


def record_page_shared(*, request: HttpRequest, facts: Mapping[str, Any]) -> bool:
    """Whether a public record's page (and its lists of remixes) kept for members may be
    given to this member (`core.page_cache.members_share`, decision 0042): it is the same
    for every member but its author and those the apps above name through
    `hooks.page_personal` (lineage: a record of theirs among its sources or remixes)."""
    user: User = request.user  # type: ignore[assignment]
    return user.pk != facts["author_id"] and not hooks.page_personal(
        viewer=user, record_id=facts["record_id"]
    )


def record_get_hidden(*, record_id: int) -> Record | None:
    """A record moderators hid (not deleted), for the notice its page shows to everyone
    who may not see it; None otherwise."""
    return (
        Record.objects.select_related("author")
        .filter(pk=record_id, hidden_at__isnull=False, deleted_at__isnull=True)
        .first()
    )


def record_check_editable(*, actor: Viewer, record: Record) -> None:
    """The rule for changing a record, wherever the change comes from: only its author
    (403 for anyone else who can see it) and not once it is deleted (410)."""
    if not _is_author(actor, record):
        raise PermissionDenied("Only its author can change this record.")
    if record.deleted_at is not None:
        raise ApplicationError("This record was deleted.", code="deleted", status=410)


def record_get_editable(*, viewer: Viewer, record_id: int) -> Record:
    """The record for its author's edit pages (edit, delete, sources): anyone else's record,
    or a deleted one, is NotFound — a page does not show a stranger what they could edit.
    The services check again with `record_check_editable` inside their transaction."""
    record = record_get_visible(viewer=viewer, record_id=record_id)
    if not _is_author(viewer, record) or record.deleted_at is not None:
        raise NotFound("No record here.")
    return record


def record_check_remixable(*, viewer: Viewer, record: Record, field: str | None = None) -> None:
    """The rule for building on a record: not once it is deleted (410), and not when it is
    closed to remixes (403) — its own author may always build on it. `field` names the form
    or API field the refusal belongs to (the remix services': "sources")."""
    if record.deleted_at is not None:
        raise ApplicationError(
            f"“{record.title}” was removed by its author and cannot be remixed.",
            code="source_deleted",
            status=410,
            field=field,
        )
    if record.remix_policy == RemixPolicy.CLOSED and not _is_author(viewer, record):
        raise ApplicationError(
            f"“{record.title}” is closed to remixes: its author keeps it as it is.",
            code="remix_closed",
            status=403,
            field=field,
        )


def record_get_remixable(*, viewer: Viewer, record_id: int) -> Record:
    """The record `viewer` may build on (the remix page): visible to them (else NotFound)
    and allowed by `record_check_remixable`."""
    record = record_get_visible(viewer=viewer, record_id=record_id)
    if record.deleted_at is None and not (record.is_public or _is_author(viewer, record)):
        # a draft shown to someone asked about it (`hooks.may_view`) is not theirs to build on
        raise NotFound("No record here.")
    record_check_remixable(viewer=viewer, record=record)
    return record


def record_version_for(*, viewer: Viewer, record: Record) -> RecordVersion | None:
    """The version this viewer sees: the author sees the newest, everyone else the live one."""
    return record.current_version if _is_author(viewer, record) else record.live_version


def record_versions(*, viewer: Viewer, record: Record) -> QuerySet[RecordVersion]:
    if not _is_author(viewer, record):
        return record.versions.filter(status="ready").select_related("created_by")
    return record.versions.select_related("created_by")


def record_file_get(
    *, viewer: Viewer, record_id: int, key: str, label: str
) -> tuple[Record, RecordVersion, str, str]:
    """(record, version, storage name, mime) of one of a version's files, if the viewer may
    fetch it. The original is served only to its author; renditions to anyone who can see
    the record. Deleted records serve nothing."""
    version = (
        RecordVersion.objects.select_related("record").filter(record_id=record_id, key=key).first()
    )
    if version is None or version.record.deleted_at is not None:
        raise NotFound("No such file.")
    record = version.record
    if not record_can_view(viewer=viewer, record=record):
        raise NotFound("No such file.")
    if label == "original":
        if not _is_author(viewer, record) or not version.original:
            raise NotFound("No such file.")
        return record, version, version.original, version.mime
    rendition = version.renditions.filter(label=label).first()
    if rendition is None:
        raise NotFound("No such file.")
    return record, version, rendition.path, rendition.mime


# Lists -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    items: list[Record]
    next_cursor: str | None


def _encode_cursor(record: Record, *, most_remixed: bool = False) -> str:
    assert record.published_at is not None
    raw = f"{record.published_at.isoformat()}|{record.pk}"
    if most_remixed:
        raw = f"{record.remix_count}|{raw}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, *, most_remixed: bool = False) -> tuple[int, datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        parts = raw.split("|")
        count = int(parts.pop(0)) if most_remixed else 0
        stamp, pk = parts
        return count, datetime.fromisoformat(stamp), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


SORTS = ("newest", "most_remixed")


def _feed(
    *,
    kind: str | None,
    tag: str | None,
    author: str | None,
    remixable: bool,
    never_remixed: bool,
    sort: str,
    cursor: str | None,
) -> tuple[QuerySet[Record], bool]:
    """The listed records a feed page takes its head from, in its order, and whether the
    order is by remix count (the cursor then carries it)."""
    if kind and kind not in Kind.values:
        raise ApplicationError(f"Unknown kind “{kind[:20]}”.", code="invalid_kind", field="kind")
    if sort not in SORTS:
        raise ApplicationError(f"Sort by {' or '.join(SORTS)}.", code="invalid_sort", field="sort")
    most_remixed = sort == "most_remixed"
    records = Record.objects.listed()
    if kind:
        records = records.filter(kind=kind)
    if tag:
        records = records.filter(tags__name=tag.strip().lower())
    if author:
        records = records.filter(author__username__iexact=author)
    if remixable:
        records = records.filter(remix_policy=RemixPolicy.OPEN).exclude(
            licence=Licence.ALL_RIGHTS_RESERVED  # needs permission whatever the policy
        )
    if never_remixed:
        records = records.filter(remix_count=0)
    order = ["-published_at", "-pk"]
    if cursor:
        count, stamp, pk = _decode_cursor(cursor, most_remixed=most_remixed)
        after = Q(published_at__lt=stamp) | Q(published_at=stamp, pk__lt=pk)
        if most_remixed:
            after = Q(remix_count__lt=count) | Q(remix_count=count) & after
        records = records.filter(after)
    if most_remixed:
        order.insert(0, "-remix_count")
    return records.order_by(*order), most_remixed


def record_feed(
    *,
    viewer: Viewer,
    kind: str | None = None,
    tag: str | None = None,
    author: str | None = None,
    remixable: bool = False,
    never_remixed: bool = False,
    sort: str = "newest",
    cursor: str | None = None,
    limit: int = 24,
    with_tags: bool = True,
) -> Page:
    """Published records, newest (or most remixed) first, optionally of one kind, tag or
    author, only those open to remix, or only those nobody has remixed yet; pages follow a
    cursor (no offsets, so a page never repeats or skips when new records arrive). A fixed
    number of queries, however long the page; one fewer `with_tags=False`, for a page that
    shows only the records' cards (which show no tags)."""
    records, most_remixed = _feed(
        kind=kind,
        tag=tag,
        author=author,
        remixable=remixable,
        never_remixed=never_remixed,
        sort=sort,
        cursor=cursor,
    )
    limit = max(1, min(limit, 100))
    records = records.select_related("author", "live_version", "cover").prefetch_related(
        Prefetch("live_version__renditions", queryset=Rendition.objects.order_by("label"))
    )
    if with_tags:
        records = records.prefetch_related("tags")
    items = list(records[: limit + 1])
    next_cursor = (
        _encode_cursor(items[limit - 1], most_remixed=most_remixed) if len(items) > limit else None
    )
    items = items[:limit]
    records_cover_art_attach(records=items)
    return Page(items=items, next_cursor=next_cursor)


@dataclass(frozen=True)
class IdPage:
    ids: list[int]
    next_cursor: str | None


def record_feed_ids(
    *,
    viewer: Viewer,
    kind: str | None = None,
    tag: str | None = None,
    author: str | None = None,
    remixable: bool = False,
    never_remixed: bool = False,
    sort: str = "newest",
    cursor: str | None = None,
    limit: int = 24,
) -> IdPage:
    """The page `record_feed` would give, as the records' ids only, in one light query: for
    a list whose cards come from the cache (`records.cards.cards_for_ids`)."""
    records, most_remixed = _feed(
        kind=kind,
        tag=tag,
        author=author,
        remixable=remixable,
        never_remixed=never_remixed,
        sort=sort,
        cursor=cursor,
    )
    limit = max(1, min(limit, 100))
    rows = list(records.values_list("pk", "published_at", "remix_count")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        pk, published_at, remix_count = rows[limit - 1]
        next_cursor = _encode_cursor(
            Record(pk=pk, published_at=published_at, remix_count=remix_count),
            most_remixed=most_remixed,
        )
    return IdPage(ids=[row[0] for row in rows[:limit]], next_cursor=next_cursor)


# What a card shows (`records/_card.html`, through `records_cover_art_attach`), and no more:
# a text version's body and its HTML can be long, and a card needs neither.
CARD_FIELDS = (
    "id",
    "kind",
    "title",
    "remix_count",
    "author__id",
    "author__username",
    "author__display_name",
    "author__deleted_at",
    "live_version__id",
    "live_version__record_id",
    "live_version__key",
    "live_version__metadata",
    "cover__id",
    "cover__key",
    "cover__path",
    "cover__width",
    "cover__height",
    "cover__dominant_color",
)


def records_for_cards(*, record_ids: Sequence[int]) -> list[Record]:
    """The listed records of `record_ids` with what their cards show, in at most five
    queries: the records with their authors, live versions and covers (only the columns a
    card shows), the live versions' renditions, and their cover art."""
    records = list(
        Record.objects.listed()
        .filter(pk__in=record_ids)
        .select_related("author", "live_version", "cover")
        .only(*CARD_FIELDS)
        .prefetch_related(
            Prefetch(
                "live_version__renditions",
                queryset=Rendition.objects.only(
                    "id", "version_id", "label", "width", "height"
                ).order_by("label"),
            )
        )
    )
    records_cover_art_attach(records=records)
    return records


def record_card_get(*, viewer: Viewer, record_id: int) -> Record | None:
    """One record with what its card (`records/_card.html`) shows — author, live version and
    its renditions, cover art — if `viewer` may see it; None for a deleted record or one
    they may not see (a card has no tombstone)."""
    record = (
        Record.objects.select_related("author", "live_version", "cover")
        .prefetch_related(
            Prefetch("live_version__renditions", queryset=Rendition.objects.order_by("label"))
        )
        .filter(pk=record_id, deleted_at__isnull=True)
        .first()
    )
    if record is None or not record_can_view(viewer=viewer, record=record):
        return None
    records_cover_art_attach(records=[record])
    return record


def record_drafts(*, viewer: Viewer) -> QuerySet[Record]:
    """The viewer's own records that others cannot see yet: drafts and first uploads still
    processing or failed."""
    if not viewer.is_authenticated:
        return Record.objects.none()
    return (
        Record.objects.filter(author_id=viewer.pk, deleted_at__isnull=True)
        .filter(Q(visibility=Visibility.DRAFT) | Q(live_version__isnull=True))
        .select_related("current_version")
        .order_by("-created_at")
    )


# Cover art ---------------------------------------------------------------------------------
class CoverOrigin:
    AUTHOR = "author"
    SOURCE = "source"
    GENERATED = "generated"


@dataclass(frozen=True)
class CoverArt:
    """The picture a track shows in lists and on its page: its author's cover, else the art
    of its first image source, else the cover generated from its waveform (decision 0018)."""

    url: str
    origin: str
    width: int | None = None
    height: int | None = None
    color: str = ""


# An image record's renditions to borrow, best first (a small picture has only w320).
SOURCE_ART_LABELS = ("w640.webp", "w320.webp")
GENERATED_COVER_LABEL = "cover.webp"


def _file_url(record_id: int, key: object, label: str) -> str:
    return reverse("records:file", args=[record_id, key, label])


def _own_cover(record: Record) -> CoverArt | None:
    cover = record.cover
    if cover is None or not cover.path:
        return None
    return CoverArt(
        url=reverse("records:cover", args=[record.pk, cover.key]),
        origin=CoverOrigin.AUTHOR,
        width=cover.width,
        height=cover.height,
        color=cover.dominant_color,
    )


def records_cover_art_attach(
    *,
    records: list[Record],
    version_of: Callable[[Record], RecordVersion | None] | None = None,
) -> None:
    """Set `cover_art` (a CoverArt or None) on each audio record of `records`, in at most two
    queries for the whole list whatever its length: the first image sources (lineage, through
    `hooks.source_art`) and their pictures. Expects `cover` and `live_version` joined and the
    live versions' renditions prefetched, as `record_feed` does. `version_of(record)` gives
    the version whose generated cover to show (default: the live one)."""
    audio = [r for r in records if r.kind == Kind.AUDIO]
    for record in audio:
        record.cover_art = _own_cover(record)
    needing = [r.pk for r in audio if r.cover_art is None]
    sources = hooks.source_art(record_ids=needing)
    pictures: dict[int, Rendition] = {}
    if sources:
        for rendition in Rendition.objects.filter(
            version_id__in=[s.live_version_id for s in sources.values()],
            label__in=SOURCE_ART_LABELS,
        ).order_by("-label"):  # w640 before w320
            pictures.setdefault(rendition.version_id, rendition)
    for record in audio:
        if record.cover_art is not None:
            continue
        source = sources.get(record.pk)
        picture = pictures.get(source.live_version_id or 0) if source else None
        if source is not None and picture is not None and source.live_version is not None:
            record.cover_art = CoverArt(
                url=_file_url(source.pk, source.live_version.key, picture.label),
                origin=CoverOrigin.SOURCE,
                width=picture.width,
                height=picture.height,
                color=source.live_version.metadata.get("dominant_color", ""),
            )
            continue
        version = version_of(record) if version_of is not None else record.live_version
        generated = (
            next((r for r in version.renditions.all() if r.label == GENERATED_COVER_LABEL), None)
            if version is not None
            else None
        )
        record.cover_art = (
            CoverArt(
                url=_file_url(record.pk, version.key, generated.label),
                origin=CoverOrigin.GENERATED,
                width=generated.width,
                height=generated.height,
            )
            if version is not None and generated is not None
            else None
        )


def record_cover_file_get(*, viewer: Viewer, record_id: int, key: str) -> tuple[Record, str]:
    """(record, storage name) of a record's processed cover image, if the viewer may see the
    record. Deleted records serve nothing."""
    cover = (
        Cover.objects.select_related("record")
        .filter(record_id=record_id, key=key, status=ProcessingStatus.READY)
        .first()
    )
    if cover is None or cover.record.deleted_at is not None or not cover.path:
        raise NotFound("No such file.")
    if not record_can_view(viewer=viewer, record=cover.record):
        raise NotFound("No such file.")
    return cover.record, cover.path
