"""The lineup endpoints: read it (producers before release, everyone after) and write the
whole ordered list with the version read (409 `lineup_stale` when someone saved since)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.core.api import error_responses
from riffhouse.productions import lineup
from riffhouse.productions.models import Segment
from riffhouse.productions.selectors import production_get_visible

router = Router(tags=["productions"])


class SegmentIn(Schema):
    kind: str = "piece"
    submission: int | None = None
    record: int | None = None
    in_ms: int | None = None
    out_ms: int | None = None
    duration_ms: int | None = None
    title: str = ""
    notes: str = ""


class LineupIn(Schema):
    version: int
    segments: list[SegmentIn]


class SegmentRecordOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    author: dict[str, Any]
    deleted: bool
    thumbnail: str | None


class SegmentOut(Schema):
    position: int
    kind: str
    submission: int | None
    record: SegmentRecordOut
    version: int
    title: str
    notes: str
    in_ms: int | None
    out_ms: int | None
    duration_ms: int
    media_duration_ms: int | None


class LineupOut(Schema):
    version: int
    runtime_ms: int
    segments: list[SegmentOut]


def _segment_out(request: HttpRequest, segment: Segment) -> dict[str, Any]:
    record = segment.record
    deleted = record.deleted_at is not None
    thumbnail = (
        None if deleted else lineup.thumbnail_url(record=record, version=segment.record_version)
    )
    return {
        "position": segment.position,
        "kind": segment.kind,
        "submission": segment.submission_id,
        "record": {
            "id": record.pk,
            "kind": record.kind,
            "title": "Removed by its author" if deleted else segment.record_version.title,
            "url": request.build_absolute_uri(record.get_absolute_url()),
            "author": author_out(request, record.author),
            "deleted": deleted,
            "thumbnail": request.build_absolute_uri(thumbnail) if thumbnail else None,
        },
        "version": segment.record_version.number,
        "title": segment.title,
        "notes": segment.notes,
        "in_ms": segment.in_ms,
        "out_ms": segment.out_ms,
        "duration_ms": segment.duration_ms,
        "media_duration_ms": lineup.media_duration_ms(version=segment.record_version),
    }


def _lineup_out(request: HttpRequest, result: lineup.Lineup) -> dict[str, Any]:
    return {
        "version": result.version,
        "runtime_ms": result.runtime_ms,
        "segments": [_segment_out(request, s) for s in result.segments],
    }


@router.get(
    "/productions/{production_id}/lineup",
    auth=bearer_session_or_anonymous,
    response={200: LineupOut, **error_responses(404)},
    summary="The ordered segments (its producers' only until it is released)",
)
def lineup_read(request: HttpRequest, production_id: int) -> Any:
    production = production_get_visible(viewer=request.user, production_id=production_id)
    return _lineup_out(request, lineup.lineup_get(viewer=request.user, production=production))


@router.put(
    "/productions/{production_id}/lineup",
    auth=bearer_or_session,
    response={200: LineupOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary=(
        "Replace the lineup with this ordered list, naming the `version` you read "
        "(409 `lineup_stale` if someone saved since)"
    ),
)
def lineup_write(request: HttpRequest, production_id: int, payload: LineupIn) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    production = production_get_visible(viewer=user, production_id=production_id)
    result = lineup.lineup_set(
        actor=user,
        production=production,
        version=payload.version,
        segments=[
            lineup.SegmentSpec(
                kind=s.kind,
                submission_id=s.submission,
                record_id=s.record,
                in_ms=s.in_ms,
                out_ms=s.out_ms,
                duration_ms=s.duration_ms,
                title=s.title,
                notes=s.notes,
            )
            for s in payload.segments
        ],
    )
    return _lineup_out(request, result)
