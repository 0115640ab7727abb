import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from riffhouse.core.errors import ApplicationError
from riffhouse.records import processing, services
from riffhouse.records.models import ProcessingStatus, Record, RecordVersion
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT) / "records"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class TestCreate:
    def test_text_keeps_line_breaks_and_counts_words(self, make_record) -> None:
        record = make_record("text", tags="Harbour, night ,#poem")
        record.refresh_from_db()
        version = record.live_version
        assert version.status == ProcessingStatus.READY
        assert "Moon over the harbour,<br" in version.body_html
        assert version.metadata["word_count"] == 8
        assert record.published_at is not None
        assert sorted(t.name for t in record.tags.all()) == ["harbour", "night", "poem"]

    def test_image_keeps_the_original_and_makes_renditions(self, make_record) -> None:
        record = make_record("image", upload=upload(samples.png((900, 600)), "../../etc/x.png"))
        version = RecordVersion.objects.get(record=record)
        assert version.original == f"records/{record.pk}/{version.key}/original"
        assert version.original_name == "x.png"
        with default_storage.open(version.original) as handle:
            assert handle.read() == samples.png((900, 600))
        labels = set(version.renditions.values_list("label", flat=True))
        assert {"w320.webp", "w640.webp", "w320.jpg", "w640.jpg"} <= labels
        assert not any(label.startswith("w1280") for label in labels)  # never upscaled
        assert version.metadata["dominant_color"].startswith("#")

    def test_audio_gets_a_web_rendition_and_peaks(self, make_record) -> None:
        version = make_record("audio").live_version
        rendition = version.renditions.get(label="audio.m4a")
        assert rendition.mime == "audio/mp4"
        assert 0.9 < version.metadata["duration"] < 1.1
        assert len(version.metadata["peaks"]) > 10

    def test_video_gets_a_poster_and_a_web_rendition(self, make_record) -> None:
        version = make_record("video").live_version
        assert set(version.renditions.values_list("label", flat=True)) == {
            "poster.jpg",
            "video.mp4",
        }
        with default_storage.open(version.renditions.get(label="poster.jpg").path) as handle:
            assert Image.open(handle).size == (160, 120)

    def test_the_file_name_does_not_decide_the_kind(self, make_record) -> None:
        record = make_record("image", upload=upload(samples.png(), "song.mp3"))
        assert record.live_version.mime == "image/png"


class TestBadInput:
    @pytest.mark.parametrize(
        ("kind", "data", "code"),
        [
            ("image", b"", "empty_file"),
            ("image", samples.png()[:50], "corrupt"),
            (
                "image",
                b"<svg xmlns='http://www.w3.org/2000/svg'><script>x()</script></svg>",
                "unsupported_format",
            ),
            ("video", samples.mp4()[:3000], "corrupt"),
            ("audio", b"RIFF\x00\x00\x00\x00WAVEjunk", "corrupt"),
            ("audio", samples.png(), "wrong_kind"),
            ("video", samples.wav(), "wrong_kind"),
            ("text", b"caf\xe9 au lait", "invalid_text"),
        ],
        ids=[
            "empty",
            "truncated-png",
            "svg",
            "truncated-mp4",
            "corrupt-wav",
            "png-as-audio",
            "audio-as-video",
            "latin1-text",
        ],
    )
    def test_is_refused_and_nothing_is_saved(self, user, kind, data, code) -> None:
        with pytest.raises(ApplicationError) as err:
            services.record_create(author=user, kind=kind, title="x", upload=upload(data))
        assert err.value.code == code
        assert 400 <= err.value.status < 500
        assert not Record.objects.exists()
        assert stored_files() == []

    def test_a_png_html_polyglot_is_re_encoded_without_its_payload(self, make_record) -> None:
        data = samples.png() + b"<html><script>alert(1)</script></html>"
        version = make_record("image", upload=upload(data)).live_version
        for rendition in version.renditions.all():
            with default_storage.open(rendition.path) as handle:
                assert b"<script>" not in handle.read()

    def test_decompression_bombs_are_refused(self, user, settings) -> None:
        settings.RECORD_MAX_PIXELS = 100 * 100
        with pytest.raises(ApplicationError) as err:
            services.record_create(
                author=user, kind="image", title="x", upload=upload(samples.png((400, 400)))
            )
        assert err.value.code == "too_many_pixels"

    def test_size_limits_per_kind(self, user, settings) -> None:
        settings.RECORD_MAX_BYTES = {**settings.RECORD_MAX_BYTES, "audio": 1000}
        with pytest.raises(ApplicationError) as err:
            services.record_create(
                author=user, kind="audio", title="x", upload=upload(samples.wav())
            )
        assert (err.value.code, err.value.status) == ("file_too_large", 413)

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"title": "x" * 10_000}, "title"),
            ({"title": "   "}, "title"),
            ({"licence": "gpl"}, "licence"),
            ({"remix_policy": "maybe"}, "remix_policy"),
            ({"tags": "ok, <b>"}, "tags"),
            ({"language": "english!"}, "language"),
            ({"kind": "poem"}, "kind"),
            ({"body": ""}, "body"),
        ],
    )
    def test_bad_fields_name_the_field(self, user, fields, field) -> None:
        values = {"author": user, "kind": "text", "title": "Fine", "body": "words"} | fields
        with pytest.raises(ApplicationError) as err:
            services.record_create(**values)
        assert err.value.field == field
        assert not Record.objects.exists()


