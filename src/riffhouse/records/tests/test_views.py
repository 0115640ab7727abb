import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riffhouse.records.models import Record
from riffhouse.records.tests import samples

pytestmark = pytest.mark.django_db


def file_url(record, label: str) -> str:
    version = record.live_version or record.current_version
    return reverse("records:file", args=[record.pk, version.key, label])


class TestBrowse:
    def test_lists_are_bounded_in_queries(
        self, client: Client, make_record, django_assert_num_queries
    ) -> None:
        for i in range(3):
            make_record("text", title=f"Poem {i}", tags="sea")
        make_record("image", title="Harbour at dusk")
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("records:list"))
        for i in range(12):
            make_record("text", title=f"More {i}", tags="sea, night")
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(reverse("records:list"))
        assert response.status_code == 200
        assert "More 11" in response.content.decode()

    def test_filters_by_kind_tag_and_author(self, client: Client, make_record, make_user) -> None:
        make_record("text", title="A poem", tags="sea")
        make_record("image", title="A picture", tags="sky")
        make_record("text", title="Someone else's", author=make_user("sable"))
        body = client.get(reverse("records:list") + "?kind=image").content.decode()
        assert "A picture" in body and "A poem" not in body
        body = client.get(reverse("records:list") + "?tag=sea").content.decode()
        assert "A poem" in body and "A picture" not in body
        body = client.get(reverse("records:list") + "?author=sable").content.decode()
        assert "Someone else" in body and "A poem" not in body

    def test_cursor_pages_never_repeat(self, client: Client, make_record) -> None:
        titles = [make_record("text", title=f"Poem {i:02}").title for i in range(30)]
        first = client.get(reverse("records:list"))
        cursor = first.context["page"].next_cursor
        second = client.get(reverse("records:list") + f"?cursor={cursor}")
        ids = first.context["page"].ids + second.context["page"].ids
        assert len(set(ids)) == len(ids) == 30
        seen = [Record.objects.get(pk=pk).title for pk in ids]
        assert sorted(seen) == sorted(titles)
        assert client.get(reverse("records:list") + "?cursor=garbage!").status_code == 400

    def test_drafts_and_deleted_records_stay_out(self, client: Client, make_record, user) -> None:
        make_record("text", title="Secret draft", visibility="draft")
        body = client.get(reverse("records:list")).content.decode()
        assert "Secret draft" not in body


class TestRecordPage:
    @pytest.mark.parametrize(
        ("kind", "marker"),
        [
            ("text", "record-text"),
            ("image", "<picture>"),
            ("audio", "data-peaks"),
            ("video", "<video"),
        ],
    )
    def test_shows_the_right_viewer(
        self, client: Client, make_record, kind, marker, django_assert_max_num_queries
    ) -> None:
        record = make_record(kind)
        # 8, and for music one more: its first image source's art (none here).
        # One of them reads the generations the page is then cached under (decision 0040).
        with django_assert_max_num_queries(9 if kind == "audio" else 8):
            response = client.get(record.get_absolute_url())
        assert response.status_code == 200
        assert marker in response.content.decode()

    def test_a_draft_is_only_for_its_author(self, client: Client, make_record, user) -> None:
        record = make_record("image", visibility="draft")
        assert client.get(record.get_absolute_url()).status_code == 404
        assert client.get(file_url(record, "w320.webp")).status_code == 404
        client.force_login(user)
        assert client.get(record.get_absolute_url()).status_code == 200
        response = client.get(file_url(record, "w320.webp"))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"

    def test_a_deleted_record_is_a_tombstone(self, client: Client, make_record, user) -> None:
        record = make_record("text")
        client.force_login(user)
        client.post(reverse("records:delete", args=[record.pk]))
        response = Client().get(record.get_absolute_url())
        assert response.status_code == 410
        assert "removed by its author" in response.content.decode()


