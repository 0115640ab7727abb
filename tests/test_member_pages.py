"""Logged-in pages kept for every member (core.page_cache, decision 0042).

A page a view declares the same for every member it admits (`/records/`, a public record's
page for anyone but its author and those with a record in its lineage) is rendered once and
kept without the site's header; each member gets it with their own header, CSP nonce and
CSRF token, exactly fresh after a write."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import Role, User
from riffhouse.community import services as community
from riffhouse.community.models import NotificationVerb
from riffhouse.community.notify import notify
from riffhouse.community.social import services as social
from riffhouse.core import page_cache
from riffhouse.core.templatetags import relative_time
from riffhouse.lineage import selectors as lineage_selectors
from riffhouse.lineage import services as lineage
from riffhouse.lineage.services import SourceSpec
from riffhouse.moderation import services as moderation
from riffhouse.moderation.services import TargetRef
from riffhouse.records import services as records
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db

CHROME = re.compile(rb"<!--rh:chrome-->.*?<!--/rh:chrome-->", re.S)


@pytest.fixture
def remix(make_user: Callable[..., User], make_record: Callable[..., Record]) -> Record:
    """A published remix, by cleo, of a published record by ana."""
    source = make_record(title="Harbour at dawn", author=make_user("ana"))
    remixer = make_user("cleo", display_name="Cleo Marsh")
    remix = make_record(title="Two mornings", author=remixer)
    lineage.record_sources_set(
        actor=remixer, record=remix, sources=[SourceSpec(record_id=source.pk, usage="text")]
    )
    return remix


def member_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _nonce(response: Any) -> str:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match
    return match.group(1)


def _tokens(response: Any) -> list[str]:
    return re.findall(r'(?:value|data-play-csrf)="([A-Za-z0-9]{64})"', response.content.decode())


def _outside_header(response: Any) -> bytes:
    """The page without its header, nonce and CSRF tokens: what members share."""
    body = CHROME.sub(b"", response.content).replace(_nonce(response).encode(), b"")
    for token in _tokens(response):
        body = body.replace(token.encode(), b"")
    return body


def test_a_member_gets_the_record_page_another_rendered_with_their_own_header(
    remix: Record, make_user: Callable[..., User]
):
    url = f"/records/{remix.pk}/"
    dora = make_user("dora", display_name="Dora Vale")
    eli = make_user("eli", display_name="Eli Stone")
    first = member_client(dora).get(url)
    assert first.status_code == 200
    eli_client = member_client(eli)
    with CaptureQueriesContext(connection) as queries:
        second = eli_client.get(url)
    assert second.status_code == 200
    page = second.content.decode()
    # Eli's header, not Dora's: nothing of the member who rendered it is left.
    assert "Eli Stone" in page
    assert "Dora Vale" not in page and "/@dora" not in page
    # The same page outside the header; each answer its own nonce and a token of its own.
    assert _outside_header(second) == _outside_header(first)
    assert _nonce(second) in page and _nonce(first) not in page
    secret = second.cookies[settings.CSRF_COOKIE_NAME].value
    tokens = _tokens(second)
    assert len(tokens) >= 2, "the logout form and the player's token"
    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    assert not set(tokens) & set(_tokens(first))
    # Kept, not rendered: the record, its versions and its lineage are not read again.
    sql = " ".join(q["sql"] for q in queries)
    assert "records_recordversion" not in sql and "records_tag" not in sql, sql
    # The session with its member, the generations and the badge's count (decisions 0043,
    # 0044), then the lineage check.
    assert len(queries) <= 2, [q["sql"] for q in queries]
    assert "private" in second["Cache-Control"]


def test_its_author_always_gets_their_own_record_page(
    remix: Record, make_user: Callable[..., User]
):
    url = f"/records/{remix.pk}/"
    member_client(make_user("dora")).get(url)  # kept for members
    mine = member_client(remix.author).get(url).content.decode()
    assert f'href="/records/{remix.pk}/edit/"' in mine
    # ...and what the author saw is never given to another member.
    theirs = member_client(make_user("eli")).get(url).content.decode()
    assert f'href="/records/{remix.pk}/edit/"' not in theirs
    assert "Report" in theirs


def test_a_member_with_a_record_in_its_lineage_gets_their_own_page(
    remix: Record, make_user: Callable[..., User]
):
    url = f"/records/{remix.pk}/"
    member_client(make_user("dora")).get(url)  # kept for members
    source_author = User.objects.get(username="ana")
    client = member_client(source_author)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert any("records_recordversion" in q["sql"] for q in queries), "rendered for her"


def test_the_page_personal_grant_names_the_lineage_s_authors(
    remix: Record, make_user: Callable[..., User]
):
    ana = User.objects.get(username="ana")
    stranger = make_user("dora")
    source = Record.objects.get(title="Harbour at dawn")
    assert lineage_selectors.record_page_personal(viewer=ana, record_id=remix.pk)
    assert lineage_selectors.record_page_personal(viewer=remix.author, record_id=source.pk)
    assert not lineage_selectors.record_page_personal(viewer=stranger, record_id=remix.pk)
    assert not lineage_selectors.record_page_personal(viewer=stranger, record_id=source.pk)


def test_a_retitled_record_shows_at_once_to_members(remix: Record, make_user: Callable[..., User]):
    url = f"/records/{remix.pk}/"
    dora = member_client(make_user("dora"))
    eli = member_client(make_user("eli"))
    dora.get(url)
    assert "Two mornings" in eli.get(url).content.decode()
    records.record_update(actor=remix.author, record=remix, title="Two mornings, retold")
    assert "Two mornings, retold" in eli.get(url).content.decode()
    assert "Two mornings, retold" in dora.get("/records/").content.decode()


def test_records_list_is_kept_for_every_member_and_fresh(
    remix: Record, make_user: Callable[..., User], make_record: Callable[..., Record]
):
    dora = member_client(make_user("dora", display_name="Dora Vale"))
    eli = member_client(make_user("eli", display_name="Eli Stone"))
    dora.get("/records/")
    with CaptureQueriesContext(connection) as queries:
        page = eli.get("/records/").content.decode()
    assert "Eli Stone" in page and "Dora Vale" not in page
    assert "Two mornings" in page
    assert not any("records_record" in q["sql"] for q in queries), [q["sql"] for q in queries]
    make_record(title="Lanterns on the pier", author=remix.author)
    assert "Lanterns on the pier" in eli.get("/records/").content.decode()


def test_htmx_parts_are_kept_apart_and_carry_no_header(
    remix: Record, make_user: Callable[..., User]
):
    url = f"/records/?author={remix.author.username}"
    dora = member_client(make_user("dora"))
    eli = member_client(make_user("eli", display_name="Eli Stone"))
    dora.get(url, headers={"HX-Request": "true"})
    part = eli.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Two mornings" in part and "site-header" not in part
    whole = eli.get(url).content.decode()
    assert "site-header" in whole and "Eli Stone" in whole


def test_a_member_s_messages_show_once_on_a_kept_page(
    remix: Record, make_user: Callable[..., User]
):
    url = f"/records/{remix.pk}/"
    member_client(make_user("dora")).get(url)  # kept for members
    eli = member_client(make_user("eli"))
    storage = CookieStorage(None)  # type: ignore[arg-type]
    eli.cookies[storage.cookie_name] = storage._encode(  # type: ignore[attr-defined]
        [Message(constants.SUCCESS, "Your remix is published.")]
    )
    assert "Your remix is published." in eli.get(url).content.decode()
    assert "Your remix is published." not in eli.get(url).content.decode()


def test_a_draft_is_never_kept_for_members(
    make_user: Callable[..., User], make_record: Callable[..., Record]
):
    draft = make_record(title="Not yet", author=make_user("ana"), visibility="draft")
    member_client(draft.author).get(f"/records/{draft.pk}/")
    assert not [key for key in page_cache._local.kept_keys() if ":member-" in key]
    assert member_client(make_user("eli")).get(f"/records/{draft.pk}/").status_code == 404


def test_a_member_s_header_on_a_kept_page_is_theirs_now(
    remix: Record, make_user: Callable[..., User]
):
    """The header is kept per member too: their new name and their unread count show at
    once, and a suspension's notice with it."""
    url = f"/records/{remix.pk}/"
    eli = make_user("eli", display_name="Eli Stone")
    client = member_client(eli)
    client.get(url)
    client.get(url)  # the page and Eli's header both kept
    accounts.user_update_profile(user=eli, display_name="Eli Brightwater")
    page = client.get(url).content.decode()
    assert "Eli Brightwater" in page and "Eli Stone" not in page
    assert '<strong class="badge">' not in page
    for _ in range(2):
        community.notification_create(
            recipient=eli, actor=remix.author, verb=NotificationVerb.FOLLOWED
        )
    assert '<strong class="badge">2</strong>' in client.get(url).content.decode()
    moderator = make_user("maren", role=Role.MODERATOR)
    moderation.action_take(
        moderator=moderator,
        target=TargetRef("member", eli.pk),
        kind="suspend",
        reason="Spam in the comments.",
        until=timezone.now() + timedelta(days=3),
    )
    assert "Your account is suspended" in client.get(url).content.decode()


