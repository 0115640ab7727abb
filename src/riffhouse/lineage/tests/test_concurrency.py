"""The graph's integrity under concurrent writes, on a real database (each thread has its own
connection and transaction): no cycle slips through, and counts stay exact."""

import pytest

from riffhouse.core.errors import ApplicationError
from riffhouse.core.testing import at_once
from riffhouse.lineage import selectors, services
from riffhouse.lineage.chains import chains_check
from riffhouse.lineage.models import SourceLink
from riffhouse.lineage.services import SourceSpec
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_edits_that_would_close_a_loop_cannot_both_win(ana, bo, work):
    first, second = work(ana, "First"), work(bo, "Second")
    results = at_once(
        lambda: services.record_sources_set(
            actor=ana, record=first, sources=[SourceSpec(second.pk)]
        ),
        lambda: services.record_sources_set(
            actor=bo, record=second, sources=[SourceSpec(first.pk)]
        ),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ApplicationError) and errors[0].code == "cycle"
    assert SourceLink.objects.count() == 1


def test_concurrent_remixes_are_all_counted(ana, make_user, work):
    song = work(ana)
    remixers = [make_user(f"remixer{i}") for i in range(6)]
    results = at_once(
        *(
            lambda member=member: services.remix_create(
                author=member,
                sources=[SourceSpec(song.pk)],
                kind="text",
                title=f"Remix by {member.username}",
                body="Words.",
            )
            for member in remixers
        )
    )
    assert all(isinstance(r, Record) for r in results), results
    song.refresh_from_db()
    assert song.remix_count == 6 == SourceLink.objects.filter(source=song).count()


def test_a_remix_joining_a_chain_while_the_chain_moves_keeps_it_whole(ana, bo, work):
    """One member remixes the last record of a run while another changes the source of a
    record earlier in the run, which moves the rest of the run's chain (lineage.chains)."""
    poem, other = work(ana, "Poem"), work(bo, "Another poem")
    run = [poem]
    for i in range(4):
        run.append(
            services.remix_create(
                author=ana,
                sources=[SourceSpec(run[-1].pk)],
                kind="text",
                title=f"Step {i + 1}",
                body="Words.",
            )
        )
    results = at_once(
        lambda: services.record_sources_set(
            actor=ana, record=run[2], sources=[SourceSpec(other.pk)]
        ),
        lambda: services.remix_create(
            author=bo, sources=[SourceSpec(run[-1].pk)], kind="text", title="Late", body="Words."
        ),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert chains_check() == []
    assert [r.id for r in selectors.record_ancestors(record_id=results[1].pk)] == [
        run[4].pk,
        run[3].pk,
        run[2].pk,
        other.pk,
    ]


def test_remixes_of_a_record_its_author_is_editing_all_link_a_ready_version(ana, make_user, work):
    """Each edit makes a new live version while remixers lock the source: the source they
    read after the lock has a version (not one joined as NULL from before the wait)."""
    from riffhouse.records import services as records

    song = work(ana)
    remixers = [make_user(f"remixer{i}") for i in range(4)]
    results = at_once(
        *(
            lambda n=n: records.record_update(actor=ana, record=song, title=f"Moon song {n}")
            for n in range(4)
        ),
        *(
            lambda member=member: services.remix_create(
                author=member,
                sources=[SourceSpec(song.pk)],
                kind="text",
                title=f"Remix by {member.username}",
                body="Words.",
            )
            for member in remixers
        ),
    )
    assert all(isinstance(r, Record) for r in results), results
    assert SourceLink.objects.filter(source=song).count() == 4
