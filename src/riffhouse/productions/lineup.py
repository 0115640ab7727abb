"""The lineup: a production's ordered segments, read and written whole.

A segment is a **piece** (a selected submission: its record at the exact version that was
submitted) or a **link** (a title card or host segment made from a record of one of the
production's producers, pinned to its live version when the lineup is saved). Audio and
video play from an in point to an out point, checked against the media's real duration;
images and text show for a display duration. Every segment's `duration_ms` is its runtime.

Writes are optimistic: a writer names the `lineup_version` it read, and a write made on a
stale version is refused with 409 `lineup_stale` (decision 0021). The whole list is
validated before anything is saved; the first bad segment is named by its position and
field (`segments[3].out_ms`).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from riffhouse.accounts.models import User
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.productions.models import (
    MAX_SEGMENT_MS,
    Producer,
    Production,
    Segment,
    SegmentKind,
    Submission,
    SubmissionConsent,
    SubmissionStatus,
)
from riffhouse.productions.selectors import (
    is_producer,
    production_can_view,
    production_check_producer,
    production_lock,
)
from riffhouse.productions.submissions import submissions_selected
from riffhouse.records.models import (
    Kind,
    ProcessingStatus,
    Record,
    RecordVersion,
    Rendition,
    Visibility,
)
from riffhouse.records.selectors import Viewer, records_cover_art_attach

MAX_SEGMENTS = 500
MAX_TITLE = 200
MAX_NOTES = 2000
# No media is longer than a day (records refuse far shorter ones): an out point past it is
# past the end even when a file's length was not measured.
MAX_POINT_MS = 86_400_000
# Display durations when the producer gives none: a picture holds the screen for 6 s; a text
# card for as long as it takes to read (230 words a minute, as records' reading time),
# never shorter than 5 s nor longer than 90 s.
DEFAULT_IMAGE_MS = 6_000
TEXT_WORDS_PER_MINUTE = 230
TEXT_MIN_MS = 5_000
TEXT_MAX_MS = 90_000
TIMED_KINDS = frozenset({Kind.AUDIO, Kind.VIDEO})
# A picture for each kind of record, best first (records' processing names them).
THUMBNAIL_LABELS = {Kind.IMAGE: ("w320.webp", "w640.webp"), Kind.VIDEO: ("poster.jpg",)}


@dataclass(frozen=True)
class SegmentSpec:
    """One segment as a writer asks for it. A piece names `submission_id` (the record and
    its version come from the submission); a link names `record_id` (a producer's record).
    `in_ms`/`out_ms` are for audio and video (default: the whole file; `duration_ms` is
    then computed, whatever was sent); `duration_ms` is the display time of an image or a
    text (default: see `segment_default_duration_ms`)."""

    kind: str = SegmentKind.PIECE
    submission_id: int | None = None
    record_id: int | None = None
    in_ms: int | None = None
    out_ms: int | None = None
    duration_ms: int | None = None
    title: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Lineup:
    """A production's lineup as it stands: its `version` (write it back to change it), the
    segments in order (each with `record`, `record.author`, `record_version` and its
    renditions, and `submission` loaded; audio records with `cover_art`) and the total
    runtime."""

    production: Production
    version: int
    segments: list[Segment]
    runtime_ms: int


@dataclass(frozen=True)
class LineupCandidates:
    """What a producer may put in the lineup: the selected submissions (`pieces`, with
    record, author, version, renditions, cover art) and the producers' own published
    records for links (`links`, the newest first, at their live versions)."""

    pieces: list[Submission]
    links: list[Record]


# Durations ---------------------------------------------------------------------------------
def media_duration_ms(*, version: RecordVersion) -> int | None:
    """The real length of an audio or video version in milliseconds, as processing measured
    it (`metadata["duration"]`, seconds); None when unknown or not timed media."""
    seconds = (version.metadata or {}).get("duration")
    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds > 0:
        return round(seconds * 1000)
    return None


def segment_default_duration_ms(*, kind: str, version: RecordVersion) -> int:
    """How long a segment of this record lasts when the producer says nothing: the whole
    file for audio and video (capped at an hour), 6 s for a picture, a text's reading time
    (between 5 s and 90 s)."""
    if kind in TIMED_KINDS:
        return min(media_duration_ms(version=version) or DEFAULT_IMAGE_MS, MAX_SEGMENT_MS)
    if kind == Kind.TEXT:
        words = (version.metadata or {}).get("word_count")
        if not isinstance(words, int):
            words = len(version.body.split())
        reading = math.ceil(words * 60_000 / TEXT_WORDS_PER_MINUTE)
        return max(TEXT_MIN_MS, min(reading, TEXT_MAX_MS))
    return DEFAULT_IMAGE_MS


def segment_runtime_ms(*, segment: Segment) -> int:
    """How long a segment plays: out minus in for audio and video, its display duration for
    the rest (the two agree on saved segments: `duration_ms` is always the runtime)."""
    if segment.in_ms is not None and segment.out_ms is not None:
        return segment.out_ms - segment.in_ms
    return segment.duration_ms


def thumbnail_url(*, record: Record, version: RecordVersion) -> str | None:
    """A small picture of a record at a version (expects the version's renditions
    prefetched and, for audio, `cover_art` attached): the image itself, the video's poster
    frame or the track's cover; None for text."""
    from django.urls import reverse

    if record.kind == Kind.AUDIO:
        art = getattr(record, "cover_art", None)
        return art.url if art is not None else None
    labels = THUMBNAIL_LABELS.get(Kind(record.kind), ())
    renditions = {r.label: r for r in version.renditions.all()}
    for label in labels:
        if label in renditions:
            return reverse("records:file", args=[record.pk, version.key, label])
    return None


# Reads -------------------------------------------------------------------------------------
def _segments(production: Production) -> list[Segment]:
    segments = list(
        Segment.objects.filter(production=production)
        .select_related("record", "record__author", "record__cover", "record_version", "submission")
        .prefetch_related(
            Prefetch("record_version__renditions", queryset=Rendition.objects.order_by("label"))
        )
        .order_by("position")
    )
    versions = {s.record_id: s.record_version for s in segments}
    records_cover_art_attach(
        records=list({s.record_id: s.record for s in segments}.values()),
        version_of=lambda record: versions.get(record.pk),
    )
    return segments


def _lineup(production: Production) -> Lineup:
    segments = _segments(production)
    return Lineup(
        production=production,
        version=production.lineup_version,
        segments=segments,
        runtime_ms=sum(segment_runtime_ms(segment=s) for s in segments),
    )


def lineup_get(*, viewer: Viewer, production: Production) -> Lineup:
    """The lineup of `production`: its producers' only until it is released (anyone else gets
    a 404, as for a draft), everyone's who can see the production after. A fixed number of
    queries however many segments."""
    if production.is_released:
        if not production_can_view(viewer=viewer, production=production):
            raise NotFound("No production here.")
    elif not is_producer(viewer=viewer, production=production):
        raise NotFound("No lineup here: a lineup is public once the production is released.")
    return _lineup(production)


def _producer_records(production: Production) -> QuerySet[Record]:
    return Record.objects.filter(
        author_id__in=Producer.objects.filter(production=production).values("user_id"),
        visibility=Visibility.PUBLISHED,
        deleted_at__isnull=True,
        live_version__isnull=False,
    )


MAX_LINK_CHOICES = 200


def lineup_candidates(*, actor: Viewer, production: Production) -> LineupCandidates:
    """What `actor` (a producer) may put in the lineup (see `LineupCandidates`), in a fixed
    number of queries."""
    production_check_producer(actor=actor, production=production)
    renditions = Prefetch("record_version__renditions", queryset=Rendition.objects.order_by("id"))
    pieces = list(
        submissions_selected(production=production)
        .filter(record__deleted_at__isnull=True)
        .select_related(
            "record", "record__author", "record__cover", "record_version", "need", "submitted_by"
        )
        .prefetch_related(renditions)
        .order_by("need__position", "need_id", "decided_at", "pk")
    )
    links = list(
        _producer_records(production)
        .select_related("author", "live_version", "cover")
        .prefetch_related(
            Prefetch("live_version__renditions", queryset=Rendition.objects.order_by("id"))
        )
        .order_by("-published_at", "-pk")[:MAX_LINK_CHOICES]
    )
    versions = {s.record_id: s.record_version for s in pieces}
    records_cover_art_attach(
        records=[s.record for s in pieces] + links,
        version_of=lambda record: versions.get(record.pk, record.live_version),
    )
    return LineupCandidates(pieces=pieces, links=links)


# The write ---------------------------------------------------------------------------------
def _refuse(
    index: int, spec: SegmentSpec, detail: str, *, code: str, field: str
) -> ApplicationError:
    name = f" (“{spec.title.strip()}”)" if spec.title.strip() else ""
    return ApplicationError(
        f"Segment {index + 1}{name}: {detail}", code=code, field=f"segments[{index}].{field}"
    )


def clock(ms: int) -> str:
    """Milliseconds as the editor writes them: "1:05.2", "1:02:09.0"."""
    tenths = round(ms / 100)
    seconds, tenth = divmod(tenths, 10)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{tenth}"
    return f"{minutes}:{secs:02d}.{tenth}"


def _check_text(index: int, spec: SegmentSpec) -> tuple[str, str]:
    title = " ".join(spec.title.split())
    if len(title) > MAX_TITLE:
        raise _refuse(
            index,
            spec,
            f"keep its title under {MAX_TITLE} characters.",
            code="title_too_long",
            field="title",
        )
    notes = spec.notes.strip()
    if len(notes) > MAX_NOTES:
        raise _refuse(
            index,
            spec,
            f"keep its notes under {MAX_NOTES:,} characters.",
            code="notes_too_long",
            field="notes",
        )
    return title, notes


def _timing(
    index: int, spec: SegmentSpec, record: Record, version: RecordVersion
) -> tuple[int | None, int | None, int]:
    """(in_ms, out_ms, duration_ms) of a segment, checked."""
    if record.kind in TIMED_KINDS:
        length = media_duration_ms(version=version)
        in_ms = 0 if spec.in_ms is None else spec.in_ms
        if spec.out_ms is not None:
            out_ms = spec.out_ms
        elif length is not None:
            out_ms = length
        else:
            raise _refuse(
                index,
                spec,
                "its media's length is unknown: give an out point.",
                code="out_required",
                field="out_ms",
            )
        if length is None and out_ms > MAX_POINT_MS:
            raise _refuse(
                index,
                spec,
                "the out point is past the end of the media.",
                code="out_past_end",
                field="out_ms",
            )
        if in_ms < 0:
            raise _refuse(
                index,
                spec,
                "the in point cannot be before the start.",
                code="in_negative",
                field="in_ms",
            )
        if out_ms < 0:
            raise _refuse(
                index,
                spec,
                "the out point cannot be before the start.",
                code="out_negative",
                field="out_ms",
            )
        if length is not None and in_ms >= length:
            raise _refuse(
                index,
                spec,
                f"the in point {clock(in_ms)} is past the end of the media ({clock(length)}).",
                code="in_past_end",
                field="in_ms",
            )
        if length is not None and out_ms > length:
            raise _refuse(
                index,
                spec,
                f"the out point {clock(out_ms)} is past the end of the media ({clock(length)}).",
                code="out_past_end",
                field="out_ms",
            )
        if out_ms <= in_ms:
            raise _refuse(
                index,
                spec,
                f"the out point ({clock(out_ms)}) has to come after the in point ({clock(in_ms)}).",
                code="range_reversed",
                field="out_ms",
            )
        if out_ms - in_ms > MAX_SEGMENT_MS:
            raise _refuse(
                index,
                spec,
                "a segment lasts an hour at most: move the in or out point.",
                code="segment_too_long",
                field="out_ms",
            )
        return in_ms, out_ms, out_ms - in_ms
    for name in ("in_ms", "out_ms"):
        if getattr(spec, name) is not None:
            raise _refuse(
                index,
                spec,
                "in and out points are for audio and video; give a picture or a text a "
                "display duration.",
                code="range_not_timed",
                field=name,
            )
    if spec.duration_ms is None:
        return None, None, segment_default_duration_ms(kind=record.kind, version=version)
    if spec.duration_ms <= 0:
        raise _refuse(
            index,
            spec,
            "its display duration has to be longer than zero.",
            code="duration_invalid",
            field="duration_ms",
        )
    if spec.duration_ms > MAX_SEGMENT_MS:
        raise _refuse(
            index,
            spec,
            "a segment lasts an hour at most.",
            code="segment_too_long",
            field="duration_ms",
        )
    return None, None, spec.duration_ms


def _piece(
    index: int, spec: SegmentSpec, submission: Submission | None, seen: set[int]
) -> tuple[Record, RecordVersion]:
    if spec.submission_id is None:
        raise _refuse(
            index,
            spec,
            "a piece names the selected submission it plays.",
            code="submission_required",
            field="submission",
        )
    if (
        spec.record_id is not None
        and submission is not None
        and (spec.record_id != submission.record_id)
    ):
        raise _refuse(
            index,
            spec,
            "a piece plays its submission's record: nobody changes a segment's record "
            "through the production.",
            code="record_mismatch",
            field="record",
        )
    if submission is None:
        raise _refuse(
            index,
            spec,
            f"there is no submission {spec.submission_id} to this production.",
            code="submission_unknown",
            field="submission",
        )
    # Before anything else: producers do not see a submission its record's author has not
    # agreed to (submissions' rule), so it cannot have been selected, and nothing about it —
    # not even its record's title — is told to them.
    if submission.consent not in {SubmissionConsent.NOT_NEEDED, SubmissionConsent.APPROVED}:
        raise _refuse(
            index,
            spec,
            "its record's author has not agreed to it.",
            code="submission_no_consent",
            field="submission",
        )
    if submission.status == SubmissionStatus.WITHDRAWN:
        raise _refuse(
            index,
            spec,
            f"“{submission.record.title}” was withdrawn by its contributor.",
            code="submission_withdrawn",
            field="submission",
        )
    if submission.status != SubmissionStatus.SELECTED:
        raise _refuse(
            index,
            spec,
            f"“{submission.record.title}” is {submission.get_status_display().lower()}, not "
            "selected: select it on the curation board first.",
            code="submission_not_selected",
            field="submission",
        )
    if submission.record.deleted_at is not None:
        raise _refuse(
            index,
            spec,
            "its record was removed by its author.",
            code="record_deleted",
            field="submission",
        )
    if submission.record_version.status != ProcessingStatus.READY:
        raise _refuse(
            index,
            spec,
            f"“{submission.record.title}” is not ready to play.",
            code="record_not_ready",
            field="submission",
        )
    if submission.pk in seen:
        raise _refuse(
            index,
            spec,
            f"“{submission.record.title}” is already in the lineup.",
            code="submission_duplicate",
            field="submission",
        )
    seen.add(submission.pk)
    return submission.record, submission.record_version


def _link(
    index: int, spec: SegmentSpec, record: Record | None, producer_ids: set[int]
) -> tuple[Record, RecordVersion]:
    if spec.record_id is None:
        raise _refuse(
            index,
            spec,
            "a link names one of the producers' records.",
            code="record_required",
            field="record",
        )
    if spec.submission_id is not None:
        raise _refuse(
            index,
            spec,
            "a link is a producer's own record, not a submission.",
            code="link_submission",
            field="submission",
        )
    if record is None or (
        record.deleted_at is None
        and not record.is_public
        and (record.author_id not in producer_ids)
    ):
        raise _refuse(
            index,
            spec,
            f"there is no record {spec.record_id}.",
            code="record_unknown",
            field="record",
        )
    if record.deleted_at is not None:
        raise _refuse(
            index,
            spec,
            f"“{record.title}” was removed by its author.",
            code="record_deleted",
            field="record",
        )
    if record.author_id not in producer_ids:
        raise _refuse(
            index,
            spec,
            f"a link is made from a producer's own record; “{record.title}” is someone "
            "else's (submit it and select it to use it as a piece).",
            code="link_not_producers",
            field="record",
        )
    if not record.is_public or record.live_version is None:
        raise _refuse(
            index,
            spec,
            f"“{record.title}” is not published yet.",
            code="record_not_published",
            field="record",
        )
    return record, record.live_version


def _storable(value: int) -> bool:
    return 0 < value < 2**63


def _check_writable(production: Production) -> None:
    if production.is_released or production.release_requested_at is not None:
        raise ApplicationError(
            "It is released (or being released): its lineup stays as it was released.",
            code="production_released",
            status=409,
        )


@transaction.atomic
def lineup_set(
    *, actor: User, production: Production, segments: Sequence[SegmentSpec], version: int
) -> Lineup:
    """Replace `production`'s lineup with `segments`, in order. Only its producers may, and
    not once it is released or being released. `version` is the `lineup_version` the writer
    read: if someone saved since, 409 `lineup_stale` and nothing changes. Every segment is
    checked before anything is written; the first bad one is refused, named by its
    position and field. On success the version goes up by one and an audit row is left."""
    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    _check_writable(production)
    if version != production.lineup_version:
        raise ApplicationError(
            "Someone else changed the lineup since you opened it (it is now at version "
            f"{production.lineup_version}): reload to see their version.",
            code="lineup_stale",
            status=409,
            field="version",
        )
    if len(segments) > MAX_SEGMENTS:
        raise ApplicationError(
            f"A lineup holds at most {MAX_SEGMENTS} segments.",
            code="too_many_segments",
            field="segments",
        )
    # Ids no table could hold are simply unknown (never sent to the database).
    submission_ids = {i for s in segments if (i := s.submission_id) is not None and _storable(i)}
    submissions = {
        s.pk: s
        for s in Submission.objects.filter(
            production=production, pk__in=submission_ids
        ).select_related("record", "record_version")
    }
    link_ids = {
        i
        for s in segments
        if s.kind == SegmentKind.LINK and (i := s.record_id) is not None and _storable(i)
    }
    links = {r.pk: r for r in Record.objects.filter(pk__in=link_ids).select_related("live_version")}
    producer_ids = set(
        Producer.objects.filter(production=production).values_list("user_id", flat=True)
    )
    rows: list[Segment] = []
    seen: set[int] = set()
    for index, spec in enumerate(segments):
        if spec.kind not in SegmentKind.values:
            raise _refuse(
                index,
                spec,
                "a segment is a “piece” or a “link”.",
                code="kind_invalid",
                field="kind",
            )
        title, notes = _check_text(index, spec)
        if spec.kind == SegmentKind.PIECE:
            submission = submissions.get(spec.submission_id or 0)
            record, record_version = _piece(index, spec, submission, seen)
        else:
            submission = None
            record, record_version = _link(
                index, spec, links.get(spec.record_id or 0), producer_ids
            )
        in_ms, out_ms, duration_ms = _timing(index, spec, record, record_version)
        rows.append(
            Segment(
                production=production,
                position=index,
                kind=spec.kind,
                record=record,
                record_version=record_version,
                submission=submission,
                in_ms=in_ms,
                out_ms=out_ms,
                duration_ms=duration_ms,
                title=title,
                notes=notes,
            )
        )
    Segment.objects.filter(production=production).delete()
    Segment.objects.bulk_create(rows)
    production.lineup_version += 1
    production.save(update_fields=["lineup_version", "updated_at"])
    audit(
        action="lineup_set",
        subject=actor,
        actor=actor,
        target=production,
        version=production.lineup_version,
        segments=len(rows),
        runtime_ms=sum(r.duration_ms for r in rows),
    )
    return _lineup(production)
