"""An attacker's probe (issue 9) found 500s for malformed input; each is a clear 4xx now, on
SQLite and PostgreSQL alike, and nothing of such a request is stored."""

import json

import pytest
from conftest import PASSWORD, ApiClient
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from riffhouse.accounts.models import User
from riffhouse.records.models import Record
from riffhouse.records.tests import samples

pytestmark = pytest.mark.django_db


def bearer(api: ApiClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.token}"}


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]


class TestControlCharacters:
    """NUL made PostgreSQL raise DataError (a 500) and SQLite store it; now every text input
    is refused with 400 `invalid_characters` before a view or the database sees it."""

    @pytest.mark.parametrize(
        "path", ["/api/v1/users/a%00b", "/api/v1/records?tag=a%00b", "/api/v1/records?a%00=1"]
    )
    def test_in_the_path_or_query_of_the_api_without_logging_in(self, path: str) -> None:
        assert_error(Client().get(path), 400, "invalid_characters")

    @pytest.mark.parametrize("path", ["/@a%00b", "/records/?tag=a%00b"])
    def test_in_the_path_or_query_of_a_page(self, path: str) -> None:
        response = Client().get(path)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert b"control character" in response.content

    def test_in_a_json_body_before_logging_in(self, user: User) -> None:
        response = ApiClient().call(
            "post", "/auth/token", {"username": "orion\x00", "password": PASSWORD}
        )
        assert_error(response, 400, "invalid_characters")

    @pytest.mark.parametrize("value", ["a\x00b", "half \ud800 surrogate", "bell\x07"])
    def test_in_a_json_body_nothing_is_stored(self, user_api: ApiClient, user: User, value) -> None:
        response = user_api.call("patch", "/me", {"bio": value})
        assert_error(response, 400, "invalid_characters")
        user.refresh_from_db()
        assert user.bio == ""

    def test_tab_and_line_breaks_are_text(self, user_api: ApiClient, user: User) -> None:
        response = user_api.call("patch", "/me", {"bio": "one\ttwo\r\nthree"})
        assert response.status_code == 200, response.content
        user.refresh_from_db()
        assert user.bio == "one\ttwo\r\nthree"

    def test_in_a_multipart_field_nothing_is_stored(self, user_api: ApiClient) -> None:
        response = user_api.post(
            "/api/v1/records",
            {"kind": "text", "title": "a\x00b", "body": "hi"},
            headers=bearer(user_api),
        )
        assert_error(response, 400, "invalid_characters")
        assert not Record.objects.exists()

    def test_in_the_sources_json_of_a_form(self, user_api: ApiClient) -> None:
        response = user_api.post(
            "/api/v1/records",
            {
                "kind": "text",
                "title": "t",
                "body": "hi",
                "sources": json.dumps([{"record": 1, "usage": "a\x00b"}]),
            },
            headers=bearer(user_api),
        )
        assert_error(response, 400, "invalid_sources")
        assert not Record.objects.exists()

    @pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
    def test_in_a_page_form(self, user: User, encoding: str) -> None:
        if encoding == "multipart":
            response = Client().post(
                "/accounts/log-in/", {"login": "orion\x00", "password": PASSWORD}
            )
        else:
            response = Client().post(
                "/accounts/log-in/",
                f"login=orion%00&password={PASSWORD}",
                "application/x-www-form-urlencoded",
            )
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert b"control character" in response.content

    def test_a_valid_urlencoded_page_form_still_works(self, user: User) -> None:
        # As browsers send it; the middleware reads it before the view does.
        response = Client().post(
            "/accounts/log-in/",
            f"login=orion&password={PASSWORD}",
            "application/x-www-form-urlencoded",
        )
        assert response.status_code == 302, response.content

    def test_invalid_utf8_in_a_multipart_field_is_not_stored_as_replacement_characters(
        self, user_api: ApiClient
    ) -> None:
        body = (
            b'--XX\r\nContent-Disposition: form-data; name="kind"\r\n\r\ntext\r\n'
            b'--XX\r\nContent-Disposition: form-data; name="title"\r\n\r\nbad\xff\xfe\r\n'
            b'--XX\r\nContent-Disposition: form-data; name="body"\r\n\r\nok\r\n--XX--\r\n'
        )
        response = user_api.generic(
            "POST",
            "/api/v1/records",
            body,
            content_type="multipart/form-data; boundary=XX",
            headers=bearer(user_api),
        )
        assert_error(response, 400, "invalid_characters")
        assert "UTF-8" in response.json()["detail"]
        assert not Record.objects.exists()


