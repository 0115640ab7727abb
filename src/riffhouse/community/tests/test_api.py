import pytest
from conftest import PASSWORD, ApiClient
from django.test import Client

from riffhouse.accounts import services as accounts
from riffhouse.community import services
from riffhouse.community.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_api(ana) -> ApiClient:
    return ApiClient(token=accounts.api_token_create(user=ana, name="t").raw)


@pytest.fixture
def notified(user, ana, source, remix, make_request) -> list[Notification]:
    """Two notifications for `user`: a request (older) and a remix (newer)."""
    request = make_request(remix, source, message="May I?")
    return [
        services.notification_create(
            recipient=user,
            actor=ana,
            verb="remix_requested",
            record=remix,
            source=source,
            remix_request=request,
            text="May I?",
        ),
        services.notification_create(
            recipient=user, actor=ana, verb="remixed", record=remix, source=source, text="melody"
        ),
    ]


def test_lists_your_notifications_newest_first(
    user_api: ApiClient, notified, ana, source, remix
) -> None:
    response = user_api.call("get", "/notifications")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unread_count"] == 2
    assert body["next_cursor"] is None
    newest, oldest = body["items"]
    assert newest == {
        "id": notified[1].pk,
        "verb": "remixed",
        "category": "remixes",
        "text": "melody",
        "created_at": newest["created_at"],
        "read": False,
        "url": f"http://testserver{remix.get_absolute_url()}",
        "actor": {
            "username": "ana",
            "display_name": "Ana Reyes",
            "url": f"http://testserver/@{ana.username}",
        },
        "record": {
            "id": remix.pk,
            "title": "Moon animation",
            "url": f"http://testserver{remix.get_absolute_url()}",
        },
        "source": {
            "id": source.pk,
            "title": "Moon song",
            "url": f"http://testserver{source.get_absolute_url()}",
        },
        "remix_request": None,
        "production": None,
        "submission": None,
        "comment": None,
        "target": None,
        "target_type": "",
    }
    assert oldest["verb"] == "remix_requested"
    assert oldest["remix_request"] == notified[0].remix_request_id
    assert oldest["text"] == "May I?"


def test_a_member_who_left_is_a_former_member(user_api: ApiClient, user, ana) -> None:
    services.notification_create(recipient=user, actor=ana, verb="remixed")
    accounts.account_delete(user=ana, password=PASSWORD)
    [item] = user_api.call("get", "/notifications").json()["items"]
    assert item["actor"] == {"username": None, "display_name": "a former member", "url": None}


def test_a_missing_actor_or_record_is_null(user_api: ApiClient, user) -> None:
    services.notification_create(recipient=user, actor=None, verb="remixed")
    [item] = user_api.call("get", "/notifications").json()["items"]
    assert (item["actor"], item["record"], item["source"]) == (None, None, None)


def test_pages_follow_the_cursor(user_api: ApiClient, user, ana) -> None:
    made = [
        services.notification_create(recipient=user, actor=ana, verb="remixed").pk for _ in range(5)
    ]
    seen: list[int] = []
    cursor = ""
    for _ in range(3):
        body = user_api.call("get", f"/notifications?limit=2&cursor={cursor}").json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == made[::-1]
    assert cursor is None


def test_unread_only_and_mark_some_read(user_api: ApiClient, notified) -> None:
    response = user_api.call("post", "/notifications/read", {"ids": [notified[0].pk]})
    assert response.status_code == 200, response.content
    assert response.json() == {"unread_count": 1}
    body = user_api.call("get", "/notifications?unread=true").json()
    assert [item["id"] for item in body["items"]] == [notified[1].pk]
    assert body["unread_count"] == 1
    every = user_api.call("get", "/notifications").json()["items"]
    assert [item["read"] for item in every] == [False, True]


@pytest.mark.parametrize("body", [None, {}, {"ids": None}])
def test_mark_all_read(user_api: ApiClient, notified, body) -> None:
    response = user_api.call("post", "/notifications/read", body)
    assert response.status_code == 200, response.content
    assert response.json() == {"unread_count": 0}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_other_members_cannot_see_or_mark_yours(ana_api: ApiClient, notified) -> None:
    assert ana_api.call("get", "/notifications").json() == {
        "items": [],
        "next_cursor": None,
        "unread_count": 0,
    }
    response = ana_api.call("post", "/notifications/read", {"ids": [n.pk for n in notified]})
    assert response.json() == {"unread_count": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("method", "path"), [("get", "/notifications"), ("post", "/notifications/read")]
)
def test_anonymous_is_401(api: ApiClient, method: str, path: str) -> None:
    response = api.call(method, path)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("cursor=garbage!", 400, "invalid_cursor"),
        ("cursor=MjAyNi0wMS0wMVQwMDowMDowMHwx", 400, "invalid_cursor"),  # a naive time
        ("limit=0", 422, "invalid"),
        ("limit=500", 422, "invalid"),
        ("unread=perhaps", 422, "invalid"),
    ],
)
def test_bad_input_is_a_clear_4xx(user_api: ApiClient, query, status, code) -> None:
    response = user_api.call("get", f"/notifications?{query}")
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["detail"]


@pytest.mark.parametrize(
    ("raw", "status"),
    [(b'{"ids": ["one"]}', 422), (b'{"ids": 5}', 422), (b"{not json", 400)],
)
def test_bad_bodies_are_a_clear_4xx(user_api: ApiClient, notified, raw, status) -> None:
    response = user_api.call("post", "/notifications/read", raw=raw)
    assert response.status_code == status
    assert response.json()["detail"]
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_the_browser_session_needs_csrf_to_mark(user, notified) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/notifications").status_code == 200
    response = client.post("/api/v1/notifications/read", "{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
