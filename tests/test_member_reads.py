"""The reads every logged-in request makes — its session with its member, and the unread
badge — are written once as SQL rather than built by the ORM each time (decision 0043), and
what every logged-in page needs rides in the session's statement (decision 0044). They must
give what the ORM gave: the same member, field for field, and the same answers when the
session has expired, the key is unknown or the member may no longer log in."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from riffhouse.accounts.backends import UsernameOrEmailBackend
from riffhouse.accounts.models import User
from riffhouse.community.notify import notify
from riffhouse.core import sessions
from riffhouse.core.models import MemberSession as Session
from riffhouse.core.page_cache import generations_forget, public_generation, public_pages_changed
from riffhouse.core.rows import instance_by_pk

pytestmark = pytest.mark.django_db

backend = UsernameOrEmailBackend()
BADGE = re.compile(r'id="notification-badge"[^>]*>(.*?)</span>', re.S)


def test_a_member_read_by_primary_key_is_the_one_the_orm_reads(user: User) -> None:
    # Every kind of column a member has: dates (text in SQLite), booleans (integers in
    # SQLite), JSON, empty and set.
    user.links = [{"label": "Site", "url": "https://orion.example"}]
    user.suspended_until = timezone.now() + timedelta(days=3)
    user.email_confirmed_at = timezone.now()
    user.save()

    read = instance_by_pk(model=User, pk=user.pk)

    expected = User.objects.get(pk=user.pk)
    assert read is not None and read.pk == user.pk
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read.links[0]["url"] == "https://orion.example"
    assert read.is_active is True and read.last_login is None
    assert read._state.adding is False and read._state.db == "default"
    assert instance_by_pk(model=User, pk=user.pk + 1000) is None


def test_a_member_is_read_with_their_session_in_one_query(client: Client, user: User) -> None:
    client.force_login(user)
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.member_id == user.pk  # written from the data when Django saved it
    store = session.get_session_store_class()(session.session_key)

    with CaptureQueriesContext(connection) as queries:
        data = store.load()
        member = backend.get_user(int(data["_auth_user_id"]))

    assert len(queries) == 1 and "JOIN" in queries[0]["sql"]
    assert isinstance(member, User) and member.pk == user.pk and member.username == "orion"
    assert member.get_session_auth_hash() == data["_auth_user_hash"]
    # Taken once: a second ask (not a request's) reads the member apart.
    with CaptureQueriesContext(connection) as queries:
        assert backend.get_user(user.pk) == user
    assert len(queries) == 1 and "JOIN" not in queries[0]["sql"]


def test_a_session_opened_before_members_were_kept_beside_it_still_logs_in(
    client: Client, user: User
) -> None:
    client.force_login(user)
    Session.objects.update(member_id=None)  # as the migration copies open sessions
    assert client.get("/settings/profile/").status_code == 200


def test_a_session_s_member_follows_log_in_and_log_out(client: Client, user: User, make_user):
    ana = make_user("ana")
    client.force_login(user)
    client.force_login(ana)
    assert Session.objects.get(session_key=client.session.session_key).member_id == ana.pk
    client.logout()
    assert not Session.objects.filter(member_id=ana.pk).exists()


def test_a_logged_in_member_is_known_until_their_session_expires(
    client: Client, user: User
) -> None:
    client.force_login(user)
    assert client.get("/settings/profile/").status_code == 200
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))

    response = client.get("/settings/profile/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/log-in/")


def test_an_unknown_session_key_is_a_visitor(client: Client, user: User) -> None:
    client.force_login(user)
    Session.objects.all().delete()
    assert client.get("/settings/profile/").status_code == 302
    assert client.cookies["sessionid"].value == ""  # Django's answer: the cookie is dropped


@pytest.mark.parametrize(
    "cookie",
    [
        'sessionid="\\000abcdefghij"',
        'sessionid="abc\\000\\000defghijklmnop"',
        "sessionid=" + "a" * 41,
    ],
)
def test_a_forged_session_cookie_is_no_session(client: Client, user: User, cookie: str) -> None:
    """A NUL byte (a quoted cookie's octal escape) reached PostgreSQL and made a 500."""
    client.raise_request_exception = False
    assert client.get("/records/", HTTP_COOKIE=cookie).status_code == 200
    assert client.get("/settings/profile/", HTTP_COOKIE=cookie).status_code == 302


def test_a_member_who_may_no_longer_log_in_is_logged_out(client: Client, user: User) -> None:
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/settings/profile/").status_code == 302


def test_the_badge_counts_only_unread_notifications(client: Client, user: User, make_user) -> None:
    ana = make_user("ana")
    client.force_login(user)
    assert BADGE.search(client.get("/records/").content.decode()).group(1).strip() == ""
    for _ in range(3):
        notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    notify(recipient_ids=[ana.pk], actor_id=user.pk, verb="followed")

    badge = BADGE.search(client.get("/records/").content.decode()).group(1)

    assert '<strong class="badge">3</strong>' in badge


def test_a_kept_page_reads_session_member_generations_and_badge_in_one_query(
    client: Client, user: User, make_user
) -> None:
    ana = make_user("ana")
    client.force_login(user)
    for _ in range(2):
        notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    client.get("/records/")  # rendered, and kept for members

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/records/").content.decode()

    # One round trip: without decision 0044, the generations and the count were two more.
    assert len(queries) == 1, [q["sql"] for q in queries]
    sql = queries[0]["sql"]
    assert "core_member_session" in sql and "core_cachegeneration" in sql and "COUNT(" in sql
    assert '<strong class="badge">2</strong>' in BADGE.search(page).group(1)


def test_generations_read_with_the_session_hold_until_a_write(client: Client, user: User) -> None:
    client.force_login(user)
    store = sessions.SessionStore(client.session.session_key)
    generations_forget()
    store.load()

    with CaptureQueriesContext(connection) as queries:
        number = public_generation()
    assert len(queries) == 0  # read with the session
    public_pages_changed()  # a write: what was read before it is stale
    assert public_generation() == number + 1


def test_an_app_reads_its_values_with_the_session_for_its_member_only(
    client: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sessions, "_reads", dict(sessions._reads))
    monkeypatch.setattr(sessions, "_statements", {})
    sessions.read_with_session(name="twice", columns=["({member} * 2)", "({member} + 1)"])
    client.force_login(user)
    request = HttpRequest()
    request.session = sessions.SessionStore(client.session.session_key)
    request.session.load()
    assert sessions.session_read(request, name="twice") == (user.pk * 2, user.pk + 1)
    assert sessions.session_read(request, name="unregistered") is None

    # A session with no member's login in it (a visitor's) reads nothing for one.
    visitor = sessions.SessionStore()
    visitor["seen"] = True
    visitor.save()
    request.session = sessions.SessionStore(visitor.session_key)
    assert request.session.load() == {"seen": True}
    assert sessions.session_read(request, name="twice") is None


def test_a_block_is_read_one_way_until_removed(user: User, make_user) -> None:
    from riffhouse.accounts import selectors, services

    ana = make_user("ana")
    assert not selectors.block_exists(blocker_id=user.pk, blocked_id=ana.pk)
    services.block_add(blocker=user, blocked=ana)
    assert selectors.block_exists(blocker_id=user.pk, blocked_id=ana.pk)
    assert not selectors.block_exists(blocker_id=ana.pk, blocked_id=user.pk)
    services.block_remove(blocker=user, blocked=ana)
    assert not selectors.block_exists(blocker_id=user.pk, blocked_id=ana.pk)
