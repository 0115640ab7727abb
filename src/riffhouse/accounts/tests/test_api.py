import pytest
from conftest import PASSWORD, ApiClient
from django.core import mail

from riffhouse.accounts.models import ApiToken, User
from riffhouse.accounts.tests.images import png_bytes

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail"]
    return body


class TestToken:
    def test_issues_a_token_that_authenticates(self, api: ApiClient, user: User) -> None:
        response = api.call(
            "post", "/auth/token", {"username": "orion", "password": PASSWORD, "name": "cli"}
        )
        assert response.status_code == 201
        token = response.json()["token"]
        me = ApiClient(token=token).call("get", "/me")
        assert me.status_code == 200
        assert me.json()["username"] == "orion" and me.json()["email"] == "orion@ex.org"

    def test_wrong_credentials_and_unknown_users_look_the_same(
        self, api: ApiClient, user: User
    ) -> None:
        wrong = assert_error(
            api.call("post", "/auth/token", {"username": "orion", "password": "nope"}),
            401,
            "invalid_credentials",
        )
        ghost = assert_error(
            api.call("post", "/auth/token", {"username": "ghost", "password": "nope"}),
            401,
            "invalid_credentials",
        )
        assert wrong == ghost

    def test_locks_after_repeated_failures(self, api: ApiClient, user: User, settings) -> None:
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            api.call("post", "/auth/token", {"username": "orion", "password": "nope"})
        response = api.call(
            "post", "/auth/token", {"username": "orion", "password": PASSWORD + "x"}
        )
        assert_error(response, 429, "too_many_attempts")
        assert int(response["Retry-After"]) > 0
        assert_error(
            api.call("post", "/auth/token", {"username": "orion", "password": PASSWORD}),
            429,
            "too_many_attempts",
        )
        assert not ApiToken.objects.exists()

    @pytest.mark.parametrize("spelling", ["ORION", "orion@ex.org", " Orion@EX.org "])
    def test_a_lock_holds_for_every_spelling_of_the_account(
        self, api: ApiClient, user: User, settings, spelling: str
    ) -> None:
        # Issue 9: with `orion` locked, `orion@ex.org` still got a token.
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            api.call("post", "/auth/token", {"username": "orion", "password": "nope"})
        locked = api.call("post", "/auth/token", {"username": "orion", "password": PASSWORD})
        other = ApiClient().call(
            "post", "/auth/token", {"username": spelling, "password": PASSWORD}
        )
        assert assert_error(other, 429, "too_many_attempts") == locked.json()
        assert not ApiToken.objects.exists()

    def test_revoked_tokens_stop_working(self, user_api: ApiClient) -> None:
        token_id = user_api.call("get", "/me/tokens").json()[0]["id"]
        assert user_api.call("delete", f"/me/tokens/{token_id}").status_code == 204
        assert_error(user_api.call("get", "/me"), 401, "not_authenticated")

    def test_garbage_tokens_are_refused(self) -> None:
        assert_error(ApiClient(token="rh_nonsense").call("get", "/me"), 401, "not_authenticated")


class TestSignUp:
    def test_new_and_registered_addresses_answer_alike(self, api: ApiClient, user: User) -> None:
        fresh = api.call(
            "post",
            "/accounts",
            {"username": "luna", "email": "luna@ex.org", "password": "moonlit-sonata-42"},
        )
        taken = api.call(
            "post",
            "/accounts",
            {"username": "nova", "email": "orion@ex.org", "password": "moonlit-sonata-42"},
        )
        assert fresh.status_code == taken.status_code == 202
        assert fresh.json() == taken.json()
        assert User.objects.filter(username__in=["luna", "nova"]).count() == 1
        assert len(mail.outbox) == 2

    def test_taken_username(self, api: ApiClient, user: User) -> None:
        body = assert_error(
            api.call(
                "post",
                "/accounts",
                {"username": "Orion", "email": "x@ex.org", "password": "moonlit-sonata-42"},
            ),
            409,
            "username_taken",
        )
        assert body["field"] == "username"

    def test_weak_password(self, api: ApiClient) -> None:
        assert_error(
            api.call(
                "post", "/accounts", {"username": "luna", "email": "luna@ex.org", "password": "123"}
            ),
            400,
            "weak_password",
        )
        assert not User.objects.exists()

    def test_sign_ups_naming_one_address_send_a_few_emails_and_answer_alike(
        self, api: ApiClient, user: User, settings
    ) -> None:
        # Issue 9: every sign-up naming an address emailed it, without limit.
        answers = [
            api.call(
                "post",
                "/accounts",
                {"username": f"flood{n}", "email": email, "password": "moonlit-sonata-42"},
            )
            for n, email in enumerate(["orion@ex.org"] * 10 + ["luna@ex.org"] * 10)
        ]
        assert {(a.status_code, a.content) for a in answers} == {
            (answers[0].status_code, answers[0].content)
        }
        limit = settings.ACCOUNT_EMAIL_LIMIT_PER_ADDRESS
        assert [m.to for m in mail.outbox] == [["orion@ex.org"]] * limit + [["luna@ex.org"]] * limit