class TestVersions:
    def test_new_text_makes_a_version_and_the_old_one_stays(self, make_record, user) -> None:
        record = make_record("text")
        services.record_update(actor=user, record=record, body="New words here.")
        record.refresh_from_db()
        assert record.versions.count() == 2
        assert record.live_version.number == 2
        assert record.versions.get(number=1).body.startswith("Moon over")

    def test_a_title_change_reuses_the_processed_files(self, make_record, user) -> None:
        record = make_record("image")
        first = record.live_version
        services.record_update(actor=user, record=record, title="Renamed")
        record.refresh_from_db()
        second = record.live_version
        assert second.number == 2 and second.status == ProcessingStatus.READY
        assert second.original == first.original
        assert set(second.renditions.values_list("path", flat=True)) == set(
            first.renditions.values_list("path", flat=True)
        )

    def test_settings_change_in_place(self, make_record, user) -> None:
        record = make_record("text")
        services.record_update(
            actor=user, record=record, licence="cc-by", tags=["a"], visibility="draft"
        )
        record.refresh_from_db()
        assert (record.licence, record.visibility, record.versions.count()) == ("cc-by", "draft", 1)

    def test_restore_adds_a_version(self, make_record, user) -> None:
        record = make_record("text")
        services.record_update(actor=user, record=record, body="Second thoughts.")
        version = services.record_version_restore(actor=user, record=record, number=1)
        assert (version.number, version.restored_from) == (3, 1)
        assert version.body.startswith("Moon over")
        with pytest.raises(ApplicationError):
            services.record_version_restore(actor=user, record=record, number=99)

    def test_only_the_author_changes_a_record(self, make_record, make_user) -> None:
        record = make_record("text")
        other = make_user()
        for call in (
            lambda: services.record_update(actor=other, record=record, title="Mine now"),
            lambda: services.record_version_restore(actor=other, record=record, number=1),
            lambda: services.record_delete(actor=other, record=record),
        ):
            with pytest.raises(ApplicationError) as err:
                call()
            assert err.value.status == 403
        record.refresh_from_db()
        assert record.title == "A text record" and record.deleted_at is None

    def test_others_see_the_live_version_while_a_new_one_processes(
        self, make_record, user, db_task_backend
    ) -> None:
        record = make_record("image")  # queued, not processed
        version = record.current_version
        assert record.live_version is None
        processing.version_process(version_id=version.pk)
        services.record_update(
            actor=user, record=record, upload=upload(samples.png((300, 200), (10, 200, 10)))
        )
        record.refresh_from_db()
        assert record.current_version.number == 2
        assert record.live_version.number == 1
        processing.version_process(version_id=record.current_version_id)
        record.refresh_from_db()
        assert record.live_version.number == 2


class TestDelete:
    def test_a_draft_loses_its_files(
        self, make_record, user, django_capture_on_commit_callbacks
    ) -> None:
        record = make_record("image", visibility="draft")
        assert stored_files()
        with django_capture_on_commit_callbacks(execute=True):
            services.record_delete(actor=user, record=record)
        record.refresh_from_db()
        assert record.deleted_at is not None
        assert stored_files() == []

    def test_a_published_record_stays_as_a_tombstone(
        self, make_record, user, django_capture_on_commit_callbacks
    ) -> None:
        record = make_record("image")
        with django_capture_on_commit_callbacks(execute=True):
            services.record_delete(actor=user, record=record)
        assert Record.objects.filter(pk=record.pk, deleted_at__isnull=False).exists()
        assert stored_files()


