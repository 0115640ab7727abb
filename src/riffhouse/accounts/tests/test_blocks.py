"""Blocking and unblocking: the services (audit), the profile's button, the settings page
and the API."""

from collections.abc import Callable
from typing import Any

import pytest
from conftest import ApiClient
from django.test import Client
from django.utils import timezone

from riffhouse.accounts import selectors, services
from riffhouse.accounts.models import AuditEvent, Block, User
from riffhouse.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(make_user: Callable[..., User]) -> User:
    return make_user("zed", display_name="Zed Zero")


def test_block_and_unblock_are_audited_and_idempotent(user: User, other: User) -> None:
    services.block_add(blocker=user, blocked=other)
    services.block_add(blocker=user, blocked=other)
    assert Block.objects.filter(blocker=user, blocked=other).count() == 1
    services.block_remove(blocker=user, blocked=other)
    services.block_remove(blocker=user, blocked=other)
    assert not Block.objects.exists()
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert actions.count(AuditEvent.Action.MEMBER_BLOCKED) == 1
    assert actions.count(AuditEvent.Action.MEMBER_UNBLOCKED) == 1


def test_blocks_made_is_one_members_blocks_as_a_query_to_narrow(
    user: User, other: User, make_user: Callable[..., User], django_assert_num_queries: Any
) -> None:
    third = make_user("tova")
    services.block_add(blocker=user, blocked=other)
    services.block_add(blocker=other, blocked=third)  # someone else's
    with django_assert_num_queries(0):
        made = selectors.blocks_made(user=user)  # not run until narrowed and read
    assert list(made.values_list("blocked_id", flat=True)) == [other.pk]
    assert not made.filter(blocked_id=third.pk).exists()


def test_blocking_yourself_is_refused(user: User) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.block_add(blocker=user, blocked=user)
    assert refused.value.code == "block_self"


def test_the_profile_button_and_the_settings_list(
    client: Client, user: User, other: User, django_assert_max_num_queries: Any
) -> None:
    client.force_login(user)
    profile = client.get("/@zed").content.decode()
    assert "/settings/blocks/zed/add/" in profile
    done = client.post("/settings/blocks/zed/add/", {"next": "/@zed"})
    assert done.status_code == 302 and done["Location"] == "/@zed"
    assert "Unblock" in client.get("/@zed").content.decode()
    for name in ["ann", "bob", "cat"]:
        services.block_add(
            blocker=user,
            blocked=services.user_create(
                username=name, email=f"{name}@ex.org", password="a-long-and-lovely-passphrase"
            ),
        )
    with django_assert_max_num_queries(8):
        page = client.get("/settings/blocks/")
    assert page.status_code == 200 and "Zed Zero" in page.content.decode()
    client.post("/settings/blocks/zed/remove/")
    assert not Block.objects.filter(blocked=other).exists()


def test_a_visitor_cannot_block(client: Client, other: User) -> None:
    response = client.post("/settings/blocks/zed/add/")
    assert response.status_code == 302 and not Block.objects.exists()


def test_the_api(api: ApiClient, user_api: ApiClient, user: User, other: User) -> None:
    assert api.call("post", "/users/zed/block").status_code == 401
    assert api.call("get", "/me/blocks").status_code == 401
    blocked = user_api.call("post", "/users/zed/block")
    assert blocked.status_code == 200 and blocked.json()["username"] == "zed"
    listed = user_api.call("get", "/me/blocks").json()
    assert [b["username"] for b in listed["items"]] == ["zed"] and listed["next_cursor"] is None
    assert user_api.call("post", "/users/nobody/block").status_code == 404
    me = user_api.call("post", f"/users/{user.username}/block")
    assert (me.status_code, me.json()["code"]) == (400, "block_self")
    assert user_api.call("delete", "/users/zed/block").status_code == 204
    assert user_api.call("get", "/me/blocks").json() == {"items": [], "next_cursor": None}


@pytest.fixture
def many_blocked(user: User, make_user: Callable[..., User]) -> list[str]:
    """Five members `user` blocked, the latest last."""
    names = [f"blocked{i}" for i in range(5)]
    for name in names:
        services.block_add(blocker=user, blocked=make_user(name, display_name=name.title()))
    return names


def test_the_api_pages_the_blocks_latest_first(
    user_api: ApiClient, many_blocked: list[str], django_assert_max_num_queries: Any
) -> None:
    seen: list[str] = []
    cursor = None
    for _page in range(3):
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        with django_assert_max_num_queries(3):  # the token, its member, the page
            body = user_api.call("get", f"/me/blocks{query}").json()
        seen += [b["username"] for b in body["items"]]
        cursor = body["next_cursor"]
    assert cursor is None
    assert seen == many_blocked[::-1]
    bad = user_api.call("get", "/me/blocks?cursor=nope")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
    assert bad.json()["detail"] == "That page cursor is not valid."
    assert user_api.call("get", "/me/blocks?limit=101").status_code == 422


def test_blocks_made_at_the_same_moment_are_each_listed_once(
    user: User, many_blocked: list[str]
) -> None:
    Block.objects.update(created_at=timezone.now())
    seen: list[str] = []
    cursor = None
    while True:
        page = selectors.block_list(user=user, cursor=cursor, limit=2)
        seen += [block.blocked.username for block in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(many_blocked) and len(seen) == 5


def test_the_settings_page_shows_more_with_a_link_and_htmx(
    client: Client,
    user: User,
    many_blocked: list[str],
    monkeypatch: Any,
    django_assert_max_num_queries: Any,
) -> None:
    monkeypatch.setattr(selectors, "BLOCKS_PER_PAGE", 2)
    client.force_login(user)
    with django_assert_max_num_queries(8) as first_page:
        first = client.get("/settings/blocks/").content.decode()
    assert "Blocked4" in first and "Blocked3" in first and "Blocked2" not in first
    more = first.split('class="more">')[1].split('href="')[1].split('"')[0]
    assert more.startswith("/settings/blocks/?cursor=")
    with django_assert_max_num_queries(len(first_page.captured_queries)):
        second = client.get(more).content.decode()
    assert "Blocked2" in second and "Blocked1" in second and "Blocked4" not in second
    assert "<h2>Blocked members</h2>" in second  # the whole page, without JavaScript
    last = second.split('class="more">')[1].split('href="')[1].split('"')[0]
    fragment = client.get(last, headers={"HX-Request": "true"}).content.decode()
    assert "Blocked0" in fragment and "<h2>" not in fragment and 'class="more"' not in fragment
    assert client.get("/settings/blocks/?cursor=nope").status_code == 400
