"""The home page: the community's work for everyone, a member's own start when logged in."""

import re

import pytest
from django.test import Client
from django.utils.html import strip_tags

from riffhouse.community.selectors import fill_rows
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.records.services import record_update
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = pytest.mark.django_db

# Words the page must not use while productions and the ledger do not exist.
NOT_YET = re.compile(r"\b(pay|paid|payouts?|ledger|earns?|money)\b", re.I)


def text(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def remix_of(make_record, source, **fields):
    """A published remix of `source` (the link written directly: lineage's rules are not
    what this tests)."""
    remix = make_record("text", **fields)
    SourceLink.objects.create(
        record=remix, source=source, source_version=source.live_version, usage="melody"
    )
    source.__class__.objects.filter(pk=source.pk).update(remix_count=source.remix_count + 1)
    source.refresh_from_db()
    return remix


@pytest.fixture
def house(make_record, make_user):
    """Thirty records by five members, a lineage three levels deep and images with art."""
    members = [make_user(display_name=f"Artist {i}") for i in range(5)]
    made = []
    for i in range(30):
        art = {"upload": upload(samples.png((700, 500)), "art.png")} if i % 5 == 0 else {}
        kind = "image" if art else "text"
        made.append(make_record(kind, author=members[i % 5], title=f"Work {i}", **art))
    root = make_record("text", author=members[0], title="Night Shift")
    nebula = remix_of(make_record, root, author=members[1], title="Far Side of the Nebula")
    remix_of(make_record, root, author=members[2], title="Lydian Drift")
    remix_of(make_record, nebula, author=members[3], title="Launch Window")
    return members, made, root


def test_fill_rows_never_leaves_a_lonely_card() -> None:
    for count in range(1, 30):
        shown = len(fill_rows(items=list(range(count)), columns=(2, 3, 4)))
        assert shown == count or shown < count
        assert shown <= 1 or not any(shown > c and shown % c == 1 for c in (2, 3, 4))
    assert len(fill_rows(items=list(range(12)), columns=(2, 3, 4))) == 12
    assert len(fill_rows(items=list(range(5)), columns=(2, 3, 4))) == 2
    assert len(fill_rows(items=list(range(6)), columns=(2, 3))) == 6


def test_logged_out_home_shows_the_work_and_a_real_remix_tree(
    client: Client, house, django_assert_max_num_queries
) -> None:
    _members, _made, root = house
    with django_assert_max_num_queries(15):  # + the latest episode, the open calls
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    gallery = response.context["gallery"]
    # Whole rows: 12 just in, and the most remixed (the two remixed records) fill theirs.
    assert len(gallery.recent) == 12
    assert [r.title for r in gallery.trending] == ["Night Shift", "Far Side of the Nebula"]
    assert "Launch Window" in body  # the newest record
    # The remix tree: the most remixed record and its real remixes, each a link to it.
    tree = re.search(r'<section class="home-tree".*?</section>', body, re.S).group(0)
    for title in ("Night Shift", "Far Side of the Nebula", "Lydian Drift", "Launch Window"):
        assert title in tree
    assert f'href="{root.get_absolute_url()}"' in tree
    assert f'href="/records/{root.pk}/lineage/"' in tree
    assert "3 records built on “Night Shift”" in text(response)
    # The art of image records is shown; no abstract orbs.
    art = next(r for r in gallery.recent if r.kind == "image")
    assert f'<img src="/records/{art.pk}/files/' in body and "orb" not in body
    # Joining is offered; pay is not promised.
    assert "Join Riffhouse" in body
    assert not NOT_YET.search(text(response)), NOT_YET.search(text(response))


def test_the_tree_is_the_richest_of_the_most_remixed(client: Client, house, make_record) -> None:
    """A newer record remixed as often, but with no remixes of its remixes, does not win."""
    flat = make_record("text", title="Flat")
    for i in range(2):
        remix_of(make_record, flat, title=f"Flat remix {i}")
    gallery = client.get("/").context["gallery"]
    assert gallery.trending[0].title == "Flat"  # newest of the most remixed
    assert gallery.showcase.root.record.title == "Night Shift"
    branches = {
        b.node.record.title: [c.node.record.title for c in b.children]
        for b in gallery.showcase.branches
    }
    assert branches == {"Far Side of the Nebula": ["Launch Window"], "Lydian Drift": []}
    assert next(iter(branches)) == "Far Side of the Nebula"  # the branch that grew first


def test_home_without_any_work_says_so(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Nothing published yet." in text(response)
    assert 'class="home-tree"' not in response.content.decode()


def test_logged_in_home_is_the_members_own_start(
    client: Client, house, make_record, user, django_assert_max_num_queries
) -> None:
    members = house[0]
    mine = make_record("text", author=user, title="Moon song")
    remix_of(make_record, mine, author=members[1], title="Moon animation")
    asking = make_record("text", author=members[2], title="Moon waltz", visibility="draft")
    RemixRequest.objects.create(remix=asking, source=mine, requester=members[2], owner=user)
    draft = make_record("text", author=user, title="Half a verse")
    record_update(actor=user, record=draft, visibility="draft")
    client.force_login(user)

    # + the latest episode, the open calls, and the member's feed (at most 14: test_feeds_home);
    # the cards' lists read no tags (decision 0041); the version of the member's follows, under
    # which their start and feed are kept (decision 0042: once kept, home costs 5 queries,
    # tests/test_member_pages.py)
    with django_assert_max_num_queries(30):
        response = client.get("/")
    page = text(response)
    assert f"Welcome back, {user.name}." in page
    assert "Upload a record" in page and "Find something to remix" in page
    # Their work and what happened to it: the remix count, the request, the draft.
    body = response.content.decode()
    mine_section = re.search(r'<section class="home-mine".*?</section>', body, re.S).group(0)
    assert "Moon song" in mine_section and "1 remix" in mine_section
    assert "1 remix request waits for your answer" in page
    assert "1 draft not published yet" in page
    # Then the community's work.
    assert "Most remixed" in page and "Just in" in page
    assert not NOT_YET.search(page), NOT_YET.search(page)


def test_a_member_without_records_is_asked_for_their_first(client: Client, user) -> None:
    client.force_login(user)
    page = text(client.get("/"))
    assert "Upload your first record" in page
    assert "You’re all caught up." in page
