"""A member's home feed: what the members and productions they follow did, and calls for the
kinds of work they make — merged by time, cursor-paged, each item saying why it is there."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import ApiClient
from django.test import Client

from riffhouse.accounts import services as accounts
from riffhouse.community.feeds import selectors
from riffhouse.community.tests.feeds_scene import follow, open_call, opened_at, published_at
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage.models import SourceLink
from riffhouse.productions.models import Production

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def bea(make_user):
    return make_user("bea", display_name="Bea Stone")


@pytest.fixture
def paz(make_user):
    return make_user("paz", display_name="Paz Ortega")


def kinds_and_reasons(page: selectors.FeedPage) -> list[tuple[str, str]]:
    return [(item.kind, item.reason) for item in page.items]


def test_a_followed_members_new_record_appears_and_an_unfollowed_ones_does_not(
    user, ana, bea, make_record
) -> None:
    follow(user, user=ana)
    theirs = make_record("text", author=ana, title="Harbour lights")
    make_record("text", author=bea, title="Not followed")
    make_record("text", author=ana, title="Still a draft", visibility="draft")

    page = selectors.home_feed(viewer=user)

    assert [item.record.title for item in page.items if item.record] == ["Harbour lights"]
    assert page.items[0].record.pk == theirs.pk
    assert page.items[0].reason == "Because you follow Ana Reyes"
    assert page.next_cursor is None


def test_a_remix_by_a_followed_member_says_it_is_a_remix(
    user, ana, bea, make_record, make_link
) -> None:
    follow(user, user=ana)
    source = make_record("text", author=bea, title="Moon song")
    remix = make_record("text", author=ana, title="Moon animation")
    SourceLink.objects.create(record=remix, source=source, source_version=source.current_version)

    page = selectors.home_feed(viewer=user)

    assert [(i.kind, i.record.title) for i in page.items] == [("remix", "Moon animation")]


def test_followed_productions_updates_and_calls_for_what_the_member_makes(
    user, ana, paz, make_record
) -> None:
    make_record("text", author=user, title="My poem")  # user writes: text
    followed = open_call(paz, title="Followed", kinds=["audio"], need="A song")
    writing = open_call(paz, title="Anthology", kinds=["image", "text"], need="A poem")
    open_call(paz, title="Film night", kinds=["video"], need="A short film")
    follow(user, production=followed.production)

    page = selectors.home_feed(viewer=user)

    reasons = kinds_and_reasons(page)
    assert ("opened", "You follow Followed: it is open for submissions") in reasons
    assert ("call", "A call for writing") in reasons
    calls = [item.need.pk for item in page.items if item.kind == "call"]
    assert calls == [writing.pk]  # not the film call; the followed one shows as "opened"


def test_a_released_production_the_member_follows_appears(user, paz) -> None:
    need = open_call(paz, title="Space", kinds=["audio"], need="A song")
    follow(user, production=need.production)
    # Releasing needs a lineup and a fairness check (productions' tests); the feed reads
    # only the status and the time.
    Production.objects.filter(pk=need.production_id).update(
        status="released", released_at=T0 + timedelta(days=3)
    )
    opened_at(need.production, T0)

    page = selectors.home_feed(viewer=user)

    assert [(i.kind, i.at) for i in page.items] == [
        ("released", T0 + timedelta(days=3)),
        ("opened", T0),
    ]


def test_merged_by_time_and_paged_by_cursor_without_repeats_or_gaps(
    user, ana, bea, paz, make_record
) -> None:
    make_record("text", author=user, title="My poem")
    follow(user, user=ana)
    follow(user, user=bea)
    expected = []
    for n in range(7):
        author = ana if n % 2 else bea
        record = published_at(
            make_record("text", author=author, title=f"R{n}"), T0 + timedelta(hours=n)
        )
        expected.append(("record", record.pk, record.published_at))
    # Two records at the same moment, and a call opened at that moment too: ties are ordered.
    same = T0 + timedelta(hours=3, minutes=30)
    for title in ("Tie A", "Tie B"):
        record = published_at(make_record("text", author=ana, title=title), same)
        expected.append(("record", record.pk, same))
    call = open_call(paz, kinds=["text"], need="A poem")
    opened_at(call.production, same)
    expected.append(("call", call.pk, same))
    rank = {"record": 4, "call": 1}
    expected.sort(key=lambda e: (e[2], rank[e[0]], e[1]), reverse=True)

    seen = []
    cursor = None
    for _ in range(10):
        page = selectors.home_feed(viewer=user, cursor=cursor, limit=3)
        seen += [(i.kind, (i.record or i.need).pk, i.at) for i in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert seen == expected


def test_new_work_arriving_does_not_shift_the_next_page(user, ana, make_record) -> None:
    follow(user, user=ana)
    for n in range(4):
        published_at(make_record("text", author=ana, title=f"R{n}"), T0 + timedelta(hours=n))
    first = selectors.home_feed(viewer=user, limit=2)
    make_record("text", author=ana, title="Newer")  # published now, after all of them

    second = selectors.home_feed(viewer=user, cursor=first.next_cursor, limit=2)

    assert [i.record.title for i in first.items] == ["R3", "R2"]
    assert [i.record.title for i in second.items] == ["R1", "R0"]


@pytest.mark.parametrize("cursor", ["nonsense", "MjAyNnwxfDE", "eHx5fHo", "MjAyNi0xMS0wMXwxfDA"])
def test_a_made_up_cursor_is_refused(user, cursor) -> None:
    with pytest.raises(ApplicationError) as caught:
        selectors.home_feed(viewer=user, cursor=cursor)
    assert caught.value.code == "invalid_cursor"


def test_the_feed_takes_a_bounded_number_of_queries(
    user, make_user, paz, make_record, django_assert_max_num_queries
) -> None:
    make_record("text", author=user, title="My poem")
    for n in range(6):
        member = make_user(f"member{n}x")
        follow(user, user=member)
        make_record("text", author=member, title=f"Poem {n}")
        make_record("image", author=member, title=f"Picture {n}")
    follow(
        user, production=open_call(paz, title="Space", kinds=["audio"], need="A song").production
    )
    open_call(paz, title="Words", kinds=["text"], need="A poem")

    with django_assert_max_num_queries(14):
        page = selectors.home_feed(viewer=user, limit=24)
        for item in page.items:  # everything a card shows is loaded
            if item.record:
                item.record.author.name, list(item.record.tags.all())
                item.record.live_version and list(item.record.live_version.renditions.all())

    assert len(page.items) == 14


def test_api_feed_needs_a_member_and_says_why(user, ana, make_record, api) -> None:
    follow(user, user=ana)
    make_record("text", author=ana, title="Harbour lights")
    assert api.call("get", "/feed").status_code == 401

    member = ApiClient(token=accounts.api_token_create(user=user, name="t").raw)
    response = member.call("get", "/feed")

    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    assert [(i["kind"], i["reason"], i["record"]["title"]) for i in body["items"]] == [
        ("record", "Because you follow Ana Reyes", "Harbour lights")
    ]
    bad = member.call("get", "/feed?cursor=nonsense")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"
    assert member.call("get", "/feed?limit=1000").status_code == 422


def test_the_home_page_shows_a_member_their_feed_and_more_pages(
    client: Client, user, ana, make_record, django_assert_max_num_queries
) -> None:
    follow(user, user=ana)
    for n in range(14):
        published_at(make_record("text", author=ana, title=f"Verse {n}"), T0 + timedelta(hours=n))
    client.force_login(user)

    page = client.get("/").content.decode()
    assert "Your feed" in page and "Because you follow Ana Reyes" in page
    assert "Verse 13" in page and "Verse 1<" not in page
    assert 'hx-get="/feed/?cursor=' in page

    more = page.split('hx-get="/feed/?cursor=')[1].split('"')[0].replace("&amp;", "&")
    more = "/feed/?cursor=" + more
    with django_assert_max_num_queries(19):  # the session and user, the feed
        fragment = client.get(more, headers={"HX-Request": "true"})
    assert "Verse 1<" in fragment.content.decode() and "<html" not in fragment.content.decode()
    full = client.get(more)  # without JavaScript: a page of its own
    assert "<html" in full.content.decode() and "Verse 0" in full.content.decode()


def test_an_empty_feed_says_how_to_fill_it(client: Client, user) -> None:
    client.force_login(user)
    assert "Your feed fills up as you follow" in client.get("/").content.decode()


def test_the_feed_page_needs_a_member(client: Client) -> None:
    response = client.get("/feed/")
    assert response.status_code == 302 and "/log-in/" in response["Location"]


def test_a_prolific_members_old_work_follows_this_weeks_in_order(
    user, ana, make_record, django_assert_max_num_queries
) -> None:
    """The records are read in widening windows: a page this week fills in one read, and a
    page that runs past it continues into older work in order, with nothing skipped."""
    follow(user, user=ana)
    now = datetime.now(UTC)
    for n in range(4):
        published_at(make_record("text", author=ana, title=f"New {n}"), now - timedelta(days=n))
    for n in range(6):
        old = now - timedelta(days=400 + n)
        published_at(make_record("text", author=ana, title=f"Old {n}"), old)

    with django_assert_max_num_queries(11):  # the week fills the page: one read
        page = selectors.home_feed(viewer=user, limit=3)
    assert [i.record.title for i in page.items] == ["New 0", "New 1", "New 2"]
    titles = []
    while page.next_cursor:
        page = selectors.home_feed(viewer=user, cursor=page.next_cursor, limit=3)
        titles += [i.record.title for i in page.items]
    assert titles == ["New 3", "Old 0", "Old 1", "Old 2", "Old 3", "Old 4", "Old 5"]
