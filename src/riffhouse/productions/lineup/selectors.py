"""Reading a lineup: the segments in order with what their pages show, and what a producer
may put in it."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from riffhouse.core.errors import NotFound
from riffhouse.productions.lineup.durations import segment_runtime_ms
from riffhouse.productions.models import Producer, Production, Segment, Submission
from riffhouse.productions.selectors import (
    is_producer,
    production_can_view,
    production_check_producer,
)
from riffhouse.productions.submissions import submissions_selected
from riffhouse.records.models import Record, Rendition, Visibility
from riffhouse.records.selectors import Viewer, records_cover_art_attach


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


def lineup_load(*, production: Production) -> Lineup:
    """The lineup of `production` as it stands, unchecked: for the services that just
    checked who may read it (and `lineup_get`)."""
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
    return lineup_load(production=production)


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
