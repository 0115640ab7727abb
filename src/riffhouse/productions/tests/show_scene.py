"""The scene the release job makes (H4's `release.release_run`, after H2's selections and
H3's lineup): a released production whose segments are pinned to record versions, with its
credits and fairness report stored. The rows are written directly with the models, exactly
as those services write them; the lead switches this to the services at merge. The records
themselves are made through records' services by the callers (`make_record`)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.productions.models import (
    Production,
    ProductionCredit,
    Segment,
    SegmentCredit,
    Submission,
)
from riffhouse.records.models import Record

KIND_ROLE = {"audio": "music", "image": "art", "text": "writing", "video": "film"}


@dataclass
class Piece:
    """One segment to release: a record (its live version is pinned), how long it plays,
    who else is credited in it (its lineage), and whether it is a producer's link."""

    record: Record
    duration_ms: int
    in_ms: int | None = None
    title: str = ""
    link: bool = False
    lineage: list[tuple[User | None, str]] = field(default_factory=list)


def release_scene(
    *, production: Production, producer: User, pieces: list[Piece], report: Any = None
) -> Production:
    """Select, line up and release `pieces` in `production`, storing the credits: each
    segment credits its record's author first, then its lineage; the production credits
    everyone once, largest share first."""
    shares: dict[int | None, dict[str, Any]] = {}
    for position, piece in enumerate(pieces, start=1):
        record = piece.record
        submission = None
        if not piece.link:
            submission = Submission.objects.create(
                production=production,
                record=record,
                record_version=record.live_version,
                submitted_by=record.author,
                status=Submission.Status.SELECTED,
                decided_by=producer,
                decided_at=timezone.now(),
            )
        timed = record.kind in ("audio", "video")
        in_ms = (piece.in_ms or 0) if timed else None
        segment = Segment.objects.create(
            production=production,
            position=position,
            kind=Segment.Kind.LINK if piece.link else Segment.Kind.PIECE,
            record=record,
            record_version=record.live_version,
            submission=submission,
            in_ms=in_ms,
            out_ms=(in_ms or 0) + piece.duration_ms if timed else None,
            duration_ms=piece.duration_ms,
            title=piece.title,
        )
        people = [(record.author, KIND_ROLE[record.kind]), *piece.lineage]
        own = 600_000 if piece.lineage else 1_000_000
        rest = (1_000_000 - own) // max(1, len(piece.lineage))
        SegmentCredit.objects.bulk_create(
            SegmentCredit(
                segment=segment,
                user=user,
                position=index,
                closeness=0 if index == 0 else 1,
                roles=[role],
                share_ppm=own if index == 0 else rest,
            )
            for index, (user, role) in enumerate(people)
        )
        for index, (user, role) in enumerate(people):
            key = user.pk if user else None
            entry = shares.setdefault(key, {"user": user, "ms": 0, "roles": [], "at": []})
            entry["ms"] += piece.duration_ms * (own if index == 0 else rest) // 1_000_000
            if role not in entry["roles"]:
                entry["roles"].append(role)
            entry["at"].append(position)
    runtime = sum(p.duration_ms for p in pieces)
    ranked = sorted(shares.values(), key=lambda e: -e["ms"])
    producer_ids = set(production.producers.values_list("user_id", flat=True))
    ProductionCredit.objects.bulk_create(
        ProductionCredit(
            production=production,
            user=entry["user"],
            position=position,
            share_numerator=str(entry["ms"]),
            share_denominator=str(runtime),
            share_ppm=entry["ms"] * 1_000_000 // runtime,
            runtime_ms=entry["ms"],
            roles=entry["roles"],
            segment_positions=entry["at"],
            is_producer=entry["user"] is not None and entry["user"].pk in producer_ids,
            first_time=True,
        )
        for position, entry in enumerate(ranked, start=1)
    )
    production.status = Production.Status.RELEASED
    production.released_at = timezone.now() - timedelta(hours=2)
    production.lineup_version = 1
    # The keys of `fairness.FairnessReport.as_dict()` that the page reads.
    production.released_report = report
    if report is None:
        production.released_report = {
            "distinct_contributors": len(ranked),
            "first_time_contributors": len(ranked),
            "producers_and_staff": {"percent": 12.5, "exact": "1/8"},
            "community": {"percent": 87.5, "exact": "7/8"},
            "rule_text": "Each segment counts by its runtime; its author keeps 60%, the rest "
            "goes to its sources.",
            "rules": [{"text": "No contributor above 60% of the runtime", "passed": True}],
            "contributors": [{"user": e["user"].pk if e["user"] else None} for e in ranked],
        }
    production.save()
    return production
