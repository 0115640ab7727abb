"""Feeds' own rows: trending scores (written by a job) and plays per record and day.
Imported by `community.models`, so they belong to the community app and its migrations."""

from django.db import models

from riffhouse.records.models import Record


class RecordTrend(models.Model):
    """A record's trending score, recomputed by `feeds.services.trending_compute` from the
    hearts, comments, remixes and plays of the last days (each day's count halved every
    `TRENDING_HALF_LIFE_DAYS`). Only records with a positive score have a row."""

    # `Record.trend`: the trending list reads listed records joined to their score.
    record = models.OneToOneField(
        Record, primary_key=True, on_delete=models.CASCADE, related_name="trend"
    )
    score = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The trending list, highest first, paged by (score, record).
            models.Index(fields=["-score", "-record"], name="community_trend_score_idx"),
        ]

    def __str__(self) -> str:
        return f"record {self.record_id}: {self.score:.2f}"


class RecordPlayDay(models.Model):
    """How many times a record was played on one day (UTC). Nobody's identity is stored:
    repeated plays by one browser are dropped through a short-lived cache key."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    plays = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "day"], name="community_playday_unique")
        ]
        indexes = [
            # Trending reads the recent days' rows of every record.
            models.Index(fields=["day", "record"], name="community_playday_day_idx"),
        ]

    def __str__(self) -> str:
        return f"record {self.record_id} on {self.day}: {self.plays}"
