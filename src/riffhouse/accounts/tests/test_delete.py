"""Deleting an account anonymises it: the row stays (credits point at it), nothing of the
person does."""

import io

import pytest
from conftest import PASSWORD, ApiClient
from django.contrib.auth.hashers import is_password_usable
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from riffhouse.accounts import selectors, services
from riffhouse.accounts.hooks import after_account_delete
from riffhouse.accounts.models import ApiToken, AuditEvent, Role, User
from riffhouse.accounts.tests.images import png_bytes
from riffhouse.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user) -> User:
    user = make_user(
        "orion",
        display_name="Orion Vale",
        bio="Synths and field recordings.",
        links=["https://orion.example"],
    )
    services.user_update_profile(user=user, default_remix_policy="closed")
    return user


def avatar_files(user: User) -> list[str]:
    return [user.avatar, user.avatar_small, user.avatar_medium]


class TestService:
    def test_anonymises_and_keeps_the_row(
        self, member: User, django_capture_on_commit_callbacks
    ) -> None:
        data = png_bytes()
        with django_capture_on_commit_callbacks(execute=True):
            services.user_set_avatar(user=member, upload=io.BytesIO(data), size=len(data))
        member.refresh_from_db()
        files = avatar_files(member)
        assert all(default_storage.exists(name) for name in files)
        services.user_set_role(actor=None, user=member, role=Role.STAFF)

        with django_capture_on_commit_callbacks(execute=True):
            services.account_delete(user=member, password=PASSWORD)

        former = User.objects.get(pk=member.pk)
        assert former.username == f"former-{member.pk}"
        assert former.email == f"former-{member.pk}@deleted.invalid"
        assert (former.display_name, former.bio, former.links) == ("", "", [])
        assert avatar_files(former) == ["", "", ""]
        assert not any(default_storage.exists(name) for name in files)
        assert former.is_former and former.deleted_at is not None
        assert former.name == "a former member" and former.initials == ""
        assert not former.is_active
        assert not is_password_usable(former.password)
        assert (former.role, former.is_staff, former.is_superuser) == (Role.MEMBER, False, False)
        assert former.default_remix_policy == "open"
        event = AuditEvent.objects.filter(subject=former).latest("created_at")
        assert (event.action, event.actor_id) == (AuditEvent.Action.ACCOUNT_DELETED, former.pk)

    def test_the_former_username_passes_the_username_rules(self, member: User) -> None:
        services.account_delete(user=member, password=PASSWORD)
        member.refresh_from_db()
        assert services.USERNAME_RE.match(member.username)
        # ...and nobody can register it, or any other former-<n>, to pose as the leaver.
        for name in (member.username, "Former-99999"):
            with pytest.raises(ApplicationError) as err:
                services.username_check(username=name)
            assert err.value.field == "username"

    def test_revokes_every_token(self, member: User) -> None:
        services.api_token_create(user=member, name="a")
        services.api_token_create(user=member, name="b")
        services.account_delete(user=member, password=PASSWORD)
        assert not ApiToken.objects.filter(user=member, revoked_at__isnull=True).exists()
        assert ApiToken.objects.filter(user=member).count() == 2  # kept for the record

    def test_calls_after_account_delete_inside_the_transaction(self, member: User) -> None:
        received: list[User] = []

        def listener(*, user: User) -> None:
            received.append(user)

        with after_account_delete.registered(listener):
            services.account_delete(user=member, password=PASSWORD)
        assert [user.pk for user in received] == [member.pk]
        assert received[0].is_former  # the apps above see the anonymised member

    def test_a_failing_hook_undoes_everything(self, member: User) -> None:
        def broken(*, user: User) -> None:
            raise RuntimeError("an app above could not let go")

        with after_account_delete.registered(broken), pytest.raises(RuntimeError):
            services.account_delete(user=member, password=PASSWORD)
        member.refresh_from_db()
        assert (member.username, member.deleted_at, member.is_active) == ("orion", None, True)
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_DELETED).exists()

    def test_a_wrong_password_changes_nothing(self, member: User) -> None:
        services.api_token_create(user=member, name="cli")
        before = User.objects.values().get(pk=member.pk)
        with pytest.raises(ApplicationError) as err:
            services.account_delete(user=member, password="not-my-password")
        assert (err.value.code, err.value.field, err.value.status) == (
            "wrong_password",
            "password",
            400,
        )
        assert User.objects.values().get(pk=member.pk) == before
        assert ApiToken.objects.filter(user=member, revoked_at__isnull=True).count() == 1
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_DELETED).exists()

    def test_an_older_account_already_named_former_n_is_left_alone(
        self, member: User, make_user
    ) -> None:
        # Registered before former-<n> names were reserved.
        squatter = make_user("squatter")
        User.objects.filter(pk=squatter.pk).update(username=f"former-{member.pk}")
        services.account_delete(user=member, password=PASSWORD)
        member.refresh_from_db()
        assert member.username.startswith(f"former-{member.pk}-")
        assert services.USERNAME_RE.match(member.username)
        assert User.objects.get(pk=squatter.pk).username == f"former-{member.pk}"


