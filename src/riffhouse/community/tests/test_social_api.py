"""The follow and heart endpoints: each answers the state and the exact count; refusals
are `{"detail", "code"}` with the right status; a permission test for every endpoint."""

from typing import Any

import pytest
from conftest import ApiClient

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import Block, User
from riffhouse.community import social
from riffhouse.community.models import Follow, Heart
from riffhouse.community.tests.social_scene import (  # noqa: F401 (fixtures)
    make_production_fixture,
    production_fixture,
    record_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_api(ana: User) -> ApiClient:
    return ApiClient(token=accounts.api_token_create(user=ana, name="tests").raw)


WRITES = [
    ("post", "/users/orion/follow"),
    ("delete", "/users/orion/follow"),
    ("post", "/productions/{production}/follow"),
    ("delete", "/productions/{production}/follow"),
    ("post", "/records/{record}/heart"),
    ("delete", "/records/{record}/heart"),
    ("post", "/productions/{production}/heart"),
    ("delete", "/productions/{production}/heart"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_need_a_member(
    api: ApiClient, method: str, path: str, record: Any, production: Any
) -> None:
    response = api.call(method, path.format(record=record.pk, production=production.pk))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Follow.objects.exists() and not Heart.objects.exists()


@pytest.mark.parametrize("which", ["followers", "following"])
def test_lists_are_public(api: ApiClient, user: User, ana: User, which: str) -> None:
    social.follow_add(follower=ana, user=user)
    username = "orion" if which == "followers" else "ana"
    response = api.call("get", f"/users/{username}/{which}")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["username"] == ("ana" if which == "followers" else "orion")
    assert item["url"].endswith(f"/@{item['username']}")
    assert "avatar" in item


def test_follow_and_unfollow_a_member(ana_api: ApiClient, user: User) -> None:
    response = ana_api.call("post", "/users/orion/follow")
    assert response.status_code == 200
    assert response.json() == {"following": True, "followers": 1}
    assert ana_api.call("post", "/users/ORION/follow").json() == {"following": True, "followers": 1}
    assert ana_api.call("delete", "/users/orion/follow").json() == {
        "following": False,
        "followers": 0,
    }
    assert ana_api.call("delete", "/users/orion/follow").json() == {
        "following": False,
        "followers": 0,
    }


def test_following_yourself_is_400(user_api: ApiClient) -> None:
    response = user_api.call("post", "/users/orion/follow")
    assert response.status_code == 400
    assert response.json()["code"] == "self_follow"
    assert response.json()["detail"]


def test_following_across_a_block_is_403(ana_api: ApiClient, user: User, ana: User) -> None:
    Block.objects.create(blocker=user, blocked=ana)
    response = ana_api.call("post", "/users/orion/follow")
    assert response.status_code == 403
    assert response.json()["code"] == "blocked"


def test_following_nobody_is_404(ana_api: ApiClient) -> None:
    response = ana_api.call("post", "/users/nobody-here/follow")
    assert response.status_code == 404
    assert set(response.json()) >= {"detail", "code"}


def test_too_many_follows_is_429_with_retry_after(
    ana_api: ApiClient, make_user: Any, settings: Any
) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "follow": (1, 600)}
    make_user("bea")
    make_user("cyd")
    assert ana_api.call("post", "/users/bea/follow").status_code == 200
    response = ana_api.call("post", "/users/cyd/follow")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 600


def test_heart_a_record_answers_the_exact_count(
    ana_api: ApiClient, user_api: ApiClient, record: Any
) -> None:
    path = f"/records/{record.pk}/heart"
    assert ana_api.call("post", path).json() == {"hearted": True, "hearts": 1}
    assert ana_api.call("post", path).json() == {"hearted": True, "hearts": 1}
    assert user_api.call("post", path).json() == {"hearted": True, "hearts": 2}
    assert ana_api.call("delete", path).json() == {"hearted": False, "hearts": 1}
    assert ana_api.call("delete", path).json() == {"hearted": False, "hearts": 1}


def test_heart_a_draft_record_is_404(ana_api: ApiClient, make_record: Any) -> None:
    draft = make_record("text", title="Unfinished", visibility="draft")
    response = ana_api.call("post", f"/records/{draft.pk}/heart")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_heart_a_blocker_s_record_is_403(
    ana_api: ApiClient, user: User, ana: User, record: Any
) -> None:
    Block.objects.create(blocker=user, blocked=ana)
    response = ana_api.call("post", f"/records/{record.pk}/heart")
    assert response.status_code == 403
    assert response.json()["code"] == "blocked"


def test_follow_and_heart_a_production(ana_api: ApiClient, production: Any) -> None:
    follow = f"/productions/{production.pk}/follow"
    heart = f"/productions/{production.pk}/heart"
    assert ana_api.call("post", follow).json() == {"following": True, "followers": 1}
    assert ana_api.call("post", heart).json() == {"hearted": True, "hearts": 1}
    assert ana_api.call("delete", follow).json() == {"following": False, "followers": 0}
    assert ana_api.call("delete", heart).json() == {"hearted": False, "hearts": 0}


def test_a_draft_production_is_404_to_others(ana_api: ApiClient, make_production: Any) -> None:
    draft = make_production(status="draft")
    for method in ("post", "delete"):
        for what in ("follow", "heart"):
            response = ana_api.call(method, f"/productions/{draft.pk}/{what}")
            assert response.status_code == 404, (method, what)


def test_follower_pages_follow_a_cursor(api: ApiClient, user: User, make_user: Any) -> None:
    fans = [make_user(f"fan{n}") for n in range(5)]
    for fan in fans:
        social.follow_add(follower=fan, user=user)
    seen: list[str] = []
    cursor = ""
    while True:
        page = api.call("get", f"/users/orion/followers?limit=2{cursor}").json()
        seen += [item["username"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert seen == [fan.username for fan in reversed(fans)]


def test_a_made_up_cursor_is_400(api: ApiClient, user: User) -> None:
    response = api.call("get", "/users/orion/followers?cursor=bm9wZQ")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