class TestFiles:
    def test_range_requests_for_seeking(self, client: Client, make_record) -> None:
        record = make_record("video")
        url = file_url(record, "video.mp4")
        whole = b"".join(client.get(url).streaming_content)
        response = client.get(url, headers={"Range": "bytes=100-199"})
        assert response.status_code == 206
        assert response["Content-Range"] == f"bytes 100-199/{len(whole)}"
        assert b"".join(response.streaming_content) == whole[100:200]
        tail = client.get(url, headers={"Range": "bytes=-10"})
        assert b"".join(tail.streaming_content) == whole[-10:]
        assert client.get(url, headers={"Range": f"bytes={len(whole)}-"}).status_code == 416

    def test_a_file_missing_from_storage_is_not_found_not_a_crash(
        self, client: Client, make_record, caplog
    ) -> None:
        from django.core.files.storage import default_storage

        record = make_record("image")
        rendition = record.live_version.renditions.get(label="w320.webp")
        default_storage.delete(rendition.path)
        response = client.get(file_url(record, "w320.webp"))
        assert response.status_code == 404
        assert "missing from storage" in caplog.text

    def test_public_renditions_are_cached_and_not_sniffed(
        self, client: Client, make_record
    ) -> None:
        response = client.get(file_url(make_record("image"), "w320.webp"))
        assert response["Content-Type"] == "image/webp"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["Content-Disposition"].startswith("inline")

    def test_the_original_is_for_its_author_only(self, client: Client, make_record, user) -> None:
        record = make_record("image")
        assert client.get(file_url(record, "original")).status_code == 404
        client.force_login(user)
        response = client.get(file_url(record, "original"))
        assert b"".join(response.streaming_content) == samples.png()
        # Private even though the record is public: it is the author's file, GPS and all.
        assert response["Cache-Control"] == "private, no-store"

    def test_file_urls_honour_the_apis_bearer_token(self, user_api, api, make_user) -> None:
        """The API lists the original's URL to its author; a client holding only the token
        (no session) can fetch it, and another member's token cannot."""
        from riffhouse.accounts import services as accounts

        record = user_api.post(
            "/api/v1/records",
            {"kind": "image", "title": "Dusk", "file": SimpleUploadedFile("d.png", samples.png())},
            headers={"Authorization": f"Bearer {user_api.token}"},
        ).json()
        url = next(f["url"] for f in record["version"]["files"] if f["label"] == "original")
        bearer = {"Authorization": f"Bearer {user_api.token}"}
        response = api.get(url, headers=bearer)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == samples.png()
        assert response["Cache-Control"] == "private, no-store"
        assert api.get(url).status_code == 404
        other = accounts.api_token_create(user=make_user("sable"), name="t").raw
        assert api.get(url, headers={"Authorization": f"Bearer {other}"}).status_code == 404
        refused = api.get(url, headers={"Authorization": "Bearer not-a-token"})
        assert refused.status_code == 401

    def test_a_hostile_file_name_cannot_break_the_headers(
        self, client: Client, make_record, user
    ) -> None:
        from riffhouse.records.tests.conftest import upload

        record = make_record("image", upload=upload(samples.png(), 'x"\r\nSet-Cookie: a=b.png'))
        client.force_login(user)
        response = client.get(file_url(record, "original"))
        assert response.status_code == 200
        assert "\n" not in response["Content-Disposition"]
        assert not response.cookies

    def test_unknown_files_are_not_found(self, client: Client, make_record) -> None:
        record = make_record("image")
        base = file_url(record, "w320.webp").rsplit("/", 1)[0]
        assert client.get(base + "/..%2F..%2Fsecret_key").status_code == 404
        assert client.get(file_url(record, "w9999.webp")).status_code == 404


class TestUploadPage:
    def test_upload_a_poem(self, client: Client, user) -> None:
        client.force_login(user)
        response = client.post(
            reverse("records:new"),
            {
                "title": "Tide",
                "body": "In, out,\nin.",
                "tags": "sea",
                "licence": "cc-by",
                "remix_policy": "ask",
                "visibility": "published",
            },
        )
        record = Record.objects.get()
        assert response["Location"] == record.get_absolute_url()
        assert (record.kind, record.remix_policy) == ("text", "ask")

    def test_upload_a_picture_recognised_by_content(self, client: Client, user) -> None:
        client.force_login(user)
        client.post(
            reverse("records:new"),
            {
                "title": "Dusk",
                "file": SimpleUploadedFile("dusk.mp3", samples.png(), "audio/mpeg"),
                "licence": "riffhouse",
                "remix_policy": "open",
                "visibility": "published",
            },
        )
        assert Record.objects.get().kind == "image"

    def test_a_bad_file_is_a_form_error(self, client: Client, user) -> None:
        client.force_login(user)
        response = client.post(
            reverse("records:new"),
            {
                "title": "Broken",
                "file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nnope"),
                "licence": "riffhouse",
                "remix_policy": "open",
                "visibility": "published",
            },
        )
        assert response.status_code == 400
        assert response.context["form"].errors["file"]
        assert not Record.objects.exists()

    def test_oversized_uploads_are_refused_before_reading(self, client: Client, user) -> None:
        client.force_login(user)
        response = client.post(
            reverse("records:new"),
            data=b"x",
            content_type="text/plain",
            CONTENT_LENGTH=str(10 * 1024**4),
        )
        assert response.status_code == 413

    def test_a_client_that_disconnects_mid_upload_saves_nothing(self, client: Client, user) -> None:
        client.force_login(user)
        boundary = "BoUnDaRy"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nCut\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="a.png"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        body += samples.png()[:40]  # ... and the connection drops: no closing boundary
        response = client.post(
            reverse("records:new"),
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        assert response.status_code == 400
        assert not Record.objects.exists()

    def test_edit_history_and_restore(self, client: Client, make_record, user) -> None:
        record = make_record("text")
        client.force_login(user)
        client.post(
            reverse("records:edit", args=[record.pk]),
            {
                "title": "Renamed",
                "body": "Fresh lines.",
                "licence": "riffhouse",
                "remix_policy": "open",
                "visibility": "published",
            },
        )
        history = client.get(reverse("records:history", args=[record.pk])).content.decode()
        assert "Version 2" in history and "Version 1" in history
        client.post(reverse("records:restore", args=[record.pk, 1]))
        record.refresh_from_db()
        assert record.current_version.body.startswith("Moon over")

    def test_others_cannot_edit(self, client: Client, make_record, make_user) -> None:
        record = make_record("text")
        client.force_login(make_user())
        assert client.get(reverse("records:edit", args=[record.pk])).status_code == 404
        response = client.post(reverse("records:delete", args=[record.pk]))
        assert response.status_code == 403
