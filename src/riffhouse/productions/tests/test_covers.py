"""A production's cover: processed like an image record's (a WebP through records' image
sandbox, no metadata kept), served to whoever may see the production, kept in its history."""

import io
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.productions import covers
from riffhouse.productions.models import Production, ProductionCover, ProductionRevision
from riffhouse.productions.tests.scenes import release_now
from riffhouse.records import media
from riffhouse.records.models import ProcessingStatus
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload


def _jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    Image.new("RGB", (900, 700), (30, 140, 200)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_cover_becomes_a_webp_without_its_metadata(
    production: Production, producer: User
) -> None:
    cover = covers.production_cover_set(
        actor=producer, production=production, upload=upload(_jpeg_with_exif(), "c.jpg")
    )
    cover.refresh_from_db()  # the job runs inline in tests
    assert cover.status == ProcessingStatus.READY
    with default_storage.open(cover.path) as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP" and image.size == (640, 498)
    assert b"SecretCam" not in data
    production.refresh_from_db()
    assert production.cover_id == cover.pk
    revision = ProductionRevision.objects.filter(production=production).latest("pk")
    assert revision.changed == ["cover"] and revision.editor == producer
    assert revision.cover_id == cover.pk


def test_the_cover_is_served_to_whoever_sees_the_production(
    client: Client, make_production: Callable[..., Production], producer: User
) -> None:
    draft = make_production()
    cover = covers.production_cover_set(
        actor=producer, production=draft, upload=upload(samples.png((300, 200)))
    )
    draft.refresh_from_db()
    url = covers.cover_url(production=draft)
    assert url == f"/productions/{draft.pk}/covers/{cover.key}.webp"
    assert client.get(url).status_code == 404  # a draft's cover is its producers' only
    client.force_login(producer)
    private = client.get(url)
    assert private.status_code == 200 and private["Content-Type"] == "image/webp"
    assert "no-store" in private["Cache-Control"]
    client.logout()
    draft.status = "open"
    draft.save(update_fields=["status"])
    public = client.get(url)
    assert public.status_code == 200 and "public" in public["Cache-Control"]
    assert f'src="{url}"' in client.get(f"/productions/{draft.pk}/").content.decode()
    assert (
        client.get(f"/productions/{draft.pk}/covers/{ProductionCover().key}.webp").status_code
        == 404
    )


def test_a_new_cover_replaces_the_old_and_its_files(production: Production, producer: User) -> None:
    first = covers.production_cover_set(
        actor=producer, production=production, upload=upload(samples.png())
    )
    first.refresh_from_db()
    second = covers.production_cover_set(
        actor=producer, production=production, upload=upload(samples.png(colour=(0, 90, 0)))
    )
    production.refresh_from_db()
    assert production.cover_id == second.pk
    assert not ProductionCover.objects.filter(pk=first.pk).exists()
    assert not default_storage.exists(first.path) and not default_storage.exists(first.original)


def test_removing_the_cover(
    production: Production, producer: User, django_capture_on_commit_callbacks: Any
) -> None:
    cover = covers.production_cover_set(
        actor=producer, production=production, upload=upload(samples.png())
    )
    cover.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        covers.production_cover_remove(actor=producer, production=production)
    production.refresh_from_db()
    assert production.cover_id is None and not default_storage.exists(cover.path)
    latest = ProductionRevision.objects.filter(production=production).latest("pk")
    assert latest.changed == ["cover"] and latest.cover_id is None


def test_a_cover_must_be_a_picture_and_nothing_is_stored(
    production: Production, producer: User
) -> None:
    with pytest.raises(ApplicationError) as caught:
        covers.production_cover_set(
            actor=producer, production=production, upload=upload(samples.wav(), "song.wav")
        )
    assert caught.value.field == "cover" and caught.value.code == "unsupported_format"
    assert not ProductionCover.objects.exists()
    assert not default_storage.exists(f"productions/{production.pk}")


def test_an_unreadable_picture_fails_its_job_and_the_old_cover_stays(
    production: Production, producer: User
) -> None:
    good = covers.production_cover_set(
        actor=producer, production=production, upload=upload(samples.png())
    )
    with mock.patch(
        "riffhouse.records.media.sandbox.renditions_make_isolated",
        side_effect=media.MediaError("We could not read this picture.", code="corrupt"),
    ):
        bad = covers.production_cover_set(
            actor=producer, production=production, upload=upload(samples.png())
        )
    bad.refresh_from_db()
    assert bad.status == ProcessingStatus.FAILED
    assert bad.failure_reason == "We could not read this picture."
    production.refresh_from_db()
    assert production.cover_id == good.pk


def test_a_cover_removed_before_its_job_runs_never_shows(
    production: Production, producer: User, django_capture_on_commit_callbacks: Any
) -> None:
    with mock.patch("riffhouse.productions.tasks.production_cover_process_task"):
        cover = covers.production_cover_set(
            actor=producer, production=production, upload=upload(samples.png())
        )
    with django_capture_on_commit_callbacks(execute=True):
        covers.production_cover_remove(actor=producer, production=production)
    assert covers.production_cover_process(cover_id=cover.pk) == "missing"
    production.refresh_from_db()
    assert production.cover_id is None


def test_only_producers_set_it_and_never_after_release(
    make_production: Callable[..., Production], producer: User, contributor: User
) -> None:
    production = make_production(status="open")
    with pytest.raises(PermissionDenied):
        covers.production_cover_set(
            actor=contributor, production=production, upload=upload(samples.png())
        )
    draft = make_production()
    with pytest.raises(NotFound):
        covers.production_cover_set(
            actor=contributor, production=draft, upload=upload(samples.png())
        )
    release_now(producer=producer, production=production)
    with pytest.raises(ApplicationError) as caught:
        covers.production_cover_set(
            actor=producer, production=production, upload=upload(samples.png())
        )
    assert caught.value.status == 409
    assert not ProductionCover.objects.exists()


def test_starting_a_production_with_a_cover_from_the_form(
    client: Client, contributor: User
) -> None:
    client.force_login(contributor)
    picture = SimpleUploadedFile("c.png", samples.png((400, 300)), content_type="image/png")
    response = client.post(
        "/productions/new/",
        {"kind": "episode", "title": "Space", "theme": "Space", "cover": picture},
    )
    assert response.status_code == 302
    production = Production.objects.get()
    assert production.cover is not None and production.cover.status == ProcessingStatus.READY


def test_a_refused_cover_leaves_no_production_behind(client: Client, contributor: User) -> None:
    client.force_login(contributor)
    not_a_picture = SimpleUploadedFile("c.png", b"just text", content_type="image/png")
    response = client.post(
        "/productions/new/",
        {"kind": "episode", "title": "Space", "theme": "Space", "cover": not_a_picture},
    )
    assert response.status_code == 400
    assert "A cover must be a picture" in response.content.decode()
    assert not Production.objects.exists()
