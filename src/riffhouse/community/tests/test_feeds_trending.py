"""Trending: hearts, comments, remixes and plays of the last days, each day's halved every
two days, computed by a periodic job into a table the list reads."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from riffhouse.community.feeds import selectors, services
from riffhouse.community.feeds.models import RecordPlayDay, RecordTrend
from riffhouse.community.feeds.tasks import trending_compute_task
from riffhouse.community.models import Comment, Heart
from riffhouse.community.tests.feeds_scene import published_at
from riffhouse.core.periodic import periodic_registered
from riffhouse.lineage.models import SourceLink
from riffhouse.records import services as records

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def at(record, days_ago: int, hours: int = 9) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC) + timedelta(
        hours=hours
    )


def heart(record, member, days_ago: int) -> Heart:
    row = Heart.objects.create(user=member, record=record)
    Heart.objects.filter(pk=row.pk).update(created_at=at(record, days_ago))
    return row


def comment(record, member, days_ago: int, **fields) -> Comment:
    row = Comment.objects.create(author=member, record=record, body="Lovely", **fields)
    Comment.objects.filter(pk=row.pk).update(created_at=at(record, days_ago))
    return row


def test_decay_halves_every_two_days() -> None:
    assert services.trending_decay(age_days=0) == 1.0
    assert services.trending_decay(age_days=2) == 0.5
    assert services.trending_decay(age_days=4) == 0.25
    assert services.trending_decay(age_days=1) == pytest.approx(2**-0.5)
    assert services.trending_decay(age_days=-1) == 1.0  # never more than today's


def test_scores_weigh_each_signal_and_decay_by_age(user, ana, make_user, make_record) -> None:
    cleo = make_user("cleo")
    song = make_record("text", author=user, title="Song")
    heart(song, ana, days_ago=0)  # 1
    heart(song, cleo, days_ago=2)  # 0.5
    comment(song, ana, days_ago=0)  # 2
    comment(song, cleo, days_ago=4)  # 2 * 0.25
    comment(song, cleo, days_ago=0, deleted_at=NOW)  # a deleted comment counts nothing
    heart(song, make_user("dora"), days_ago=7)  # outside the window
    RecordPlayDay.objects.create(record=song, day=TODAY - timedelta(days=2), plays=8)  # 8*.25*.5
    remix = published_at(make_record("text", author=ana, title="Remix"), at(song, 2))
    SourceLink.objects.create(record=remix, source=song, source_version=song.current_version)
    # remix published two days ago: 4 * 0.5

    scores = services.trending_scores(now=NOW)

    assert scores[song.pk] == pytest.approx(1 + 0.5 + 2 + 0.5 + 1 + 2)


def test_trending_compute_fills_the_table_with_listed_records_only(user, ana, make_record) -> None:
    hot = make_record("text", author=user, title="Hot")
    warm = make_record("text", author=user, title="Warm")
    hidden = make_record("text", author=user, title="Soon a draft")
    RecordTrend.objects.create(record=warm, score=99, computed_at=NOW - timedelta(days=1))
    heart(hot, ana, 0)
    comment(hot, ana, 0)
    heart(warm, ana, 1)
    heart(hidden, ana, 0)
    records.record_update(actor=user, record=hidden, visibility="draft")

    assert services.trending_compute(now=NOW) == 2

    rows = {row.record_id: row for row in RecordTrend.objects.all()}
    assert set(rows) == {hot.pk, warm.pk}
    assert rows[hot.pk].score == pytest.approx(3.0)
    assert rows[warm.pk].score == pytest.approx(2**-0.5)  # the old 99 is gone
    assert rows[hot.pk].computed_at == NOW


def test_the_job_is_registered_and_runs(user, ana, make_record) -> None:
    assert "riffhouse.community.feeds.tasks.trending_compute_task" in [
        p.name for p in periodic_registered()
    ]
    record = make_record("text", author=user)
    Heart.objects.create(user=ana, record=record)
    result = trending_compute_task.enqueue()
    assert result.return_value == 1
    assert RecordTrend.objects.get().record_id == record.pk


def test_the_list_is_highest_first_and_paged(
    user, make_record, django_assert_max_num_queries
) -> None:
    made = [make_record("text", author=user, title=f"R{n}") for n in range(5)]
    for n, record in enumerate(made):
        # R1 and R2 tie: the higher id first.
        RecordTrend.objects.create(
            record=record, score=[0.5, 3.0, 3.0, 2.0, 4.0][n], computed_at=NOW
        )

    # The scores, their records, tags, renditions (no audio: no art).
    with django_assert_max_num_queries(5):
        first = selectors.trending(limit=3)
    second = selectors.trending(limit=3, cursor=first.next_cursor)

    assert [i.record.title for i in first.items] == ["R4", "R2", "R1"]
    assert [i.record.title for i in second.items] == ["R3", "R0"]  # after the tie
    assert second.next_cursor is None
    assert first.items[0].score == 4.0 and first.items[0].reason == "Trending"


def test_the_job_keeps_the_best_scores_only(user, make_record, monkeypatch) -> None:
    monkeypatch.setattr(services, "TRENDING_KEEP", 2)
    made = [make_record("text", author=user, title=f"R{n}") for n in range(3)]
    for n, record in enumerate(made):
        for _ in range(n + 1):
            services.record_play_count(record=record, listener=f"l{n}-{_}", now=NOW)
    assert services.trending_compute(now=NOW) == 2
    assert [i.record.title for i in selectors.trending().items] == ["R2", "R1"]


def test_records_unlisted_since_the_job_are_read_past(user, make_record) -> None:
    """The scores are read down their index a few at a time: when the first ones' records
    have left the listings since the job ran, the list reads on to the listed ones."""
    kept = make_record("text", author=user, title="Kept")
    RecordTrend.objects.create(record=kept, score=1, computed_at=NOW)
    for n in range(6):
        gone = make_record("text", author=user, title=f"Gone {n}")
        RecordTrend.objects.create(record=gone, score=10 + n, computed_at=NOW)
        records.record_delete(actor=user, record=gone)
    page = selectors.trending(limit=1)
    assert [i.record.title for i in page.items] == ["Kept"]
    assert page.next_cursor is None


def test_a_record_unlisted_after_the_job_leaves_the_list(user, make_record) -> None:
    record = make_record("text", author=user, title="Gone")
    RecordTrend.objects.create(record=record, score=5, computed_at=NOW)
    records.record_delete(actor=user, record=record)
    assert selectors.trending().items == []


def test_api_and_page(
    user, make_record, api, client: Client, django_assert_max_num_queries
) -> None:
    record = make_record("text", author=user, title="Harbour lights")
    RecordTrend.objects.create(record=record, score=2.5, computed_at=NOW)

    response = api.call("get", "/feed/trending")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["record"]["title"] == "Harbour lights" and item["score"] == 2.5
    assert api.call("get", "/feed/trending?cursor=bad").status_code == 400

    with django_assert_max_num_queries(6):
        page = client.get("/discover/")
    assert page.status_code == 200
    assert "Harbour lights" in page.content.decode()
    assert 'aria-current="page">Trending<' in page.content.decode()
