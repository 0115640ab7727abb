import pytest
from conftest import ApiClient
from django.core.files.uploadedfile import SimpleUploadedFile

from riffhouse.accounts import services as accounts
from riffhouse.records.models import Record
from riffhouse.records.tests import samples

pytestmark = pytest.mark.django_db


def post_record(client: ApiClient, data: dict, file: bytes | None = None, name: str = "f"):
    if file is not None:
        data = {**data, "file": SimpleUploadedFile(name, file)}
    return client.post(
        "/api/v1/records",
        data,
        headers={"Authorization": f"Bearer {client.token}"} if client.token else {},
    )


@pytest.fixture
def other_api(make_user) -> ApiClient:
    return ApiClient(token=accounts.api_token_create(user=make_user("sable"), name="t").raw)


class TestCreate:
    def test_text(self, user_api: ApiClient) -> None:
        response = post_record(
            user_api,
            {"kind": "text", "title": "Tide", "tags": "sea, moon", "body": "In, out,\nin."},
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["version"]["status"] == "ready"
        assert "<br" in body["version"]["body_html"]
        assert body["tags"] == ["sea", "moon"]
        assert body["author"]["username"] == "orion"

    def test_image_lists_its_files_and_original_for_the_author(self, user_api: ApiClient) -> None:
        body = post_record(
            user_api, {"kind": "image", "title": "Dusk"}, samples.png(), "d.png"
        ).json()
        labels = {f["label"] for f in body["version"]["files"]}
        assert {"w320.webp", "w320.jpg", "original"} <= labels
        public = ApiClient().call("get", f"/records/{body['id']}").json()
        assert "original" not in {f["label"] for f in public["version"]["files"]}

    @pytest.mark.parametrize(
        ("data", "file", "status", "code"),
        [
            ({"kind": "image", "title": "x"}, b"\x00\x01 not an image", 400, "unsupported_format"),
            ({"kind": "image", "title": "x"}, b"a poem, not an image", 400, "wrong_kind"),
            ({"kind": "audio", "title": "x"}, samples.png(), 400, "wrong_kind"),
            ({"kind": "image", "title": "x" * 10_000}, samples.png(), 422, "invalid"),
            ({"kind": "text", "title": "x"}, b"\xff\xfe\x00bad", 400, "invalid_text"),
            ({"kind": "sculpture", "title": "x", "body": "hi"}, None, 400, "invalid_kind"),
            ({"title": "x", "body": "hi"}, None, 422, "invalid"),
        ],
    )
    def test_bad_input_is_a_clear_4xx(self, user_api, data, file, status, code) -> None:
        response = post_record(user_api, data, file)
        assert response.status_code == status, response.content
        assert response.json()["code"] == code
        assert not Record.objects.exists()

    @pytest.mark.parametrize(
        ("kind", "file", "detail"),
        [
            (
                "image",
                b"In, out,\nin.",
                "This is a text file, not a picture: send its text as `body` with kind “text”.",
            ),
            ("video", samples.png(), "This is a picture, not a film or animation: send it with "
             "kind “image”."),
            ("text", samples.wav(0.5), "This is a song or sound, not a text file: send it with "
             "kind “audio”."),
        ],
    )  # fmt: skip
    def test_a_file_of_another_kind_names_the_kind_to_send(
        self, user_api, kind, file, detail
    ) -> None:
        response = post_record(user_api, {"kind": kind, "title": "x"}, file)
        assert response.status_code == 400
        assert response.json() == {"detail": detail, "code": "wrong_kind", "field": "file"}
        assert not Record.objects.exists()

    def test_a_new_version_keeps_the_kind(self, user_api, make_record) -> None:
        record = make_record("image")
        response = user_api.post(
            f"/api/v1/records/{record.pk}/versions",
            {"file": SimpleUploadedFile("a.wav", samples.wav(0.5))},
            headers={"Authorization": f"Bearer {user_api.token}"},
        )
        assert response.status_code == 400
        assert response.json()["code"] == "wrong_kind"
        assert "a new version of this record must be a picture too" in response.json()["detail"]

    def test_needs_authentication(self, api: ApiClient) -> None:
        response = post_record(api, {"kind": "text", "title": "x", "body": "y"})
        assert response.status_code == 401


class TestReadEditDelete:
    def test_list_and_filters(self, api: ApiClient, make_record) -> None:
        make_record("text", title="Poem", tags="sea")
        make_record("image", title="Picture")
        body = api.call("get", "/records?kind=image").json()
        assert [r["title"] for r in body["items"]] == ["Picture"]
        assert api.call("get", "/records?kind=poem").json()["code"] == "invalid_kind"
        assert api.call("get", "/records?cursor=%%%").status_code == 400

    def test_patch_makes_a_version_and_only_the_author_may(
        self, user_api, other_api, make_record
    ) -> None:
        record = make_record("text")
        response = user_api.call("patch", f"/records/{record.pk}", {"body": "New words."})
        assert response.json()["version"]["number"] == 2
        denied = other_api.call("patch", f"/records/{record.pk}", {"title": "Mine"})
        assert (denied.status_code, denied.json()["code"]) == (403, "permission_denied")
        versions = user_api.call("get", f"/records/{record.pk}/versions").json()
        assert [v["number"] for v in versions] == [2, 1]
        restored = user_api.call("post", f"/records/{record.pk}/versions/1/restore")
        assert restored.json()["version"]["restored_from"] == 1

    def test_a_new_file_version(self, user_api: ApiClient, make_record) -> None:
        record = make_record("image")
        response = user_api.post(
            f"/api/v1/records/{record.pk}/versions",
            {"file": SimpleUploadedFile("b.png", samples.png((80, 80), (0, 0, 255)))},
            headers={"Authorization": f"Bearer {user_api.token}"},
        )
        assert response.status_code == 201
        assert response.json()["version"]["number"] == 2

    def test_drafts_are_hidden_from_others(self, api, user_api, make_record) -> None:
        record = make_record("text", visibility="draft")
        assert api.call("get", f"/records/{record.pk}").status_code == 404
        assert user_api.call("get", f"/records/{record.pk}").status_code == 200

    def test_delete_leaves_a_tombstone(self, api, user_api, other_api, make_record) -> None:
        record = make_record("text")
        assert other_api.call("delete", f"/records/{record.pk}").status_code == 403
        assert user_api.call("delete", f"/records/{record.pk}").status_code == 204
        gone = api.call("get", f"/records/{record.pk}")
        assert (gone.status_code, gone.json()["code"]) == (410, "deleted")
        assert user_api.call("delete", f"/records/{record.pk}").status_code == 410