class TestProcessing:
    def test_is_idempotent(self, make_record) -> None:
        version = make_record("image").live_version
        paths = set(version.renditions.values_list("path", flat=True))
        assert processing.version_process(version_id=version.pk) == ProcessingStatus.READY
        assert set(version.renditions.values_list("path", flat=True)) == paths

    def test_an_interrupted_run_is_redone_cleanly(self, make_record, db_task_backend) -> None:
        version = make_record("image").current_version
        assert processing.version_process(version_id=version.pk) == ProcessingStatus.READY
        # A worker died after storing the renditions but before finishing: run it again.
        RecordVersion.objects.filter(pk=version.pk).update(status=ProcessingStatus.PROCESSING)
        assert processing.version_process(version_id=version.pk) == ProcessingStatus.READY
        assert version.renditions.count() == len(
            set(version.renditions.values_list("label", flat=True))
        )

    def test_unexpected_errors_are_retried_with_backoff_then_fail(
        self, make_record, db_task_backend, monkeypatch, settings
    ) -> None:
        version = make_record("image").current_version
        DBTaskResult.objects.all().delete()

        def broken(*args, **kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(processing.sandbox, "renditions_make_isolated", broken)
        assert processing.version_process(version_id=version.pk) == ProcessingStatus.PENDING
        job = DBTaskResult.objects.get()
        assert job.run_after > timezone.now()
        for _ in range(settings.RECORD_PROCESSING_ATTEMPTS - 1):
            processing.version_process(version_id=version.pk)
        version.refresh_from_db()
        assert version.status == ProcessingStatus.FAILED
        assert version.failure_reason == "We could not process this file. Try uploading it again."

    def test_several_versions_side_by_side_each_end_as_alone(
        self, make_record, db_task_backend
    ) -> None:
        """The demo's batch: every version ready (or failed with its reason) as one run each
        would leave it, statuses in the order asked."""
        image, text = make_record("image"), make_record("text")
        out = io.BytesIO()
        Image.new("RGB", (400, 300), (20, 90, 200)).save(out, format="JPEG")
        damaged = out.getvalue()[: len(out.getvalue()) // 2]  # fails in the job, not before
        broken = make_record("image", upload=upload(damaged, "half.jpg"))
        ids = [image.current_version_id, broken.current_version_id, text.current_version_id]
        assert processing.versions_process(version_ids=ids, side_by_side=2) == [
            ProcessingStatus.READY,
            ProcessingStatus.FAILED,
            ProcessingStatus.READY,
        ]
        image.refresh_from_db()
        text.refresh_from_db()
        assert image.live_version_id == ids[0] and text.live_version_id == ids[2]
        assert {r.label for r in image.live_version.renditions.all()} >= {"w320.webp"}
        assert text.live_version.body_html
        assert "damaged" in RecordVersion.objects.get(pk=ids[1]).failure_reason
        # Already done: nothing to do, the same answers.
        assert processing.versions_process(version_ids=ids, side_by_side=2)[::2] == [
            ProcessingStatus.READY,
            ProcessingStatus.READY,
        ]

    def test_a_job_over_its_time_limit_fails_with_a_reason(self, make_record, settings) -> None:
        settings.RECORD_PROCESSING_JOB_SECONDS = 0.001
        version = make_record("video").current_version
        assert version.status == ProcessingStatus.FAILED
        assert "took too long" in version.failure_reason

    def test_a_job_over_its_memory_limit_fails_with_a_reason(self, make_record, settings) -> None:
        settings.RECORD_PROCESSING_MEMORY_MB = 64
        version = make_record("image", upload=upload(samples.png((3000, 3000)))).current_version
        assert version.status == ProcessingStatus.FAILED
        assert version.failure_reason == (
            "This file needs more memory to process than Riffhouse allows."
        )

    def test_the_sweeper_fails_versions_stuck_in_processing(self, make_record) -> None:
        version = make_record("text").live_version
        RecordVersion.objects.filter(pk=version.pk).update(
            status=ProcessingStatus.PROCESSING,
            processing_started_at=timezone.now() - timedelta(hours=3),
        )
        assert processing.versions_sweep() == 1
        version.refresh_from_db()
        assert version.status == ProcessingStatus.FAILED
        assert "took too long" in version.failure_reason
