"""Checking a lineup before it is written: each segment's kind, words, record and timing,
refused with the first bad segment named by its position and field (`segments[3].out_ms`)."""

from dataclasses import dataclass

from riffhouse.core.errors import ApplicationError
from riffhouse.productions.lineup.durations import (
    MAX_POINT_MS,
    TIMED_KINDS,
    media_duration_ms,
    segment_default_duration_ms,
)
from riffhouse.productions.models import (
    MAX_SEGMENT_MS,
    Production,
    SegmentKind,
    Submission,
    SubmissionConsent,
    SubmissionStatus,
)
from riffhouse.records.models import ProcessingStatus, Record, RecordVersion

MAX_SEGMENTS = 500
MAX_TITLE = 200
MAX_NOTES = 2000


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


def refuse(
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


def check_text(index: int, spec: SegmentSpec) -> tuple[str, str]:
    title = " ".join(spec.title.split())
    if len(title) > MAX_TITLE:
        raise refuse(
            index,
            spec,
            f"keep its title under {MAX_TITLE} characters.",
            code="title_too_long",
            field="title",
        )
    notes = spec.notes.strip()
    if len(notes) > MAX_NOTES:
        raise refuse(
            index,
            spec,
            f"keep its notes under {MAX_NOTES:,} characters.",
            code="notes_too_long",
            field="notes",
        )
    return title, notes


def check_timing(
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
            raise refuse(
                index,
                spec,
                "its media's length is unknown: give an out point.",
                code="out_required",
                field="out_ms",
            )
        if length is None and out_ms > MAX_POINT_MS:
            raise refuse(
                index,
                spec,
                "the out point is past the end of the media.",
                code="out_past_end",
                field="out_ms",
            )
        if in_ms < 0:
            raise refuse(
                index,
                spec,
                "the in point cannot be before the start.",
                code="in_negative",
                field="in_ms",
            )
        if out_ms < 0:
            raise refuse(
                index,
                spec,
                "the out point cannot be before the start.",
                code="out_negative",
                field="out_ms",
            )
        if length is not None and in_ms >= length:
            raise refuse(
                index,
                spec,
                f"the in point {clock(in_ms)} is past the end of the media ({clock(length)}).",
                code="in_past_end",
                field="in_ms",
            )
        if length is not None and out_ms > length:
            raise refuse(
                index,
                spec,
                f"the out point {clock(out_ms)} is past the end of the media ({clock(length)}).",
                code="out_past_end",
                field="out_ms",
            )
        if out_ms <= in_ms:
            raise refuse(
                index,
                spec,
                f"the out point ({clock(out_ms)}) has to come after the in point ({clock(in_ms)}).",
                code="range_reversed",
                field="out_ms",
            )
        if out_ms - in_ms > MAX_SEGMENT_MS:
            raise refuse(
                index,
                spec,
                "a segment lasts an hour at most: move the in or out point.",
                code="segment_too_long",
                field="out_ms",
            )
        return in_ms, out_ms, out_ms - in_ms
    for name in ("in_ms", "out_ms"):
        if getattr(spec, name) is not None:
            raise refuse(
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
        raise refuse(
            index,
            spec,
            "its display duration has to be longer than zero.",
            code="duration_invalid",
            field="duration_ms",
        )
    if spec.duration_ms > MAX_SEGMENT_MS:
        raise refuse(
            index,
            spec,
            "a segment lasts an hour at most.",
            code="segment_too_long",
            field="duration_ms",
        )
    return None, None, spec.duration_ms


def check_piece(
    index: int, spec: SegmentSpec, submission: Submission | None, seen: set[int]
) -> tuple[Record, RecordVersion]:
    if spec.submission_id is None:
        raise refuse(
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
        raise refuse(
            index,
            spec,
            "a piece plays its submission's record: nobody changes a segment's record "
            "through the production.",
            code="record_mismatch",
            field="record",
        )
    if submission is None:
        raise refuse(
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
        raise refuse(
            index,
            spec,
            "its record's author has not agreed to it.",
            code="submission_no_consent",
            field="submission",
        )
    if submission.status == SubmissionStatus.WITHDRAWN:
        raise refuse(
            index,
            spec,
            f"“{submission.record.title}” was withdrawn by its contributor.",
            code="submission_withdrawn",
            field="submission",
        )
    if submission.status != SubmissionStatus.SELECTED:
        raise refuse(
            index,
            spec,
            f"“{submission.record.title}” is {submission.get_status_display().lower()}, not "
            "selected: select it on the curation board first.",
            code="submission_not_selected",
            field="submission",
        )
    if submission.record.deleted_at is not None:
        raise refuse(
            index,
            spec,
            "its record was removed by its author.",
            code="record_deleted",
            field="submission",
        )
    if submission.record_version.status != ProcessingStatus.READY:
        raise refuse(
            index,
            spec,
            f"“{submission.record.title}” is not ready to play.",
            code="record_not_ready",
            field="submission",
        )
    if submission.pk in seen:
        raise refuse(
            index,
            spec,
            f"“{submission.record.title}” is already in the lineup.",
            code="submission_duplicate",
            field="submission",
        )
    seen.add(submission.pk)
    return submission.record, submission.record_version


def check_link(
    index: int, spec: SegmentSpec, record: Record | None, producer_ids: set[int]
) -> tuple[Record, RecordVersion]:
    if spec.record_id is None:
        raise refuse(
            index,
            spec,
            "a link names one of the producers' records.",
            code="record_required",
            field="record",
        )
    if spec.submission_id is not None:
        raise refuse(
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
        raise refuse(
            index,
            spec,
            f"there is no record {spec.record_id}.",
            code="record_unknown",
            field="record",
        )
    if record.deleted_at is not None:
        raise refuse(
            index,
            spec,
            f"“{record.title}” was removed by its author.",
            code="record_deleted",
            field="record",
        )
    if record.author_id not in producer_ids:
        raise refuse(
            index,
            spec,
            f"a link is made from a producer's own record; “{record.title}” is someone "
            "else's (submit it and select it to use it as a piece).",
            code="link_not_producers",
            field="record",
        )
    if not record.is_public or record.live_version is None:
        raise refuse(
            index,
            spec,
            f"“{record.title}” is not published yet.",
            code="record_not_published",
            field="record",
        )
    return record, record.live_version


def storable(value: int) -> bool:
    return 0 < value < 2**63


def check_writable(production: Production) -> None:
    if production.is_released or production.release_requested_at is not None:
        raise ApplicationError(
            "It is released (or being released): its lineup stays as it was released.",
            code="production_released",
            status=409,
        )
