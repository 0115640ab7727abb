"""Decoding an uploaded avatar in a child process with a memory cap.

An avatar is a few MB at most, but a small file can declare a huge picture (a 190 KB PNG of
7000 x 7000 RGBA decodes to 196 MB), and memory a web worker once took it rarely gives
back. So the web process checks only the header, and the decoding, re-encoding and
shrinking happen in a child with a memory cap (`core.isolation`); the worker receives the
small re-encoded WebP, and the child's memory goes back to the system when it exits. This
module imports no Django code, so children start fast.
"""

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from riffhouse.core.isolation import OverMemory, OverTime, Refusal, run_isolated

FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


class AvatarRefused(Refusal):
    """An avatar we will not take: `reason` is a sentence for the member, `code` for code."""


def _unreadable() -> AvatarRefused:
    return AvatarRefused("That file is not an image we can read.", code="invalid_image")


def avatar_header_check(data: bytes, *, max_pixels: int) -> None:
    """Refuse a file that is not an allowed image or declares too many pixels, from its
    header alone (Pillow decodes no pixel until `load()`)."""
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable() from exc
    except Image.DecompressionBombError as exc:
        raise AvatarRefused(
            "That image has too many pixels for an avatar.", code="image_too_large"
        ) from exc
    with image:
        if image.format not in FORMATS:
            raise AvatarRefused(
                "Avatars must be JPEG, PNG, WebP or GIF images.", code="unsupported_image"
            )
        width, height = image.size
        if width * height > max_pixels:
            raise AvatarRefused(
                "That image has too many pixels for an avatar.", code="image_too_large"
            )


def avatar_webp(data: bytes, *, max_side: int, max_pixels: int) -> bytes:
    """The avatar's pixels, upright, at most `max_side` on each side, as WebP with no
    metadata (camera, device and location data are dropped). Decodes the whole image: call
    it through `avatar_webp_isolated` anywhere memory matters."""
    avatar_header_check(data, max_pixels=max_pixels)
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
        # A JPEG decodes at 1/2 to 1/8 of its size when that still covers `max_side`.
        image.draft("RGB", (max_side, max_side))
        image.load()
        upright = ImageOps.exif_transpose(image)
        pixels = upright.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable() from exc
    except Image.DecompressionBombError as exc:
        raise AvatarRefused(
            "That image has too many pixels for an avatar.", code="image_too_large"
        ) from exc
    pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    pixels.save(out, format="WEBP", quality=86, method=4)
    return out.getvalue()


def avatar_webp_isolated(
    data: bytes, *, max_side: int, max_pixels: int, memory_bytes: int, timeout: float
) -> bytes:
    """`avatar_webp` in a child process limited to `memory_bytes` and `timeout` seconds.
    Raises AvatarRefused for a file we cannot or will not take."""
    avatar_header_check(data, max_pixels=max_pixels)  # the common refusals, without a child
    try:
        webp = run_isolated(
            avatar_webp,
            (data,),
            {"max_side": max_side, "max_pixels": max_pixels},
            memory_bytes=memory_bytes,
            timeout=timeout,
        )
    except (OverMemory, OverTime) as error:
        raise AvatarRefused(
            "That image is too large to make an avatar of. Try a smaller one.",
            code="image_too_large",
        ) from error
    except RuntimeError as error:
        raise _unreadable() from error
    assert isinstance(webp, bytes)
    return webp
