"""Music looks like music: a cover for every track (its author's, its image source's, or one
drawn from its waveform), on the card, the record page and in the API."""

import io

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from riffhouse.records import media, services
from riffhouse.records.hooks import SourceSpec
from riffhouse.records.models import Cover, ProcessingStatus, Record, Rendition
from riffhouse.records.processing import GENERATED_COVER
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = pytest.mark.django_db


def _pixels(path: str) -> np.ndarray:
    with default_storage.open(path) as handle:
        return np.asarray(Image.open(io.BytesIO(handle.read())).convert("RGB"), dtype=np.int16)


def _generated(record: Record) -> Rendition:
    assert record.live_version is not None
    return record.live_version.renditions.get(label=GENERATED_COVER)


def _jpeg_with_exif(colour: tuple[int, int, int] = (30, 140, 200)) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "gps-leaking-editor"  # Software
    Image.new("RGB", (900, 700), colour).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


class TestGeneratedCover:
    def test_processing_draws_a_cover_from_the_waveform(self, make_record) -> None:
        record = make_record("audio")
        cover = _generated(record)
        assert (cover.mime, cover.width, cover.height) == ("image/webp", 640, 640)
        pixels = _pixels(cover.path)
        assert pixels.std() > 10  # a picture, not a flat fill

    def test_two_tracks_get_different_covers(self, make_record) -> None:
        first = _pixels(_generated(make_record("audio", title="One")).path)
        second = _pixels(_generated(make_record("audio", title="Two")).path)
        assert np.abs(first - second).mean() > 10

    def test_the_waveform_shapes_the_cover(self, tmp_path) -> None:
        flat = media.generated_cover([0.1] * 200, seed="same", out=tmp_path / "a.webp")
        loud = media.generated_cover(
            [abs(np.sin(i / 9)) for i in range(200)], seed="same", out=tmp_path / "b.webp"
        )
        a = np.asarray(Image.open(flat.path).convert("L"), dtype=np.int16)
        b = np.asarray(Image.open(loud.path).convert("L"), dtype=np.int16)
        assert np.abs(a - b).mean() > 2

    def test_the_command_gives_older_tracks_a_cover(self, make_record) -> None:
        record = make_record("audio")
        old = _generated(record)
        old.delete()  # as processed before covers existed
        call_command("records_covers", verbosity=0)  # jobs run inline in tests
        assert _generated(record).width == 640
        call_command("records_covers", verbosity=0)  # twice is harmless
        assert record.live_version.renditions.filter(label=GENERATED_COVER).count() == 1


