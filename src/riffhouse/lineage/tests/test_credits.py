"""The one weighting (lineage.credits): exact shares of a record among its lineage."""

from collections.abc import Callable
from fractions import Fraction

import pytest
from conftest import PASSWORD
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riffhouse.accounts.models import User
from riffhouse.accounts.services import account_delete
from riffhouse.lineage.credits import record_credit_lineages, record_credit_shares
from riffhouse.records.models import Record
from riffhouse.records.services import record_delete

pytestmark = pytest.mark.django_db
FORTY = Fraction(2, 5)


def test_an_original_is_wholly_its_authors(ana: User, work: Callable[..., Record]) -> None:
    poem = work(ana)
    assert record_credit_shares(record_ids=[poem.pk], source_share=FORTY) == {
        poem.pk: {ana.pk: Fraction(1)}
    }


def test_a_remix_keeps_its_part_and_passes_the_rest_up(
    ana: User, bo: User, cy: User, work: Callable[..., Record], remix: Callable[..., Record]
) -> None:
    poem = work(ana)
    song = remix(bo, poem)
    video = remix(cy, song)
    shares = record_credit_shares(record_ids=[song.pk, video.pk], source_share=FORTY)
    assert shares[song.pk] == {bo.pk: Fraction(3, 5), ana.pk: Fraction(2, 5)}
    # cy keeps 3/5; bo keeps 3/5 of the 2/5 passed to the song; ana the rest.
    assert shares[video.pk] == {
        cy.pk: Fraction(3, 5),
        bo.pk: Fraction(6, 25),
        ana.pk: Fraction(4, 25),
    }
    assert sum(shares[video.pk].values()) == 1


def test_two_sources_share_equally_and_a_diamond_adds_both_paths(
    ana: User,
    bo: User,
    cy: User,
    make_user: Callable[..., User],
    work: Callable[..., Record],
    remix: Callable[..., Record],
) -> None:
    dee = make_user("dee")
    root = work(ana, "Root")
    left = remix(bo, root, title="Left")
    right = remix(cy, root, title="Right")
    top = remix(dee, left, right, title="Top")
    shares = record_credit_shares(record_ids=[top.pk], source_share=Fraction(1, 2))[top.pk]
    # dee 1/2; left and right get 1/4 each and keep 1/8 each; root gets 1/8 + 1/8.
    assert shares == {
        dee.pk: Fraction(1, 2),
        bo.pk: Fraction(1, 8),
        cy.pk: Fraction(1, 8),
        ana.pk: Fraction(1, 4),
    }


def test_one_author_in_several_places_is_merged(
    ana: User, bo: User, work: Callable[..., Record], remix: Callable[..., Record]
) -> None:
    poem = work(ana)
    song = remix(bo, poem)
    again = remix(ana, song)
    shares = record_credit_shares(record_ids=[again.pk], source_share=FORTY)[again.pk]
    assert shares == {ana.pk: Fraction(3, 5) + Fraction(4, 25), bo.pk: Fraction(6, 25)}


def test_a_deep_chain_stays_exact_and_sums_to_one(
    make_user: Callable[..., User], work: Callable[..., Record], remix: Callable[..., Record]
) -> None:
    members = [make_user(f"chain{i}") for i in range(30)]
    record = work(members[0])
    for member in members[1:]:
        record = remix(member, record)
    shares = record_credit_shares(record_ids=[record.pk], source_share=FORTY)[record.pk]
    assert sum(shares.values()) == 1
    assert len(shares) == 30
    assert shares[members[-1].pk] == Fraction(3, 5)
    assert shares[members[0].pk] == FORTY**29  # the original keeps all that reaches it
    assert shares[members[1].pk] == FORTY**28 * Fraction(3, 5)


def test_tombstones_and_former_members_keep_their_credit(
    ana: User, bo: User, cy: User, work: Callable[..., Record], remix: Callable[..., Record]
) -> None:
    poem = work(ana)
    song = remix(bo, poem)
    video = remix(cy, song)
    record_delete(actor=ana, record=poem)
    account_delete(user=bo, password=PASSWORD)
    shares = record_credit_shares(record_ids=[video.pk], source_share=FORTY)[video.pk]
    assert shares[ana.pk] == Fraction(4, 25)
    assert shares[bo.pk] == Fraction(6, 25)
    Record.objects.filter(pk=song.pk).update_after_hooks(author=None)  # the row itself gone
    shares = record_credit_shares(record_ids=[video.pk], source_share=FORTY)[video.pk]
    assert shares[None] == Fraction(6, 25)
    assert sum(shares.values()) == 1


def test_roles_and_closeness(
    ana: User, bo: User, cy: User, work: Callable[..., Record], remix: Callable[..., Record]
) -> None:
    poem = work(ana)
    song = remix(bo, (poem, "lyrics"))
    video = remix(cy, (song, "melody"))
    credits = record_credit_lineages(record_ids=[video.pk], source_share=FORTY)[video.pk]
    assert credits.author_id == cy.pk
    assert credits.roles == {cy.pk: ["writing"], bo.pk: ["melody"], ana.pk: ["lyrics"]}
    assert credits.closeness == {cy.pk: 0, bo.pk: 1, ana.pk: 2}


def test_many_roots_are_read_in_one_query(
    ana: User, bo: User, work: Callable[..., Record], remix: Callable[..., Record]
) -> None:
    poems = [work(ana, f"Poem {i}") for i in range(5)]
    remixes = [remix(bo, p) for p in poems]
    with CaptureQueriesContext(connection) as queries:
        shares = record_credit_shares(
            record_ids=[r.pk for r in remixes + poems], source_share=FORTY
        )
    assert len(queries) == 1
    assert all(sum(s.values()) == 1 for s in shares.values())
    assert len(shares) == 10


def test_no_source_share_keeps_everything_with_the_author(
    ana: User, bo: User, work: Callable[..., Record], remix: Callable[..., Record]
) -> None:
    song = remix(bo, work(ana))
    assert record_credit_shares(record_ids=[song.pk], source_share=Fraction(0)) == {
        song.pk: {bo.pk: Fraction(1)}
    }


def test_roots_read_together_share_as_each_read_alone(
    ana: User,
    bo: User,
    cy: User,
    make_user: Callable[..., User],
    work: Callable[..., Record],
    remix: Callable[..., Record],
) -> None:
    """Roots whose lineages cross are walked in one shared order: what each gets is what it
    gets when asked about alone, exactly."""
    dee = make_user("dee")
    root = work(ana, "Root")
    other = work(dee, "Other")
    left = remix(bo, root, title="Left")
    right = remix(cy, root, other, title="Right")
    top = remix(dee, left, right, title="Top")
    side = remix(ana, right, top, title="Side")
    roots = [side.pk, top.pk, left.pk, right.pk]
    together = record_credit_shares(record_ids=roots, source_share=FORTY)
    for record_id in roots:
        alone = record_credit_shares(record_ids=[record_id], source_share=FORTY)[record_id]
        assert together[record_id] == alone
        assert sum(alone.values()) == 1
    # dee keeps 3/5 of the top; the rest halves between left (bo keeps 3/5 of it, ana has
    # the rest) and right (cy keeps 3/5; ana and dee share the rest equally).
    assert together[top.pk] == {
        dee.pk: Fraction(3, 5) + Fraction(1, 5) * Fraction(2, 5) / 2,
        bo.pk: Fraction(1, 5) * Fraction(3, 5),
        cy.pk: Fraction(1, 5) * Fraction(3, 5),
        ana.pk: Fraction(1, 5) * Fraction(2, 5) + Fraction(1, 5) * Fraction(2, 5) / 2,
    }