def test_credits_page_is_kept_for_every_member_and_fresh(
    remix: Record, make_user: Callable[..., User]
):
    url = f"/records/{remix.pk}/credits/"
    eli = member_client(make_user("eli", display_name="Eli Stone"))
    member_client(make_user("dora")).get(url)
    with CaptureQueriesContext(connection) as queries:
        page = eli.get(url).content.decode()
    assert "Eli Stone" in page and "ana" in page
    assert not any("records_record" in q["sql"] for q in queries), [q["sql"] for q in queries]
    accounts.user_update_profile(user=User.objects.get(username="ana"), display_name="Ana Lune")
    assert "Ana Lune" in eli.get(url).content.decode()


def test_remixes_page_shows_a_member_their_own_draft_remix_never_another(
    remix: Record, make_user: Callable[..., User], make_record: Callable[..., Record]
):
    source = Record.objects.get(title="Harbour at dawn")
    url = f"/records/{source.pk}/remixes/"
    dora = make_user("dora")
    draft = make_record(title="Work in progress", author=dora, visibility="draft")
    lineage.record_sources_set(
        actor=dora, record=draft, sources=[SourceSpec(record_id=source.pk, usage="text")]
    )
    eli = member_client(make_user("eli"))
    assert "Work in progress" not in eli.get(url).content.decode()  # kept for members
    assert "Work in progress" in member_client(dora).get(url).content.decode()
    page = eli.get(url).content.decode()
    assert "Two mornings" in page and "Work in progress" not in page


