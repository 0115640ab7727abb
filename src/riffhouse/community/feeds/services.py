"""Feeds' writes: trending scores (a periodic job) and play counts.

Trending (decision 0034): a record's score is the sum, over the last `TRENDING_WINDOW_DAYS`
days, of each day's hearts, comments, remixes and plays, weighted by `TRENDING_WEIGHTS` and
halved for every `TRENDING_HALF_LIFE_DAYS` the day lies in the past:

    score = Σ_day Σ_signal weight[signal] · count[day, signal] · 0.5 ** (age_days / half_life)

where `age_days` is whole days before today (today counts fully). Each input is read with
one grouped range query over the window (hearts' and comments' `created_at` indexes, the
remixes' publication through records' feed index, the plays' day index), so no other app's
write has to do anything for trending.

Plays are counted without storing who played: a short-lived cache key, a keyed hash of the
browser's session (or, without one, its address and user agent) and the record, drops
repeats for `PLAY_REPEAT_SECONDS`; only the counts reach the database.
"""

import hashlib
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.crypto import salted_hmac

from riffhouse.community.feeds.models import RecordPlayDay, RecordTrend
from riffhouse.community.models import Comment, Heart, RecordStats
from riffhouse.core.page_cache import TRENDING, pages_changed
from riffhouse.lineage.models import SourceLink
from riffhouse.records.models import Record

TRENDING_WINDOW_DAYS = 7
TRENDING_HALF_LIFE_DAYS = 2.0
# How deep the trending list goes (208 pages of 24): a record below is not trending.
TRENDING_KEEP = 5000
TRENDING_WEIGHTS = {"hearts": 1.0, "comments": 2.0, "remixes": 4.0, "plays": 0.25}
TRENDING_EVERY = timedelta(minutes=10)
# Records listed are checked in batches this long (SQLite's bound on query variables).
_BATCH = 5000

PLAY_REPEAT_SECONDS = 30 * 60


def trending_decay(*, age_days: int) -> float:
    """What one event `age_days` days old weighs, relative to one today."""
    return float(0.5 ** (max(age_days, 0) / TRENDING_HALF_LIFE_DAYS))


def _daily_counts(*, since: datetime, day_from: date) -> dict[tuple[int, date, str], int]:
    """(record id, day, signal) → how many, over the window: four grouped range queries."""
    counts: dict[tuple[int, date, str], int] = defaultdict(int)
    hearts = (
        Heart.objects.filter(created_at__gte=since, record__isnull=False)
        .annotate(day=TruncDate("created_at"))
        .values_list("record_id", "day")
        .annotate(n=Count("id"))
    )
    comments = (
        Comment.objects.filter(
            created_at__gte=since,
            record__isnull=False,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .annotate(day=TruncDate("created_at"))
        .values_list("record_id", "day")
        .annotate(n=Count("id"))
    )
    # A remix counts from its publication: the remixes published in the window (records'
    # feed index), grouped by the record they build on.
    remixes = (
        SourceLink.objects.filter(
            record__in=Record.objects.listed().filter(published_at__gte=since)
        )
        .annotate(day=TruncDate("record__published_at"))
        .values_list("source_id", "day")
        .annotate(n=Count("id"))
    )
    plays = RecordPlayDay.objects.filter(day__gte=day_from).values_list("record_id", "day", "plays")
    for signal, rows in (
        ("hearts", hearts),
        ("comments", comments),
        ("remixes", remixes),
        ("plays", plays),
    ):
        for record_id, day, n in rows:
            counts[(record_id, day, signal)] += n
    return counts


def trending_scores(*, now: datetime | None = None) -> dict[int, float]:
    """Every record's score over the window ending `now` (records not listed included:
    `trending_compute` leaves them out)."""
    now = now or timezone.now()
    today = now.date()
    day_from = today - timedelta(days=TRENDING_WINDOW_DAYS - 1)
    since = datetime.combine(day_from, datetime.min.time(), tzinfo=now.tzinfo)
    scores: dict[int, float] = defaultdict(float)
    for (record_id, day, signal), n in _daily_counts(since=since, day_from=day_from).items():
        if day > today:  # an event stamped after `now` (a fixed clock in the past)
            continue
        age = (today - day).days
        scores[record_id] += TRENDING_WEIGHTS[signal] * n * trending_decay(age_days=age)
    return {pk: score for pk, score in scores.items() if score > 0}


@transaction.atomic
def trending_compute(*, now: datetime | None = None) -> int:
    """Recompute the trending table from the last days' hearts, comments, remixes and plays
    of listed records: the `TRENDING_KEEP` best scores of listed records, the rest of the
    table emptied. Returns how many records it holds. Run by the periodic job
    `tasks.trending_compute_task`."""
    now = now or timezone.now()
    ranked = sorted(trending_scores(now=now).items(), key=lambda item: (-item[1], -item[0]))
    kept: list[tuple[int, float]] = []
    for start in range(0, len(ranked), _BATCH):
        batch = ranked[start : start + _BATCH]
        listed = set(
            Record.objects.listed()
            .filter(pk__in=[pk for pk, _ in batch])
            .values_list("pk", flat=True)
        )
        kept += [(pk, score) for pk, score in batch if pk in listed]
        if len(kept) >= TRENDING_KEEP:
            break
    kept = kept[:TRENDING_KEEP]
    RecordTrend.objects.all().delete()
    RecordTrend.objects.bulk_create(
        [RecordTrend(record_id=pk, score=score, computed_at=now) for pk, score in kept],
        batch_size=1000,
    )
    # The pages that show trending are stale from here (core.page_cache, decision 0040).
    pages_changed(TRENDING)
    return len(kept)


def play_listener_key(*, session_key: str | None, address: str, user_agent: str) -> str:
    """A keyed hash standing for one browser, kept only in the cache: its session when it has
    one, else its address and user agent. Nothing of it is written to the database."""
    material = f"s:{session_key}" if session_key else f"a:{address}|{user_agent[:200]}"
    return salted_hmac(
        "riffhouse.feeds.play", material, secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def _bump(model: type[RecordPlayDay] | type[RecordStats], where: Q, **create: object) -> None:
    """Add one play to the row matched by `where`, creating it first if needed (a
    conflicting create by a concurrent play falls back to the update)."""
    if model.objects.filter(where).update(plays=F("plays") + 1):
        return
    try:
        with transaction.atomic():
            model.objects.create(plays=1, **create)
    except IntegrityError:
        model.objects.filter(where).update(plays=F("plays") + 1)


def record_play_count(*, record: Record, listener: str, now: datetime | None = None) -> bool:
    """Count one play of `record` by the browser `listener` (`play_listener_key`): one more
    on its `RecordStats.plays` and on today's `RecordPlayDay`. A repeat by the same browser
    within `PLAY_REPEAT_SECONDS` is not counted (False). Precondition: `record` is listed
    (`selectors.record_playable`)."""
    digest = hashlib.sha256(f"{listener}:{record.pk}".encode()).hexdigest()
    if not cache.add(f"feeds:play:{digest}", 1, timeout=PLAY_REPEAT_SECONDS):
        return False
    day = (now or timezone.now()).date()
    with transaction.atomic():
        _bump(RecordStats, Q(record_id=record.pk), record_id=record.pk)
        _bump(RecordPlayDay, Q(record_id=record.pk, day=day), record_id=record.pk, day=day)
    return True