class TestAfterwards:
    def test_the_profile_answers_410(self, client: Client, member: User) -> None:
        services.account_delete(user=member, password=PASSWORD)
        member.refresh_from_db()
        response = client.get(member.get_absolute_url())
        assert response.status_code == 410
        body = response.content.decode()
        assert "This member left Riffhouse" in body
        assert "Orion Vale" not in body
        # The old name is simply free: nobody holds it.
        assert client.get("/@orion").status_code == 404
        with pytest.raises(ApplicationError) as err:
            selectors.user_get_public(username=member.username)
        assert (err.value.status, err.value.code) == (410, "deleted")

    def test_the_api_profile_answers_410(self, api: ApiClient, member: User) -> None:
        services.account_delete(user=member, password=PASSWORD)
        response = api.call("get", f"/users/former-{member.pk}")
        assert response.status_code == 410
        assert response.json()["code"] == "deleted" and response.json()["detail"]

    def test_unconfirmed_accounts_still_answer_404(self, api: ApiClient, member: User) -> None:
        User.objects.filter(pk=member.pk).update(is_active=False)
        assert api.call("get", "/users/orion").status_code == 404

    def test_log_in_is_refused(self, client: Client, api: ApiClient, member: User) -> None:
        services.account_delete(user=member, password=PASSWORD)
        for login in ("orion", "orion@ex.org", f"former-{member.pk}"):
            response = client.post(
                reverse("accounts:login"), {"login": login, "password": PASSWORD}
            )
            assert response.status_code == 200
            assert response.context["user"].is_anonymous
            token = api.call("post", "/auth/token", {"username": login, "password": PASSWORD})
            assert token.status_code == 401

    def test_password_reset_sends_nothing(self, client: Client, member: User) -> None:
        services.account_delete(user=member, password=PASSWORD)
        mail.outbox.clear()
        for email in ("orion@ex.org", f"former-{member.pk}@deleted.invalid"):
            response = client.post(reverse("accounts:password_reset"), {"email": email})
            assert response.status_code == 302
        assert mail.outbox == []

    def test_other_sessions_end(self, member: User) -> None:
        elsewhere = Client()
        elsewhere.force_login(member)
        services.account_delete(user=member, password=PASSWORD)
        assert elsewhere.get(reverse("settings:profile")).status_code == 302


class TestSettingsPage:
    def test_explains_and_is_linked_from_the_settings(self, client: Client, member: User) -> None:
        client.force_login(member)
        profile = client.get(reverse("settings:profile")).content.decode()
        assert reverse("settings:delete") in profile
        page = client.get(reverse("settings:delete"))
        body = page.content.decode()
        assert page.status_code == 200
        assert "cannot be undone" in body and "a former member" in body
        assert 'type="password"' in body and "button-danger" in body

    def test_needs_log_in(self, client: Client) -> None:
        response = client.get(reverse("settings:delete"))
        assert response.status_code == 302 and "/log-in/" in response["Location"]

    def test_a_wrong_password_is_shown_on_the_form(self, client: Client, member: User) -> None:
        client.force_login(member)
        response = client.post(reverse("settings:delete"), {"password": "nope-nope-nope"})
        assert response.status_code == 400
        assert response.context["form"].errors == {"password": ["That is not your password."]}
        member.refresh_from_db()
        assert member.deleted_at is None and member.is_active
        assert client.get(reverse("settings:profile")).status_code == 200  # still logged in

    def test_deletes_logs_out_and_says_so(self, client: Client, member: User) -> None:
        client.force_login(member)
        response = client.post(reverse("settings:delete"), {"password": PASSWORD}, follow=True)
        assert response.redirect_chain == [(reverse("community:home"), 302)]
        assert response.context["user"].is_anonymous
        assert "Your account is deleted" in response.content.decode()
        member.refresh_from_db()
        assert member.is_former and member.username == f"former-{member.pk}"
        assert client.get(reverse("settings:profile")).status_code == 302