class TestNames:
    """Bidi controls and invisible characters are refused in names, by the services."""

    def test_display_name(self, user_api: ApiClient, user: User) -> None:
        response = user_api.call("patch", "/me", {"display_name": "Orion\u202e Vale"})
        assert_error(response, 400, "invalid_characters")
        assert response.json()["field"] == "display_name"
        user.refresh_from_db()
        assert user.display_name == "Orion Vale"

    @pytest.mark.parametrize("title", ["Ti\u200bde", "Tide\u2066"])
    def test_record_title(self, user_api: ApiClient, title: str) -> None:
        response = user_api.post(
            "/api/v1/records",
            {"kind": "text", "title": title, "body": "hi"},
            headers=bearer(user_api),
        )
        assert_error(response, 400, "invalid_characters")
        assert not Record.objects.exists()

    def test_record_title_in_persian_keeps_its_joiner(self, user_api: ApiClient) -> None:
        response = user_api.post(
            "/api/v1/records",
            {"kind": "text", "title": "می‌خواهم", "body": "hi"},
            headers=bearer(user_api),
        )
        assert response.status_code == 201, response.content
        assert response.json()["title"] == "می‌خواهم"

    def test_tag(self, user_api: ApiClient) -> None:
        response = user_api.post(
            "/api/v1/records",
            {"kind": "text", "title": "Tide", "body": "hi", "tags": "ro\u200bck"},
            headers=bearer(user_api),
        )
        assert_error(response, 400, "invalid_tag")


class TestMalformedRequests:
    @pytest.mark.parametrize(
        "path", ["/api/v1/records", "/api/v1/records/{id}/versions", "/api/v1/me/avatar"]
    )
    def test_multipart_without_a_boundary(self, user_api: ApiClient, make_record, path) -> None:
        record = make_record("image")
        response = user_api.generic(
            "POST",
            path.format(id=record.pk),
            b"--x\r\n",
            content_type="multipart/form-data",
            headers=bearer(user_api),
        )
        assert_error(response, 400, "bad_request")

    @pytest.mark.parametrize(("method", "path"), [("patch", "/me"), ("post", "/auth/token")])
    def test_a_10_mb_json_body(self, user_api: ApiClient, method: str, path: str) -> None:
        response = user_api.call(method, path, {"bio": "x" * (10 * 1024 * 1024)})
        assert_error(response, 413, "request_too_large")

    def test_deeply_nested_sources_in_a_form(self, user_api: ApiClient) -> None:
        # ~10,000 levels overflow json.loads (RecursionError); fewer are refused by depth.
        for depth in (9_999, 100):
            response = user_api.post(
                "/api/v1/records",
                {"kind": "text", "title": "t", "body": "x", "sources": "[" * depth + "]" * depth},
                headers=bearer(user_api),
            )
            assert_error(response, 400, "invalid_sources")
        assert not Record.objects.exists()

    @pytest.mark.parametrize("depth", [100, 100_000])
    def test_deeply_nested_sources_in_json(self, user_api, make_record, depth: int) -> None:
        record = make_record("text")
        deep = "[" * depth + "]" * depth
        response = user_api.call(
            "patch", f"/records/{record.pk}", raw=b'{"sources": %s}' % deep.encode()
        )
        assert_error(response, 400, "too_deep")

    def test_405_is_json_like_every_api_error(self, user_api: ApiClient) -> None:
        response = user_api.call("put", "/me")
        assert_error(response, 405, "method_not_allowed")
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH", "DELETE"}

    @pytest.mark.parametrize("raw", [b"[]", b"null", b'"a string"', b"42"])
    def test_a_json_body_that_is_not_an_object(self, user_api: ApiClient, user, raw) -> None:
        response = user_api.call("patch", "/me", raw=raw)
        assert_error(response, 422, "invalid")
        response = user_api.call("post", "/auth/token", raw=raw)
        assert_error(response, 422, "invalid")

    @pytest.mark.parametrize(
        "content_type",
        ["multipart/form-data; boundary=BoUnDaRy", "application/x-www-form-urlencoded"],
    )
    def test_a_page_gets_a_page_for_a_too_large_form(self, user: User, content_type) -> None:
        data = {"username": "x" * (3 * 1024 * 1024), "password": "p"}
        if content_type.startswith("multipart"):
            response = Client().post("/accounts/log-in/", data)
        else:
            response = Client().post(
                "/accounts/log-in/", "&".join(f"{k}={v}" for k, v in data.items()), content_type
            )
        assert response.status_code == 413
        assert response["Content-Type"].startswith("text/html")

    def test_an_id_past_64_bits(self, user_api: ApiClient) -> None:
        # Found by test_schemathesis.py: OverflowError in SQLite's driver.
        response = user_api.call("post", "/notifications/read", {"ids": [2**64]})
        assert_error(response, 422, "invalid")

    def test_an_avatar_upload_still_works(self, user_api: ApiClient) -> None:
        response = user_api.post(
            "/api/v1/me/avatar",
            {"file": SimpleUploadedFile("me.png", samples.png())},
            headers=bearer(user_api),
        )
        assert response.status_code == 200, response.content
