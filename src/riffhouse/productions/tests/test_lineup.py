import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.core.errors import ApplicationError
from riffhouse.productions import lineup, release, services
from riffhouse.productions.lineup import SegmentSpec
from riffhouse.productions.models import MAX_SEGMENT_MS, Production, Segment, Submission
from riffhouse.productions.tests.scenes import release_now, submit
from riffhouse.records import services as record_services
from riffhouse.records.models import Record


@pytest.fixture
def select(producer: User) -> Callable[..., Submission]:
    """`record` submitted by its author (or `by`) and taken to `status` through the
    submissions services."""

    def make(
        production: Production, record: Record, *, status: str = "selected", **fields: Any
    ) -> Submission:
        return submit(
            producer=producer, production=production, record=record, status=status, **fields
        )

    return make


@pytest.fixture
def song(make_record: Callable[..., Record], contributor: User) -> Record:
    return make_record("audio", author=contributor, title="Leaving Earth")


@pytest.fixture
def picture(make_record: Callable[..., Record], contributor: User) -> Record:
    return make_record("image", author=contributor, title="Blue planet")


@pytest.fixture
def poem(make_record: Callable[..., Record], contributor: User) -> Record:
    return make_record("text", author=contributor, title="Orbit", body="word " * 460)


def _refusal(production: Production, producer: User, segments: list[SegmentSpec]) -> Any:
    with pytest.raises(ApplicationError) as refused:
        lineup.lineup_set(actor=producer, production=production, segments=segments, version=0)
    production.refresh_from_db()
    assert production.lineup_version == 0
    assert not Segment.objects.filter(production=production).exists()
    return refused.value


def test_a_producer_arranges_pieces_and_a_link(
    production: Production,
    producer: User,
    select: Callable[..., Submission],
    song: Record,
    picture: Record,
    poem: Record,
    make_record: Callable[..., Record],
) -> None:
    song_sub, picture_sub, poem_sub = (select(production, r) for r in (song, picture, poem))
    host = make_record("video", author=producer, title="Hello from the host")
    result = lineup.lineup_set(
        actor=producer,
        production=production,
        version=0,
        segments=[
            SegmentSpec(kind="link", record_id=host.pk, title="Welcome"),
            SegmentSpec(submission_id=song_sub.pk, in_ms=200, out_ms=900, notes="fade out"),
            SegmentSpec(submission_id=picture_sub.pk),
            SegmentSpec(submission_id=poem_sub.pk),
        ],
    )
    assert result.version == 1
    welcome, leaving, blue, orbit = result.segments
    assert [s.position for s in result.segments] == [0, 1, 2, 3]
    assert welcome.kind == "link" and welcome.record_version_id == host.live_version_id
    assert welcome.in_ms == 0 and welcome.out_ms == lineup.media_duration_ms(
        version=host.live_version
    )
    assert (leaving.in_ms, leaving.out_ms, leaving.duration_ms) == (200, 900, 700)
    assert leaving.record_version_id == song_sub.record_version_id
    assert blue.duration_ms == 6_000 and blue.in_ms is None
    assert orbit.duration_ms == 90_000  # 460 words read in two minutes, capped at 90 s
    assert result.runtime_ms == welcome.duration_ms + 700 + 6_000 + 90_000
    production.refresh_from_db()
    assert production.lineup_version == 1
    assert AuditEvent.objects.filter(action="lineup_set", target_id=production.pk).count() == 1


def test_a_piece_stays_pinned_to_the_version_that_was_submitted(
    production: Production, producer: User, select: Callable[..., Submission], poem: Record
) -> None:
    submission = select(production, poem)
    submitted = poem.live_version_id
    author = poem.author
    assert author is not None
    record_services.record_update(actor=author, record=poem, body="A new last line.")
    poem.refresh_from_db()
    assert poem.live_version_id != submitted
    result = lineup.lineup_set(
        actor=producer,
        production=production,
        version=0,
        segments=[SegmentSpec(submission_id=submission.pk)],
    )
    assert result.segments[0].record_version_id == submitted