class TestAuthorCover:
    def test_an_uploaded_cover_is_resized_webp_without_its_metadata(
        self, make_record, user
    ) -> None:
        record = make_record("audio")
        cover = services.record_cover_set(
            actor=user, record=record, upload=upload(_jpeg_with_exif(), "cover.jpg")
        )
        cover.refresh_from_db()
        assert cover.status == ProcessingStatus.READY
        with default_storage.open(cover.path) as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "WEBP" and image.size == (640, 498)
        assert b"SecretCam" not in data and not image.getexif()
        record.refresh_from_db()
        assert record.cover_id == cover.pk

    def test_a_new_version_keeps_the_cover_and_a_new_cover_replaces_the_old(
        self, make_record, user
    ) -> None:
        record = make_record("audio", cover=upload(samples.png((300, 300)), "c.png"))
        first = record.cover
        assert first is not None and first.status == ProcessingStatus.READY
        services.record_update(actor=user, record=record, upload=upload(samples.wav(0.6)))
        record.refresh_from_db()
        assert record.cover_id == first.pk and record.live_version.number == 2
        services.record_cover_set(actor=user, record=record, upload=upload(samples.png()))
        record.refresh_from_db()
        assert record.cover_id != first.pk
        assert not Cover.objects.filter(pk=first.pk).exists()
        assert not default_storage.exists(first.path)

    def test_a_cover_removed_before_its_job_runs_never_shows(
        self, make_record, user, django_capture_on_commit_callbacks
    ) -> None:
        from unittest import mock

        from riffhouse.records.processing import cover_process

        record = make_record("audio")
        with mock.patch("riffhouse.records.tasks.cover_process_task"):  # the job waits
            cover = services.record_cover_set(
                actor=user, record=record, upload=upload(samples.png())
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.record_update(actor=user, record=record, remove_cover=True)
        assert cover_process(cover_id=cover.pk) == "missing"
        record.refresh_from_db()
        assert record.cover_id is None and not default_storage.exists(cover.original)

    def test_a_cover_must_be_a_picture(self, make_record, user) -> None:
        from riffhouse.core.errors import ApplicationError

        record = make_record("audio")
        with pytest.raises(ApplicationError) as caught:
            services.record_cover_set(actor=user, record=record, upload=upload(samples.wav()))
        assert caught.value.field == "cover"

    def test_only_music_takes_a_cover(self, make_record, user) -> None:
        from riffhouse.core.errors import ApplicationError

        with pytest.raises(ApplicationError):
            make_record("image", cover=upload(samples.png()))
        assert not Record.objects.filter(kind="image").exists()  # nothing half-made

    def test_only_its_author_sets_it(self, make_record, make_user) -> None:
        from riffhouse.core.errors import PermissionDenied

        record = make_record("audio")
        with pytest.raises(PermissionDenied):
            services.record_cover_set(
                actor=make_user("stranger"), record=record, upload=upload(samples.png())
            )


class TestWhichCoverShows:
    def test_author_cover_wins_over_source_art_over_generated(
        self, client: Client, make_record, user
    ) -> None:
        from django.contrib.auth.models import AnonymousUser

        from riffhouse.records.selectors import record_feed

        art = make_record("image", title="Harbour at dusk")
        plain = make_record("audio", title="Plain tune")
        remix = make_record("audio", title="Song for the harbour", sources=[SourceSpec(art.pk)])
        own = make_record(
            "audio",
            title="Own cover",
            sources=[SourceSpec(art.pk)],
            cover=upload(samples.png((200, 200)), "c.png"),
        )
        items = {r.pk: r for r in record_feed(viewer=AnonymousUser(), kind="audio").items}
        assert items[plain.pk].cover_art.origin == "generated"
        assert items[remix.pk].cover_art.origin == "source"
        assert art.live_version.key.hex in items[remix.pk].cover_art.url.replace("-", "")
        assert items[own.pk].cover_art.origin == "author"

        body = client.get(reverse("records:list")).content.decode()
        assert items[own.pk].cover_art.url in body
        assert items[remix.pk].cover_art.url in body
        assert client.get(items[own.pk].cover_art.url).status_code == 200
        page = client.get(remix.get_absolute_url()).content.decode()
        assert 'class="audio-cover"' in page and items[remix.pk].cover_art.url in page

    def test_a_source_made_private_no_longer_lends_its_art(self, make_record, user) -> None:
        from django.contrib.auth.models import AnonymousUser

        from riffhouse.records.selectors import record_feed

        art = make_record("image")
        remix = make_record("audio", sources=[SourceSpec(art.pk)])
        services.record_update(actor=user, record=art, visibility="draft")
        items = {r.pk: r for r in record_feed(viewer=AnonymousUser()).items}
        assert items[remix.pk].cover_art.origin == "generated"


class TestCards:
    def test_an_audio_card_shows_its_cover_and_a_play_button(
        self, client: Client, make_record
    ) -> None:
        record = make_record("audio", title="Low tide")
        body = client.get(reverse("records:list")).content.decode()
        cover = reverse("records:file", args=[record.pk, record.live_version.key, GENERATED_COVER])
        assert f'src="{cover}"' in body
        assert 'aria-label="Play “Low tide”"' in body
        assert "data-card-play" in body and " hidden " in body  # shown by records.js only

    def test_browse_with_music_is_bounded_in_queries(
        self, client: Client, make_record, django_assert_max_num_queries
    ) -> None:
        art = make_record("image")
        for i in range(2):
            make_record("audio", title=f"Tune {i}", sources=[SourceSpec(art.pk)])
            make_record("audio", title=f"Plain {i}")
        make_record("audio", title="Covered", cover=upload(samples.png(), "c.png"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(reverse("records:list"))
        for i in range(3):
            make_record("audio", title=f"More {i}", sources=[SourceSpec(art.pk)])
            make_record("audio", title=f"Other {i}", cover=upload(samples.png(), "c.png"))
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(reverse("records:list"))
        assert response.content.decode().count("data-card-play") == 11


def _post(client, path: str, data: dict):
    return client.post(path, data, headers={"Authorization": f"Bearer {client.token}"})


class TestApi:
    def test_the_api_takes_and_gives_the_cover(self, user_api) -> None:
        response = _post(
            user_api,
            "/api/v1/records",
            {
                "kind": "audio",
                "title": "By API",
                "file": SimpleUploadedFile("a.wav", samples.wav(0.5)),
            },
        )
        assert response.status_code == 201, response.json()
        record_id = response.json()["id"]
        assert response.json()["cover"]["origin"] == "generated"
        response = _post(
            user_api,
            f"/api/v1/records/{record_id}/cover",
            {"file": SimpleUploadedFile("c.png", samples.png())},
        )
        assert response.status_code == 202, response.json()
        cover = response.json()["cover"]
        assert cover["origin"] == "author" and ".webp" in cover["url"]
        listed = user_api.call("get", "/records?kind=audio").json()["items"][0]
        assert listed["cover"] == cover
        bad = _post(
            user_api,
            f"/api/v1/records/{record_id}/cover",
            {"file": SimpleUploadedFile("c.png", b"not a picture at all")},
        )
        assert bad.status_code == 400 and bad.json()["code"] == "unsupported_format"
        assert user_api.call("delete", f"/records/{record_id}/cover").status_code == 204
        again = user_api.call("get", f"/records/{record_id}").json()
        assert again["cover"]["origin"] == "generated"

    def test_a_cover_comes_with_a_new_record(self, user_api) -> None:
        response = _post(
            user_api,
            "/api/v1/records",
            {
                "kind": "audio",
                "title": "With art",
                "file": SimpleUploadedFile("a.wav", samples.wav(0.5)),
                "cover": SimpleUploadedFile("c.png", samples.png()),
            },
        )
        assert response.status_code == 201, response.json()
        assert response.json()["cover"]["origin"] == "author"
