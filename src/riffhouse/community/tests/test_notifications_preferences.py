"""A preference per category (in the app, in the app and an email digest, or off): the
settings page, the API, and the audit row."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.community.models import Notification, NotificationCategory, NotificationPreference
from riffhouse.community.notify import notify

pytestmark = pytest.mark.django_db

PAGE = "/settings/notifications/"
API = "/me/notification-preferences"
DEFAULTS = dict.fromkeys(NotificationCategory.values, "in_app")


@pytest.fixture
def member(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_page_shows_one_choice_per_category_and_is_linked_from_settings(
    member: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        response = member.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    for category in NotificationCategory:
        assert category.label in html
        assert f'name="{category.value}" value="digest"' in html
    assert f'href="{PAGE}" aria-current="page">Notifications</a>' in html
    assert f'href="{PAGE}"' in member.get("/settings/profile/").content.decode()


def test_saving_the_form_sets_preferences_and_turning_off_silences(
    member: Client, user: User, ana: User
) -> None:
    choices = {**DEFAULTS, "followers": "off", "comments": "digest"}
    response = member.post(PAGE, choices)
    assert response.status_code == 302 and response["Location"] == PAGE
    saved = dict(
        NotificationPreference.objects.filter(user=user).values_list("category", "delivery")
    )
    assert saved == {"followers": "off", "comments": "digest"}
    event = AuditEvent.objects.get(action=AuditEvent.Action.NOTIFICATION_PREFS_CHANGED)
    assert event.subject_id == user.pk
    assert event.data["after"] == {"followers": "off", "comments": "digest"}

    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    assert not Notification.objects.exists()
    # Back to "in the app": the row goes, and followers are heard again.
    member.post(PAGE, {**choices, "followers": "in_app"})
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    assert Notification.objects.count() == 1


def test_a_bad_choice_is_a_form_error_and_saves_nothing(member: Client, user: User) -> None:
    response = member.post(PAGE, {**DEFAULTS, "money": "carrier-pigeon", "comments": "off"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_page_needs_a_member(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_the_api_reads_and_changes_preferences(user_api: Any, user: User) -> None:
    assert user_api.call("get", API).json() == DEFAULTS
    response = user_api.call("put", API, {"money": "digest", "mentions": "off"})
    assert response.status_code == 200, response.content
    assert response.json() == {**DEFAULTS, "money": "digest", "mentions": "off"}
    # Left out: kept.
    response = user_api.call("put", API, {"mentions": "in_app"})
    assert response.json() == {**DEFAULTS, "money": "digest"}
    assert user_api.call("get", API).json() == {**DEFAULTS, "money": "digest"}
    assert AuditEvent.objects.filter(action="notification_prefs_changed").count() == 2
    # No change: no audit row.
    user_api.call("put", API, {"money": "digest"})
    assert AuditEvent.objects.filter(action="notification_prefs_changed").count() == 2


@pytest.mark.parametrize(
    "payload",
    [{"money": "sometimes"}, {"weather": "off"}, {"money": 3}, ["money"], {"money": None}],
)
def test_the_api_refuses_bad_input_with_detail_and_code(
    user_api: Any, user: User, payload: Any
) -> None:
    response = user_api.call("put", API, payload)
    assert response.status_code in (400, 422), response.content
    body = response.json()
    assert body["detail"] and body["code"]
    assert not NotificationPreference.objects.exists()


def test_the_api_needs_a_member(api: Any) -> None:
    assert api.call("get", API).status_code == 401
    assert api.call("put", API, {"money": "off"}).status_code == 401


def test_preferences_are_each_members_own(
    user_api: Any, user: User, make_user: Callable[..., User]
) -> None:
    other = make_user("other")
    NotificationPreference.objects.create(user=other, category="money", delivery="off")
    assert user_api.call("get", API).json() == DEFAULTS
