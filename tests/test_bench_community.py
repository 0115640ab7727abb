"""The community benchmark's data generator (bench/community_data.py), at a tiny scale: the
rows it promises are there, every constraint holds, and the counters are exact."""

import numpy as np
import pytest
from bench.community_data import Shape, check, generate, stored_shape, zipf_allocate
from django.db.models import Count


def test_zipf_allocate_is_exact_and_capped() -> None:
    counts = zipf_allocate(5000, 300, 0.9, 40, np.random.default_rng(1))
    assert int(counts.sum()) == 5000
    assert int(counts.max()) == 40  # the most popular are capped
    assert int(counts.min()) >= 0


@pytest.mark.django_db
def test_generation_counts_and_counters_are_exact() -> None:
    from riffhouse.community.models import Follow, Heart, MemberStats
    from riffhouse.lineage.models import SourceLink
    from riffhouse.records.models import Record

    shape = Shape(members=300, records=400, hearts=4000, follows=1500, comments=100, tags=50)
    generate(shape, fast=False)  # foreign keys and constraints checked as the rows go in

    found = check(shape)  # every count as asked; RecordStats and MemberStats from the rows
    assert found == {
        "members": 300,
        "records": 400,
        "hearts": 4000,
        "follows": 1500,
        "comments": 100,
    }
    assert stored_shape() == shape.key()
    # Skewed: a few records and members are far more popular than the average.
    top = Heart.objects.values("record_id").annotate(n=Count("id")).order_by("-n").first() or {}
    assert top["n"] >= 5 * shape.hearts // shape.records
    most_followed = MemberStats.objects.order_by("-followers").first()
    assert most_followed is not None
    assert most_followed.followers >= 5 * shape.follows // shape.members
    # Remixes with their links, remix counts kept.
    assert SourceLink.objects.exists()
    for record in Record.objects.filter(remix_count__gt=0):
        assert record.remix_count == SourceLink.objects.filter(source=record).count()
    # The viewers follow as many members as their shape says, never themselves.
    for viewer, following in shape.viewers:
        assert Follow.objects.filter(follower_id=viewer).exclude(user_id=viewer).count() == (
            following
        )