def test_home_shows_a_member_their_feed_at_once_after_a_follow(
    remix: Record, make_user: Callable[..., User], make_record: Callable[..., Record]
):
    """Home keeps the community's gallery for everyone and each member's start and feed
    under the public writes and their follows: a follow, a new record by someone they
    follow, and their own new draft show on the next visit."""
    eli = make_user("eli")
    client = member_client(eli)
    first = client.get("/").content.decode()
    assert "Two mornings" in first  # the gallery's newest records
    assert "Because you follow" not in first
    social.follow_add(follower=eli, user=remix.author)
    assert "Because you follow Cleo Marsh" in client.get("/").content.decode()
    make_record(title="Lanterns on the pier", author=remix.author)
    assert "Lanterns on the pier" in client.get("/").content.decode()
    make_record(title="Mine, unfinished", author=eli, visibility="draft")
    assert "1</strong> draft not published yet" in client.get("/").content.decode()
    social.follow_remove(follower=eli, user=remix.author)
    assert "Because you follow" not in client.get("/").content.decode()


def test_a_member_s_home_is_kept_whole_for_them_alone_and_follows_what_it_shows(
    remix: Record, make_user: Callable[..., User]
):
    """Home is kept whole per member (decision 0044): rendered once, then answered from the
    cache, each member their own, until their name, unread count or follows change."""
    eli = make_user("eli", display_name="Eli Stone")
    fay = make_user("fay", display_name="Fay Moss")
    eli_client, fay_client = member_client(eli), member_client(fay)
    for client in (eli_client, fay_client):
        assert "community/home.html" in [t.name for t in client.get("/").templates]

    def kept(client: Client) -> str:
        response = client.get("/")
        assert "community/home.html" not in [t.name for t in response.templates]
        return response.content.decode()

    assert "Welcome back, Eli Stone." in kept(eli_client)
    assert "Welcome back, Fay Moss." in kept(fay_client)  # not pushed out by Eli's
    assert "Welcome back, Eli Stone." in kept(eli_client)

    notify(recipient_ids=[eli.pk], actor_id=remix.author_id, verb=NotificationVerb.FOLLOWED)
    page = eli_client.get("/").content.decode()
    assert "<strong>1</strong> unread notification<" in page
    assert "Welcome back, Fay Moss." in kept(fay_client)

    accounts.user_update_profile(user=eli, display_name="Eli Stone-Vale")
    assert "Welcome back, Eli Stone-Vale." in eli_client.get("/").content.decode()
    assert "Welcome back, Eli Stone-Vale." in kept(eli_client)


