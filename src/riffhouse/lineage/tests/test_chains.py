"""Chains (lineage.chains): runs of single-source remixes kept as (head, position) on their
links, so that a deep ancestry is read as one index range. They must never change what the
ancestors walk returns: every test compares the walk with a plain walk over the links."""

import io
from collections import deque
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage import selectors, services
from riffhouse.lineage.chains import chains_check, chains_rebuild
from riffhouse.lineage.models import SourceLink
from riffhouse.lineage.services import SourceSpec
from riffhouse.records import services as record_services
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def expected_ancestors(record_id: int, depth: int = selectors.MAX_DEPTH) -> list[tuple[Any, ...]]:
    """The ancestors as the walk defines them, from the links alone (breadth first): each
    record at its smallest depth, the records one step closer through which it is reached
    at that depth, and the usage notes of its links from anywhere in the ancestry."""
    sources: dict[int, list[tuple[int, str]]] = {}
    for record, source, usage in SourceLink.objects.values_list("record_id", "source_id", "usage"):
        sources.setdefault(record, []).append((source, usage))
    nearest = {record_id: 0}
    queue = deque([record_id])
    while queue:
        current = queue.popleft()
        if nearest[current] == depth:
            continue
        for source, _ in sources.get(current, []):
            if source not in nearest:
                nearest[source] = nearest[current] + 1
                queue.append(source)
    via: dict[int, list[int]] = {}
    usages: dict[int, set[str]] = {}
    for record, links in sources.items():
        if record not in nearest or nearest[record] == depth:
            continue
        for source, usage in links:
            if nearest[source] == nearest[record] + 1:
                via.setdefault(source, []).append(record)
            if usage:
                usages.setdefault(source, set()).add(usage)
    return sorted(
        (nearest[n], n, sorted(via[n]), usages.get(n, set())) for n in nearest if n != record_id
    )


def walked(record_id: int, depth: int = selectors.MAX_DEPTH) -> list[tuple[Any, ...]]:
    return [
        (r.depth, r.id, r.via, set(r.usages))
        for r in selectors.record_ancestors(record_id=record_id, depth=depth)
    ]


def chain_of(record: Record) -> tuple[int | None, int | None]:
    link = SourceLink.objects.get(record=record)
    return link.chain_head_id, link.chain_position


def test_a_run_of_single_source_remixes_is_one_chain(ana, bo, work, remix):
    poem = work(ana, "Poem")
    run = [poem]
    for i in range(5):
        run.append(remix(bo if i % 2 else ana, (run[-1], "words"), title=f"Step {i + 1}"))
    assert [chain_of(r) for r in run[1:]] == [(poem.pk, p) for p in range(1, 6)]
    assert chains_check() == []
    assert walked(run[-1].pk) == expected_ancestors(run[-1].pk)
    assert [r.id for r in selectors.record_ancestors(record_id=run[-1].pk)] == [
        r.pk for r in reversed(run[:-1])
    ]


def test_the_first_remix_continues_the_chain_and_the_next_starts_its_own(ana, bo, work, remix):
    song = work(ana)
    first = remix(bo, song, title="First")
    second = remix(bo, song, title="Second")
    after_second = remix(ana, second, title="After the second")
    assert chain_of(first) == (song.pk, 1)
    assert chain_of(second) == (None, None)  # the song's chain goes on through `first`
    assert chain_of(after_second) == (second.pk, 1)
    assert walked(after_second.pk) == expected_ancestors(after_second.pk)
    assert chains_check() == []


def test_a_record_with_two_sources_heads_a_chain(ana, bo, work, remix):
    words, tune = work(ana, "Words"), work(bo, "Tune")
    song = remix(bo, words, tune, title="Song")
    video = remix(ana, (song, "soundtrack"), title="Video")
    assert SourceLink.objects.filter(record=song, chain_head__isnull=False).count() == 0
    assert chain_of(video) == (song.pk, 1)
    assert walked(video.pk) == expected_ancestors(video.pk)
    assert [(r.depth, r.id) for r in selectors.record_ancestors(record_id=video.pk)] == [
        (1, song.pk),
        (2, words.pk),
        (2, tune.pk),
    ]


def test_a_source_edit_in_the_middle_moves_the_rest_of_the_chain_along(ana, bo, work, remix):
    poem, other = work(ana, "Poem"), work(bo, "Another poem")
    run = [poem]
    for i in range(6):
        run.append(remix(ana, run[-1], title=f"Step {i + 1}"))
    middle = run[3]
    services.record_sources_set(actor=ana, record=middle, sources=[SourceSpec(other.pk)])
    # `middle` now continues `other`'s chain, and the records after it follow.
    assert chain_of(middle) == (other.pk, 1)
    assert [chain_of(r) for r in run[4:]] == [(other.pk, 2), (other.pk, 3), (other.pk, 4)]
    assert chains_check() == []
    for record in run[1:]:
        assert walked(record.pk) == expected_ancestors(record.pk)
    assert poem.pk not in {r.id for r in selectors.record_ancestors(record_id=run[-1].pk)}


def test_a_second_source_ends_the_chain_and_removing_it_joins_again(ana, bo, work, remix):
    poem, tune = work(ana, "Poem"), work(bo, "Tune")
    run = [poem]
    for i in range(4):
        run.append(remix(ana, run[-1], title=f"Step {i + 1}"))
    services.record_sources_set(
        actor=ana, record=run[2], sources=[SourceSpec(run[1].pk), SourceSpec(tune.pk)]
    )
    assert SourceLink.objects.filter(record=run[2], chain_head__isnull=False).count() == 0
    assert [chain_of(r) for r in run[3:]] == [(run[2].pk, 1), (run[2].pk, 2)]
    assert walked(run[-1].pk) == expected_ancestors(run[-1].pk)
    services.record_sources_set(actor=ana, record=run[2], sources=[SourceSpec(run[1].pk)])
    assert [chain_of(r) for r in run[1:]] == [(poem.pk, p) for p in range(1, 5)]
    assert walked(run[-1].pk) == expected_ancestors(run[-1].pk)
    assert chains_check() == []


