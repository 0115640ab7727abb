"""Writing a lineup: the whole list, checked first, on the version the writer read
(decision 0021)."""

from collections.abc import Sequence

from django.db import transaction

from riffhouse.accounts.models import User
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.productions.lineup.checks import (
    MAX_SEGMENTS,
    SegmentSpec,
    check_link,
    check_piece,
    check_text,
    check_timing,
    check_writable,
    refuse,
    storable,
)
from riffhouse.productions.lineup.selectors import Lineup, lineup_load
from riffhouse.productions.models import Producer, Production, Segment, SegmentKind, Submission
from riffhouse.productions.selectors import production_check_producer, production_lock
from riffhouse.records.models import Record


@changes_public_pages
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
    check_writable(production)
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
    submission_ids = {i for s in segments if (i := s.submission_id) is not None and storable(i)}
    submissions = {
        s.pk: s
        for s in Submission.objects.filter(
            production=production, pk__in=submission_ids
        ).select_related("record", "record_version")
    }
    link_ids = {
        i
        for s in segments
        if s.kind == SegmentKind.LINK and (i := s.record_id) is not None and storable(i)
    }
    links = {r.pk: r for r in Record.objects.filter(pk__in=link_ids).select_related("live_version")}
    producer_ids = set(
        Producer.objects.filter(production=production).values_list("user_id", flat=True)
    )
    rows: list[Segment] = []
    seen: set[int] = set()
    for index, spec in enumerate(segments):
        if spec.kind not in SegmentKind.values:
            raise refuse(
                index,
                spec,
                "a segment is a “piece” or a “link”.",
                code="kind_invalid",
                field="kind",
            )
        title, notes = check_text(index, spec)
        if spec.kind == SegmentKind.PIECE:
            submission = submissions.get(spec.submission_id or 0)
            record, record_version = check_piece(index, spec, submission, seen)
        else:
            submission = None
            record, record_version = check_link(
                index, spec, links.get(spec.record_id or 0), producer_ids
            )
        in_ms, out_ms, duration_ms = check_timing(index, spec, record, record_version)
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
    return lineup_load(production=production)
