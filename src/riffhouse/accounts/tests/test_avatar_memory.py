"""An avatar upload never decodes its pixels in the web process: a small file can declare a
huge picture, and what a worker once took it keeps. The decoding happens in a child process
under a memory cap; bombs are still refused from the header."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from riffhouse.accounts import services
from riffhouse.core.errors import ApplicationError
from riffhouse.core.testing import peak_memory_growth
from riffhouse.records.tests import samples

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def test_the_web_process_does_not_decode_a_huge_avatar(tmp_path) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(samples.png_declaring(6000, 6000))  # 36 M pixels: allowed, 144 MB as RGBA
    growth, webp_size = peak_memory_growth(
        setup=f"import io\nfrom riffhouse.accounts import services\n"
        f"data = open({str(path)!r}, 'rb').read()",
        measured="result = len(services._avatar_webp(io.BytesIO(data), len(data)))",
    )
    result = {"webp": webp_size, "growth": growth}
    assert result["webp"] > 0  # it was made, in the child
    assert result["growth"] < 32 * MB, result


def test_a_big_avatar_is_made_upright_and_small(user) -> None:
    out = io.BytesIO()
    Image.new("RGB", (3000, 1500), (10, 200, 30)).save(out, format="JPEG")
    services.user_set_avatar(user=user, upload=io.BytesIO(out.getvalue()), size=out.tell())
    from django.core.files.storage import default_storage

    with default_storage.open(user.avatar) as handle, Image.open(handle) as image:
        assert (image.format, image.size) == ("WEBP", (1024, 512))
        assert not image.info.get("exif")


def test_an_avatar_bomb_is_refused_from_its_header(user_api) -> None:
    response = user_api.post(
        "/api/v1/me/avatar",
        {"file": SimpleUploadedFile("a.png", samples.png_declaring(8000, 8000), "image/png")},
        headers={"Authorization": f"Bearer {user_api.token}"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "image_too_large"


def test_an_avatar_over_the_decoding_memory_cap_is_a_clear_refusal(user, settings) -> None:
    settings.AVATAR_DECODE_MEMORY_MB = 64  # under what 3000 x 3000 RGBA takes to decode
    data = samples.png_declaring(3000, 3000)
    with pytest.raises(ApplicationError) as error:
        services.user_set_avatar(user=user, upload=io.BytesIO(data), size=len(data))
    assert (error.value.code, error.value.status) == ("image_too_large", 400)
    user.refresh_from_db()
    assert user.avatar == ""