class TestApi:
    def test_delete_me(self, member: User) -> None:
        client = ApiClient(token=services.api_token_create(user=member, name="cli").raw)
        other = ApiClient(token=services.api_token_create(user=member, name="ci").raw)
        response = client.call("delete", "/me", {"password": PASSWORD})
        assert response.status_code == 204, response.content
        member.refresh_from_db()
        assert member.is_former
        for used in (client, other):
            gone = used.call("get", "/me")
            assert gone.status_code == 401 and gone.json()["code"] == "not_authenticated"

    def test_a_wrong_password_is_a_400_and_changes_nothing(self, member: User) -> None:
        client = ApiClient(token=services.api_token_create(user=member, name="cli").raw)
        response = client.call("delete", "/me", {"password": "not-it-at-all"})
        assert response.status_code == 400
        assert response.json() == {
            "detail": "That is not your password.",
            "code": "wrong_password",
            "field": "password",
        }
        assert client.call("get", "/me").json()["username"] == "orion"

    def test_needs_a_password_and_credentials(self, api: ApiClient, member: User) -> None:
        client = ApiClient(token=services.api_token_create(user=member, name="cli").raw)
        assert client.call("delete", "/me").status_code == 422
        assert client.call("delete", "/me", {}).status_code == 422
        assert api.call("delete", "/me", {"password": PASSWORD}).status_code == 401
        member.refresh_from_db()
        assert member.deleted_at is None

    def test_session_delete_needs_csrf(self, member: User) -> None:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(member)
        response = browser.delete(
            "/api/v1/me", {"password": PASSWORD}, content_type="application/json"
        )
        assert response.status_code in {401, 403}
        member.refresh_from_db()
        assert member.deleted_at is None


class TestAdminSite:
    """Staff delete accounts from the admin site by anonymising them, never by removing the
    row (which would take remix requests and notifications with it)."""

    @pytest.fixture
    def admin_client(self, client: Client, make_user) -> Client:
        staff = make_user("keeper", display_name="Keeper")
        services.user_set_role(actor=None, user=staff, role=Role.ADMIN)
        client.force_login(staff)
        return client

    def test_the_action_anonymises_and_audits(self, admin_client: Client, member: User) -> None:
        from riffhouse.records.services import record_create

        record = record_create(author=member, kind="text", title="Night song", body="Hush.")
        response = admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "delete_accounts", "_selected_action": [member.pk]},
            follow=True,
        )
        assert response.status_code == 200
        assert "Deleted 1 account(s)." in response.content.decode()
        former = User.objects.get(pk=member.pk)
        assert former.is_former and former.username == f"former-{member.pk}"
        record.refresh_from_db()
        assert record.deleted_at is not None and record.author_id == member.pk
        event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_DELETED)
        assert (event.subject_id, event.actor.username) == (member.pk, "keeper")

    def test_removing_the_row_is_not_offered(self, admin_client: Client, member: User) -> None:
        delete_url = reverse("admin:accounts_user_delete", args=[member.pk])
        assert admin_client.get(delete_url).status_code == 403
        changelist = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
        assert 'value="delete_selected"' not in changelist
        assert 'value="delete_accounts"' in changelist
        assert User.objects.filter(pk=member.pk, deleted_at__isnull=True).exists()

    def test_staff_cannot_delete_themselves_here(self, admin_client: Client) -> None:
        keeper = User.objects.get(username="keeper")
        response = admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "delete_accounts", "_selected_action": [keeper.pk]},
            follow=True,
        )
        assert "from your settings" in response.content.decode()
        keeper.refresh_from_db()
        assert not keeper.is_former

    def test_only_staff_may(self, member: User, make_user) -> None:
        other = make_user("stranger")
        with pytest.raises(ApplicationError) as raised:
            services.account_delete_by_staff(actor=other, user=member)
        assert raised.value.status == 403
        member.refresh_from_db()
        assert not member.is_former
