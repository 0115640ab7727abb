"""The web request checks an image upload from its header and never decodes its pixels: a
190 KB PNG can declare 7000 x 7000 RGBA (196 MB decoded), and eight at once used to grow a
web worker by 700 MB. Decoding happens in the processing job, under its memory cap."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from riffhouse.core.errors import ApplicationError
from riffhouse.core.testing import peak_memory_growth
from riffhouse.records import processing, services
from riffhouse.records.models import ProcessingStatus
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
HUGE = (7000, 7000)  # 49 million pixels: under the 50 million limit, 196 MB as RGBA


def _peak_growth_of_request_checks(path: Path) -> int:
    """Bytes by which the upload checks of one image grow a fresh process's peak RSS (what
    a web worker keeps: freed memory is rarely returned to the system)."""
    growth, kind = peak_memory_growth(
        setup="from riffhouse.records import content\n"
        "from riffhouse.records.tests.conftest import upload\n"
        f"data = open({str(path)!r}, 'rb').read()",
        measured="result = content.record_detect_kind(upload=upload(data))\n"
        "with content._local_file(upload(data)) as local:\n"
        "    content._probe(result, local)",
    )
    assert kind == "image"
    return growth


def test_the_request_checks_a_huge_image_without_decoding_it(tmp_path) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(samples.png_declaring(*HUGE))
    # Decoding it would take 196 MB; the header check needs next to nothing.
    assert _peak_growth_of_request_checks(path) < 32 * MB


def test_an_upload_never_calls_the_decoder_and_the_job_does(
    user, db_task_backend, monkeypatch
) -> None:
    decoded: list[str] = []
    real_load = ImageFile.ImageFile.load

    def load(image):  # type: ignore[no-untyped-def]
        decoded.append(image.format)
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    record = services.record_create(
        author=user, kind="image", title="Dusk", upload=upload(samples.png((900, 600)))
    )
    assert decoded == []
    assert record.current_version.status == ProcessingStatus.PENDING
    assert record.current_version.metadata["probe"]["width"] == 900
    assert processing.version_process(version_id=record.current_version_id) == "ready"


def test_a_bomb_is_still_refused_from_its_header(user_api) -> None:
    response = user_api.post(
        "/api/v1/records",
        {
            "kind": "image",
            "title": "Bomb",
            "file": SimpleUploadedFile("b.png", samples.png_declaring(8000, 8000)),
        },
        headers={"Authorization": f"Bearer {user_api.token}"},
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "too_many_pixels"


def test_a_damaged_png_is_refused_at_once(user) -> None:
    data = bytearray(samples.png((64, 64)))
    data[-20] ^= 0xFF  # inside the pixel data: the chunk's checksum no longer matches
    with pytest.raises(ApplicationError) as error:
        services.record_create(author=user, kind="image", title="x", upload=upload(bytes(data)))
    assert error.value.code == "corrupt"


def test_a_jpeg_damaged_after_its_header_fails_in_the_job_with_a_reason(make_record) -> None:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 90, 200)).save(out, format="JPEG")
    cut = out.getvalue()[: len(out.getvalue()) // 2]
    record = make_record("image", upload=upload(cut, "half.jpg"))  # processing runs inline
    version = record.current_version
    assert version.status == ProcessingStatus.FAILED
    assert "damaged" in version.failure_reason
    assert record.live_version is None
