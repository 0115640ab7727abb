"""A released production for the show's tests, made the way a production gets released:
each piece submitted by its author and selected by the producer (submissions), the call
closed for curating, the lineup saved (lineup), the fairness rules set, and the release
requested and run (release), which stores the credits and the report. The records are made
through records' services by the callers (`make_record`); a piece's lineage is declared
through lineage's `record_sources_set`."""

from dataclasses import dataclass, field

from riffhouse.accounts.models import User
from riffhouse.lineage.services import SourceSpec, record_sources_set
from riffhouse.productions import services
from riffhouse.productions.fairness import fairness_rules_set
from riffhouse.productions.lineup import SegmentSpec
from riffhouse.productions.models import Production, ProductionStatus
from riffhouse.productions.tests.scenes import line_up, release_now, submit
from riffhouse.records.models import Record


@dataclass
class Piece:
    """One segment to release: a record (its live version is pinned), how long it plays
    (from `in_ms` for audio and video), the works it stands on (`sources`: (record, usage)
    pairs, declared before the release), and whether it is a producer's link."""

    record: Record
    duration_ms: int
    in_ms: int | None = None
    title: str = ""
    link: bool = False
    sources: list[tuple[Record, str]] = field(default_factory=list)


def release_scene(
    *,
    production: Production,
    producer: User,
    pieces: list[Piece],
    max_contributor_percent: int | None = 60,
) -> Production:
    """Select, line up and release `pieces` in `production` (an open call), in order, with a
    fairness rule that no contributor holds more than `max_contributor_percent` %."""
    specs = []
    for piece in pieces:
        record = piece.record
        if piece.sources:
            record_sources_set(
                actor=record.author,
                record=record,
                sources=[SourceSpec(record_id=s.pk, usage=usage) for s, usage in piece.sources],
            )
        timed = record.kind in ("audio", "video")
        timing = (
            {"in_ms": piece.in_ms or 0, "out_ms": (piece.in_ms or 0) + piece.duration_ms}
            if timed
            else {"duration_ms": piece.duration_ms}
        )
        if piece.link:
            specs.append(SegmentSpec(kind="link", record_id=record.pk, title=piece.title, **timing))
        else:
            submission = submit(producer=producer, production=production, record=record)
            specs.append(SegmentSpec(submission_id=submission.pk, title=piece.title, **timing))
    if production.status == ProductionStatus.OPEN:
        services.production_status_set(actor=producer, production=production, status="curating")
    line_up(producer=producer, production=production, segments=specs)
    fairness_rules_set(
        actor=producer,
        production=production,
        max_contributor_percent=max_contributor_percent,
        max_producers_percent=None,
        min_contributors=None,
        source_share_percent=40,
    )
    return release_now(producer=producer, production=production)
