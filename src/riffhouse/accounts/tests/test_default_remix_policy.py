"""Each member's default remix policy: set on the profile settings page or PATCH /me."""

import pytest
from conftest import ApiClient
from django.test import Client
from django.urls import reverse

from riffhouse.accounts import services
from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def test_a_new_member_defaults_to_open(user: User) -> None:
    assert user.default_remix_policy == "open"


def test_the_service_checks_the_value(user: User) -> None:
    services.user_update_profile(user=user, default_remix_policy="ask")
    user.refresh_from_db()
    assert user.default_remix_policy == "ask"
    with pytest.raises(ApplicationError) as err:
        services.user_update_profile(user=user, default_remix_policy="maybe")
    assert (err.value.code, err.value.field) == ("invalid_remix_policy", "default_remix_policy")
    user.refresh_from_db()
    assert user.default_remix_policy == "ask"


def test_other_profile_edits_keep_it(user: User) -> None:
    services.user_update_profile(user=user, default_remix_policy="closed")
    services.user_update_profile(user=user, bio="Synths.")
    user.refresh_from_db()
    assert user.default_remix_policy == "closed"


class TestApi:
    def test_get_and_patch_me(self, user_api: ApiClient) -> None:
        assert user_api.call("get", "/me").json()["default_remix_policy"] == "open"
        response = user_api.call("patch", "/me", {"default_remix_policy": "closed"})
        assert response.status_code == 200
        assert response.json()["default_remix_policy"] == "closed"
        assert user_api.call("get", "/me").json()["default_remix_policy"] == "closed"

    @pytest.mark.parametrize("value", ["maybe", "OPEN", ""])
    def test_an_unknown_value_is_a_4xx_naming_the_field(
        self, user_api: ApiClient, user: User, value: str
    ) -> None:
        response = user_api.call("patch", "/me", {"default_remix_policy": value})
        assert response.status_code == 400
        assert response.json()["field"] == "default_remix_policy"
        user.refresh_from_db()
        assert user.default_remix_policy == "open"

    def test_is_private(self, api: ApiClient, user: User) -> None:
        assert "default_remix_policy" not in api.call("get", "/users/orion").json()


class TestSettingsPage:
    def test_shows_and_saves_it(self, client: Client, user: User) -> None:
        client.force_login(user)
        page = client.get(reverse("settings:profile"))
        body = page.content.decode()
        assert "Remixing of new records" in body
        assert '<option value="open" selected>' in body
        response = client.post(
            reverse("settings:profile"),
            {
                "display_name": "Orion Vale",
                "bio": "",
                "links": "",
                "default_remix_policy": "ask",
            },
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.default_remix_policy == "ask"
        assert (
            '<option value="ask" selected>'
            in client.get(reverse("settings:profile")).content.decode()
        )

    def test_refuses_an_unknown_value(self, client: Client, user: User) -> None:
        client.force_login(user)
        response = client.post(
            reverse("settings:profile"),
            {"display_name": "", "bio": "", "links": "", "default_remix_policy": "maybe"},
        )
        assert response.status_code == 400
        assert "default_remix_policy" in response.context["form"].errors


class TestNewRecords:
    """New records start with their author's default; a policy chosen for the record wins."""

    @pytest.fixture
    def closed_user(self, user: User) -> User:
        return services.user_update_profile(user=user, default_remix_policy="closed")

    def test_the_service_uses_the_default(self, closed_user: User, make_record) -> None:
        assert make_record("text").remix_policy == "closed"
        assert make_record("text", remix_policy="ask").remix_policy == "ask"

    def test_the_upload_page_preselects_the_default(self, client: Client, closed_user) -> None:
        client.force_login(closed_user)
        body = client.get(reverse("records:new")).content.decode()
        assert '<option value="closed" selected>' in body
        assert '<option value="open" selected>' not in body

    def test_the_upload_page_keeps_an_explicit_choice(self, client: Client, closed_user) -> None:
        client.force_login(closed_user)
        response = client.post(
            reverse("records:new"),
            {
                "title": "Tide",
                "body": "In, out,\nin.",
                "licence": "riffhouse",
                "remix_policy": "open",
                "visibility": "published",
            },
        )
        assert response.status_code == 302
        assert Record.objects.get(title="Tide").remix_policy == "open"

    def test_the_api_uses_the_default_unless_told(self, user_api: ApiClient, closed_user) -> None:
        def create(**fields: str) -> dict:
            response = user_api.post(
                "/api/v1/records",
                {"kind": "text", "title": "Tide", "body": "In, out.", **fields},
                headers={"Authorization": f"Bearer {user_api.token}"},
            )
            assert response.status_code in {201, 400}, response.content
            return response.json()

        assert create()["remix_policy"] == "closed"
        assert create(remix_policy="ask")["remix_policy"] == "ask"
        refused = create(remix_policy="maybe")
        assert (refused["code"], refused["field"]) == ("invalid_remix_policy", "remix_policy")