def test_saving_again_replaces_the_lineup_and_counts_the_version(
    production: Production,
    producer: User,
    select: Callable[..., Submission],
    song: Record,
    picture: Record,
) -> None:
    a, b = select(production, song), select(production, picture)
    specs = [SegmentSpec(submission_id=a.pk), SegmentSpec(submission_id=b.pk)]
    lineup.lineup_set(actor=producer, production=production, segments=specs, version=0)
    again = lineup.lineup_set(
        actor=producer, production=production, segments=specs[::-1], version=1
    )
    assert [s.submission_id for s in again.segments] == [b.pk, a.pk]
    assert again.version == 2
    assert Segment.objects.filter(production=production).count() == 2


def test_a_stale_version_is_refused_and_names_the_current_one(
    production: Production, producer: User, select: Callable[..., Submission], song: Record
) -> None:
    spec = [SegmentSpec(submission_id=select(production, song).pk)]
    lineup.lineup_set(actor=producer, production=production, segments=spec, version=0)
    with pytest.raises(ApplicationError) as refused:
        lineup.lineup_set(actor=producer, production=production, segments=[], version=0)
    assert (refused.value.status, refused.value.code) == (409, "lineup_stale")
    assert "version 1" in refused.value.detail
    assert Segment.objects.filter(production=production).count() == 1


def test_only_producers_arrange_the_lineup(
    production: Production, contributor: User, select: Callable[..., Submission], song: Record
) -> None:
    spec = [SegmentSpec(submission_id=select(production, song).pk)]
    with pytest.raises(ApplicationError) as refused:
        lineup.lineup_set(actor=contributor, production=production, segments=spec, version=0)
    assert refused.value.status == 403
    assert not Segment.objects.exists()


def test_a_released_or_releasing_lineup_stays(
    production: Production,
    producer: User,
    select: Callable[..., Submission],
    song: Record,
    picture: Record,
    db_task_backend: Any,
) -> None:
    spec = [SegmentSpec(submission_id=select(production, song).pk)]
    other = [SegmentSpec(submission_id=select(production, picture).pk)]
    lineup.lineup_set(actor=producer, production=production, segments=spec, version=0)
    services.production_status_set(actor=producer, production=production, status="curating")
    release.production_release(actor=producer, production=production)  # queued, not run

    def refused() -> str:
        with pytest.raises(ApplicationError) as refusal:
            lineup.lineup_set(actor=producer, production=production, segments=other, version=1)
        production.refresh_from_db()
        assert production.lineup_version == 1
        assert [s.record_id for s in Segment.objects.filter(production=production)] == [song.pk]
        return refusal.value.code

    assert refused() == "production_released"
    release.release_run(production_id=production.pk)
    assert refused() == "production_released"


def test_the_unreleased_lineup_is_the_producers_only(
    production: Production, producer: User, contributor: User
) -> None:
    assert lineup.lineup_get(viewer=producer, production=production).segments == []
    with pytest.raises(ApplicationError) as refused:
        lineup.lineup_get(viewer=contributor, production=production)
    assert refused.value.status == 404
    production = release_now(producer=producer, production=production)
    public = lineup.lineup_get(viewer=contributor, production=production)
    assert public.version == 1 and [s.record.title for s in public.segments] == ["Welcome"]


@pytest.mark.parametrize(
    ("spec", "code", "field"),
    [
        ({"in_ms": -1}, "in_negative", "in_ms"),
        ({"out_ms": -5}, "out_negative", "out_ms"),
        ({"in_ms": 800, "out_ms": 300}, "range_reversed", "out_ms"),
        ({"in_ms": 500, "out_ms": 500}, "range_reversed", "out_ms"),
        ({"out_ms": 60_000}, "out_past_end", "out_ms"),
        ({"in_ms": 50_000}, "in_past_end", "in_ms"),
        ({"title": "x" * 201}, "title_too_long", "title"),
        ({"notes": "x" * 2001}, "notes_too_long", "notes"),
        ({"kind": "interlude"}, "kind_invalid", "kind"),
    ],
)
def test_bad_in_and_out_points_are_refused_naming_the_segment(
    production: Production,
    producer: User,
    select: Callable[..., Submission],
    song: Record,
    picture: Record,
    spec: dict[str, Any],
    code: str,
    field: str,
) -> None:
    good = select(production, picture)
    bad = select(production, song)
    refusal = _refusal(
        production,
        producer,
        [SegmentSpec(submission_id=good.pk), SegmentSpec(submission_id=bad.pk, **spec)],
    )
    assert (refusal.code, refusal.field, refusal.status) == (code, f"segments[1].{field}", 400)
    assert refusal.detail.startswith("Segment 2")