def test_home_costs_a_member_few_queries_once_kept(remix: Record, make_user: Callable[..., User]):
    client = member_client(make_user("eli"))
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    # The session with its member, the generations and the unread count (decisions 0043,
    # 0044), then their follows' version.
    assert len(queries) == 2, [q["sql"] for q in queries]


def test_a_kept_home_feed_tells_its_times_as_of_each_visit(
    remix: Record, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
):
    """A member's feed is kept rendered (decision 0043) with its times put in per visit: an
    hour later the same kept feed says "1 hour ago", with no query for the feed."""
    eli = make_user("eli")
    social.follow_add(follower=eli, user=remix.author)
    client = member_client(eli)
    reason = re.compile(r'<p class="feed-reason">.*?<time [^>]*>([^<]*)</time>', re.S)
    assert reason.search(client.get("/").content.decode()).group(1) == "just now"
    later = timezone.now() + timedelta(hours=1, minutes=5)
    monkeypatch.setattr(relative_time.timezone, "now", lambda: later)

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()

    assert reason.search(page).group(1).replace("\xa0", " ") == "1 hour ago"
    assert "\x00" not in page
    assert "/css/feeds." in page  # the feed's styles, asked for by the page around it
    # The session's statement and the follows' version: the page was kept whole (decision
    # 0044), its times told as of this visit.
    assert len(queries) == 2, [q["sql"] for q in queries]


def test_tree_is_kept_for_members_but_not_for_an_ancestor_s_author_with_a_draft(
    remix: Record, make_user: Callable[..., User], make_record: Callable[..., Record]
):
    # A remix of the remix, so that "Harbour at dawn" is two levels up.
    bo = make_user("bodhi", display_name="Bo Reyes")
    child = make_record(title="Third morning", author=bo)
    lineage.record_sources_set(
        actor=bo, record=child, sources=[SourceSpec(record_id=remix.pk, usage="text")]
    )
    ana = User.objects.get(username="ana")
    source = Record.objects.get(title="Harbour at dawn")
    eli = member_client(make_user("eli", display_name="Eli Stone"))
    url = f"/records/{child.pk}/lineage/"
    member_client(make_user("dora")).get(url)
    with CaptureQueriesContext(connection) as queries:
        page = eli.get(url).content.decode()
    assert "Eli Stone" in page and "Harbour at dawn" in page
    # Kept: the session with its member, the generations and the unread count; the lineage
    # check.
    assert len(queries) <= 2, [q["sql"] for q in queries]
    # Ana's source goes back to a draft: every member now sees it as no longer public, and
    # she still sees it as hers.
    records.record_update(actor=ana, record=source, visibility="draft")
    member_client(make_user("fay")).get(url)  # kept again, under the new numbers
    assert "Harbour at dawn" not in eli.get(url).content.decode()
    assert "Harbour at dawn" in member_client(ana).get(url).content.decode()


def test_profile_is_kept_for_members_but_not_for_its_owner_or_a_blocker(
    remix: Record, make_user: Callable[..., User]
):
    url = "/@cleo"
    eli_user = make_user("eli")
    eli = member_client(eli_user)
    member_client(make_user("dora")).get(url)
    theirs = eli.get(url).content.decode()
    assert "Cleo Marsh" in theirs and "Edit profile" not in theirs and ">Block<" in theirs
    assert "Edit profile" in member_client(remix.author).get(url).content.decode()
    accounts.block_add(blocker=eli_user, blocked=remix.author)
    member_client(make_user("fay")).get(url)  # kept again, for members who blocked nobody
    assert "Unblock" in eli.get(url).content.decode()