def test_a_new_usage_note_keeps_the_chain_and_shows_in_the_walk(ana, work, remix):
    poem = work(ana, "Poem")
    picture = remix(ana, (poem, "words"), title="Picture")
    film = remix(ana, picture, title="Film")
    services.record_sources_set(
        actor=ana, record=picture, sources=[SourceSpec(poem.pk, usage="mood")]
    )
    assert chain_of(picture) == (poem.pk, 1) and chain_of(film) == (poem.pk, 2)
    assert selectors.record_ancestors(record_id=film.pk)[1].usages == ["mood"]


def test_the_walk_is_one_query_however_deep(ana, work, remix):
    run = [work(ana, "Poem")]
    for i in range(12):
        run.append(remix(ana, run[-1], title=f"Step {i + 1}"))
    with CaptureQueriesContext(connection) as queries:
        reached = selectors.record_ancestors(record_id=run[-1].pk)
    assert len(queries) == 1 and len(reached) == 12
    assert walked(run[-1].pk, depth=5) == expected_ancestors(run[-1].pk, depth=5)


def test_rebuilding_from_the_links_alone_gives_the_same_chains(ana, bo, work, remix):
    words, tune = work(ana, "Words"), work(bo, "Tune")
    song = remix(bo, words, tune, title="Song")
    first = remix(ana, song, title="First")
    second = remix(bo, song, title="Second")
    deeper = [remix(ana, first, title="Deeper")]
    deeper.append(remix(bo, deeper[-1], title="Deepest"))
    built = dict(SourceLink.objects.values_list("pk", "chain_position"))
    SourceLink.objects.update(chain_head=None, chain_position=None)
    assert chains_rebuild() == 3  # first, deeper, deepest
    assert dict(SourceLink.objects.values_list("pk", "chain_position")) == built
    assert chains_check() == []
    assert walked(second.pk) == expected_ancestors(second.pk)
    assert walked(deeper[-1].pk) == expected_ancestors(deeper[-1].pk)


def test_links_without_chain_columns_are_still_walked_exactly(ana, work, remix):
    """The columns only save work: links written some other way are walked link by link."""
    run = [work(ana, "Poem")]
    for i in range(5):
        run.append(remix(ana, run[-1], title=f"Step {i + 1}"))
    expected = expected_ancestors(run[-1].pk)
    SourceLink.objects.filter(record__in=run[3:]).update(chain_head=None, chain_position=None)
    assert chains_check() == []
    assert walked(run[-1].pk) == expected


class _Rollback(Exception):
    pass


USAGES = st.sampled_from(["", "", "melody", "words"])
SOURCE = st.tuples(st.integers(0, 30), USAGES)  # an index into the records made so far
# Operations on a growing list of records: a new record built on the newest (runs grow
# chains) or on any earlier ones (none: an original), or new sources for one of them.
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("new"), st.lists(st.tuples(st.just(-1), USAGES), min_size=1, max_size=1)),
        st.tuples(st.just("new"), st.lists(SOURCE, max_size=3)),
        st.tuples(st.just("edit"), st.integers(0, 30), st.lists(SOURCE, min_size=1, max_size=1)),
        st.tuples(st.just("edit"), st.integers(0, 30), st.lists(SOURCE, max_size=3)),
    ),
    min_size=1,
    max_size=16,
)


@given(operations=OPERATIONS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_history_of_remixes_and_edits_walks_like_the_links(
    operations: list[tuple[Any, ...]],
    ana: User,
    work: Callable[..., Record],
    remix: Callable[..., Record],
) -> None:
    try:
        with transaction.atomic():
            records = [work(ana, "Original")]
            refused: set[str] = set()
            for operation in operations:
                picks = {records[i % len(records)].pk: usage for i, usage in operation[-1]}
                specs = [SourceSpec(pk, usage=usage) for pk, usage in picks.items()]
                if operation[0] == "new":
                    # With no sources, an original: record_create serves both.
                    records.append(
                        record_services.record_create(
                            author=ana, sources=specs, kind="text", title="R", body="Words."
                        )
                    )
                    continue
                target = records[operation[1] % len(records)]
                try:
                    with transaction.atomic():
                        services.record_sources_set(actor=ana, record=target, sources=specs)
                except ApplicationError as error:
                    refused.add(error.code)
            assert refused <= {"cycle", "self_source"}
            assert chains_check() == []
            for record in records:
                assert walked(record.pk) == expected_ancestors(record.pk)
                assert walked(record.pk, depth=2) == expected_ancestors(record.pk, depth=2)
            raise _Rollback  # a clean database for the next example
    except _Rollback:
        pass


def test_the_command_finds_broken_chains_and_rebuilds_them(ana, work, remix):
    run = [work(ana, "Poem")]
    for i in range(3):
        run.append(remix(ana, run[-1], title=f"Step {i + 1}"))
    out = io.StringIO()
    call_command("lineage_chains", stdout=out)
    assert "consistent" in out.getvalue()
    SourceLink.objects.filter(record=run[2]).update(chain_head=None, chain_position=None)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("lineage_chains", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("lineage_chains", "--rebuild", stdout=out)
    assert "3 link(s) continue one" in out.getvalue() and "consistent" in out.getvalue()
    assert [chain_of(r) for r in run[1:]] == [(run[0].pk, p) for p in (1, 2, 3)]