@pytest.mark.parametrize(
    ("spec", "code", "field"),
    [
        ({"duration_ms": 0}, "duration_invalid", "duration_ms"),
        ({"duration_ms": -3}, "duration_invalid", "duration_ms"),
        ({"duration_ms": MAX_SEGMENT_MS + 1}, "segment_too_long", "duration_ms"),
        ({"in_ms": 0, "out_ms": 10}, "range_not_timed", "in_ms"),
    ],
)
def test_bad_display_durations_are_refused(
    production: Production,
    producer: User,
    select: Callable[..., Submission],
    picture: Record,
    spec: dict[str, Any],
    code: str,
    field: str,
) -> None:
    sub = select(production, picture)
    refusal = _refusal(production, producer, [SegmentSpec(submission_id=sub.pk, **spec)])
    assert (refusal.code, refusal.field) == (code, f"segments[0].{field}")


def test_a_segment_over_an_hour_is_refused(
    production: Production, producer: User, select: Callable[..., Submission], song: Record
) -> None:
    sub = select(production, song)
    # a two-hour recording (the length processing measured)
    version = sub.record_version
    version.metadata = {**version.metadata, "duration": 2 * 3600}
    version.save(update_fields=["metadata"])
    refusal = _refusal(production, producer, [SegmentSpec(submission_id=sub.pk, out_ms=None)])
    assert (refusal.code, refusal.field) == ("segment_too_long", "segments[0].out_ms")
    fine = lineup.lineup_set(
        actor=producer,
        production=production,
        version=0,
        segments=[SegmentSpec(submission_id=sub.pk, in_ms=3_600_000, out_ms=7_200_000)],
    )
    assert fine.runtime_ms == MAX_SEGMENT_MS


def test_submissions_that_cannot_play_are_refused(
    production: Production,
    producer: User,
    select: Callable[..., Submission],
    make_production: Callable[..., Production],
    make_record: Callable[..., Record],
    make_user: Callable[..., User],
    contributor: User,
) -> None:
    other = make_production(status="open", title="Fantasy")
    records = [make_record("image", author=contributor, title=f"Art {i}") for i in range(6)]
    asked = make_record("image", author=contributor, title="Ask me", remix_policy="ask")
    fan = make_user("fan")
    cases = {
        "submission_not_selected": select(production, records[0], status="shortlisted"),
        "submission_withdrawn": select(production, records[1], status="withdrawn"),
        # Someone else's `ask` record, its author not asked yet.
        "submission_no_consent": select(production, asked, status="submitted", by=fan),
        "submission_unknown": select(other, records[3]),  # another production's
    }
    deleted = select(production, records[4])
    record_services.record_delete(actor=contributor, record=records[4])
    cases["record_deleted"] = deleted
    for code, submission in cases.items():
        refusal = _refusal(production, producer, [SegmentSpec(submission_id=submission.pk)])
        assert (refusal.code, refusal.field) == (code, "segments[0].submission"), code
    refusal = _refusal(production, producer, [SegmentSpec(submission_id=99_999)])
    assert refusal.code == "submission_unknown"
    refusal = _refusal(production, producer, [SegmentSpec(submission_id=None)])
    assert refusal.code == "submission_required"


def test_the_same_submission_twice_is_refused(
    production: Production, producer: User, select: Callable[..., Submission], picture: Record
) -> None:
    sub = select(production, picture)
    refusal = _refusal(
        production,
        producer,
        [SegmentSpec(submission_id=sub.pk), SegmentSpec(submission_id=sub.pk, title="Again")],
    )
    assert (refusal.code, refusal.field) == ("submission_duplicate", "segments[1].submission")
    assert "Segment 2 (“Again”)" in refusal.detail