class TestBadInput:
    @pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b"[1, 2", b"null"])
    def test_malformed_json_is_a_400_with_a_message(self, api: ApiClient, raw: bytes) -> None:
        response = api.call("post", "/accounts", raw=raw)
        assert response.status_code in {400, 422}
        body = response.json()
        assert body["detail"] and body["code"] in {"bad_request", "invalid"}

    @pytest.mark.parametrize(
        "payload",
        [
            {"username": 5, "email": [], "password": {}},
            {"username": "luna"},
            {"username": "x" * 500, "email": "luna@ex.org", "password": "moonlit-sonata-42"},
        ],
    )
    def test_wrong_types_are_a_422_naming_the_field(self, api: ApiClient, payload) -> None:
        body = assert_error(api.call("post", "/accounts", payload), 422, "invalid")
        assert body["errors"][0]["field"] in {"username", "email", "password"}
        assert not User.objects.exists()

    def test_unknown_api_path_is_json(self, api: ApiClient) -> None:
        assert_error(api.call("get", "/nowhere"), 404, "not_found")


class TestMe:
    def test_needs_authentication(self, api: ApiClient) -> None:
        assert_error(api.call("get", "/me"), 401, "not_authenticated")
        assert_error(api.call("patch", "/me", {"bio": "x"}), 401, "not_authenticated")

    def test_session_authentication_works_for_reads(self, client, user: User) -> None:
        client.force_login(user)
        assert client.get("/api/v1/me").json()["username"] == "orion"

    def test_session_writes_need_csrf(self, user: User) -> None:
        from django.test import Client

        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        response = browser.patch("/api/v1/me", '{"bio": "x"}', content_type="application/json")
        assert response.status_code in {401, 403}
        user.refresh_from_db()
        assert user.bio == ""

    def test_profile_edit(self, user_api: ApiClient) -> None:
        response = user_api.call(
            "patch", "/me", {"display_name": "O.", "links": ["https://orion.example"]}
        )
        assert response.status_code == 200
        assert response.json()["display_name"] == "O."
        body = assert_error(
            user_api.call("patch", "/me", {"links": ["javascript:x"]}), 400, "invalid_link"
        )
        assert body["field"] == "links"

    def test_avatar_upload(self, user_api: ApiClient, user: User) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = user_api.post(
            "/api/v1/me/avatar",
            {"file": SimpleUploadedFile("a.png", png_bytes(), "image/png")},
            headers={"Authorization": f"Bearer {user_api.token}"},
        )
        assert response.status_code == 200
        assert response.json()["avatar"]["original"].startswith("http://testserver/media/avatars/")
        user.refresh_from_db()
        assert user.avatar_small  # the renditions job ran (inline in these tests)
        bad = user_api.post(
            "/api/v1/me/avatar",
            {"file": SimpleUploadedFile("a.png", b"GIF89a-not-really", "image/png")},
            headers={"Authorization": f"Bearer {user_api.token}"},
        )
        assert_error(bad, 400, "invalid_image")

    def test_public_profile(self, api: ApiClient, user: User) -> None:
        body = api.call("get", "/users/orion").json()
        assert body["display_name"] == "Orion Vale" and "email" not in body
        assert_error(api.call("get", "/users/nobody"), 404, "not_found")
