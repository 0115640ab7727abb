"""Blocking and unblocking: the services (audit), the profile's button, the settings page
and the API."""

from collections.abc import Callable
from typing import Any

import pytest
from conftest import ApiClient
from django.test import Client

from riffhouse.accounts import services
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
    assert [b["username"] for b in user_api.call("get", "/me/blocks").json()] == ["zed"]
    assert user_api.call("post", "/users/nobody/block").status_code == 404
    me = user_api.call("post", f"/users/{user.username}/block")
    assert (me.status_code, me.json()["code"]) == (400, "block_self")
    assert user_api.call("delete", "/users/zed/block").status_code == 204
    assert user_api.call("get", "/me/blocks").json() == []