def test_a_piece_cannot_swap_its_record(
    production: Production,
    producer: User,
    select: Callable[..., Submission],
    picture: Record,
    song: Record,
) -> None:
    sub = select(production, picture)
    refusal = _refusal(production, producer, [SegmentSpec(submission_id=sub.pk, record_id=song.pk)])
    assert refusal.code == "record_mismatch"


def test_a_link_is_a_producers_own_published_record(
    production: Production,
    producer: User,
    contributor: User,
    make_record: Callable[..., Record],
) -> None:
    theirs = make_record("image", author=contributor, title="Not mine")
    draft = make_record("image", author=producer, title="Unfinished", visibility="draft")
    gone = make_record("image", author=producer, title="Gone")
    record_services.record_delete(actor=producer, record=gone)
    for record_id, code in [
        (theirs.pk, "link_not_producers"),
        (draft.pk, "record_not_published"),
        (gone.pk, "record_deleted"),
        (99_999, "record_unknown"),
        (None, "record_required"),
    ]:
        refusal = _refusal(production, producer, [SegmentSpec(kind="link", record_id=record_id)])
        assert (refusal.code, refusal.field) == (code, "segments[0].record"), code


def test_a_co_producers_record_makes_a_link(
    production: Production,
    producer: User,
    make_user: Callable[..., User],
    make_record: Callable[..., Record],
) -> None:
    co = make_user("nia")
    services.producer_add(actor=producer, production=production, user=co)
    card = make_record("text", author=co, title="Part two", body="Part two")
    result = lineup.lineup_set(
        actor=producer,
        production=production,
        version=0,
        segments=[SegmentSpec(kind="link", record_id=card.pk, duration_ms=3000)],
    )
    assert result.segments[0].duration_ms == 3000 and result.segments[0].submission is None


def test_more_than_500_segments_are_refused(
    production: Production, producer: User, make_record: Callable[..., Record]
) -> None:
    card = make_record("text", author=producer, title="Card")
    specs = [SegmentSpec(kind="link", record_id=card.pk, duration_ms=1000)] * 501
    refusal = _refusal(production, producer, specs)
    assert (refusal.code, refusal.field) == ("too_many_segments", "segments")


def test_the_lineup_reads_in_a_fixed_number_of_queries(
    production: Production,
    producer: User,
    select: Callable[..., Submission],
    make_record: Callable[..., Record],
    contributor: User,
    django_assert_max_num_queries: Any,
) -> None:
    subs = [
        select(production, make_record(kind, author=contributor, title=f"{kind} {i}"))
        for i in range(3)
        for kind in ("image", "audio", "text")
    ]
    lineup.lineup_set(
        actor=producer,
        production=production,
        version=0,
        segments=[SegmentSpec(submission_id=s.pk) for s in subs],
    )
    with django_assert_max_num_queries(7):
        result = lineup.lineup_get(viewer=producer, production=production)
        for segment in result.segments:
            assert segment.record.author is not None and segment.record.author.username
            lineup.thumbnail_url(record=segment.record, version=segment.record_version)
    assert len(result.segments) == 9


# Concurrency: two producers save on the same version; one wins, the other is told.
@pytest.mark.django_db(transaction=True)
def test_two_writers_on_the_same_version_one_is_refused(
    make_production: Callable[..., Production],
    producer: User,
    make_record: Callable[..., Record],
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is for PostgreSQL's row lock")
    production = make_production(status="open")
    card = make_record("text", author=producer, title="Card")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(title: str) -> None:
        from django.db import connections

        try:
            barrier.wait()
            lineup.lineup_set(
                actor=producer,
                production=production,
                version=0,
                segments=[SegmentSpec(kind="link", record_id=card.pk, title=title)],
            )
            outcomes.append("saved")
        except ApplicationError as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(t,)) for t in ("One", "Two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lineup_stale", "saved"]
    production.refresh_from_db()
    assert production.lineup_version == 1
    assert Segment.objects.filter(production=production).count() == 1
