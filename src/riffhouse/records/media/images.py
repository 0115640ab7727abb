"""Images: decoded by content with Pillow (JPEG, PNG, WebP, GIF only), pixels counted from
the header before any is decoded, every rendition a fresh encode (no metadata survives)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageCms, ImageFilter, ImageOps, UnidentifiedImageError

from riffhouse.records.media.base import MediaError, Output, Probe, output_of

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
WEBP_SETTINGS: dict[str, Any] = {"quality": 80, "method": 4}
JPEG_SETTINGS: dict[str, Any] = {"quality": 82, "optimize": True, "progressive": True}
PNG_SETTINGS: dict[str, Any] = {"compress_level": 6}
# A colour profile is a few KB; one of megabytes is either broken or an attempt to make every
# rendition huge, so we convert the pixels to sRGB and drop it.
_MAX_ICC_BYTES = 256 * 1024
_SRGB = ImageCms.createProfile("sRGB")


@contextmanager
def _image_header(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    """Open by content with the allow-listed decoders and check the declared size; no pixel
    is decoded yet (Pillow reads only the header until `load()`)."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise MediaError("This image file is empty.", code="corrupt")
    try:
        img = Image.open(path, formats=IMAGE_FORMATS)
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        raise MediaError(
            "This image format is not supported. Upload a JPEG, PNG, WebP or GIF.",
            code="unsupported_format",
        ) from exc
    except MemoryError:
        raise  # over the job's memory limit: not the file's fault, reported as such
    except Exception as exc:  # any parser failure on a hostile header is "corrupt"
        raise _corrupt_image() from exc
    with img:
        width, height = img.size
        if img.format not in IMAGE_FORMATS:
            raise MediaError("This image format is not supported.", code="unsupported_format")
        if width <= 0 or height <= 0:
            raise _corrupt_image()
        if width * height > max_pixels:
            raise _too_many_pixels()
        yield img


@contextmanager
def _opened_image(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    """Open by content with the allow-listed decoders, check the size, then decode."""
    with _image_header(path, max_pixels) as img:
        try:
            img.load()
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels() from exc
        except MemoryError:
            raise
        except Exception as exc:  # truncated data, bad chunks, decoder errors
            raise _corrupt_image() from exc
        yield img


def _too_many_pixels() -> MediaError:
    return MediaError(
        "This image has too many pixels for us to process. Upload a smaller one.",
        code="too_many_pixels",
    )


def _corrupt_image() -> MediaError:
    return MediaError("This image is damaged or incomplete, so we cannot read it.", code="corrupt")


def _oriented_size(img: Image.Image) -> tuple[int, int]:
    try:
        orientation = img.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block should not make a good picture unusable
        orientation = 1
    width, height = img.size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def probe_image(path: Path, *, max_pixels: int = 50_000_000) -> Probe:
    """Check an uploaded image decodes completely and report its format and oriented size."""
    with _opened_image(path, max_pixels) as img:
        width, height = _oriented_size(img)
        fmt = str(img.format)
        return Probe(
            kind="image",
            format=fmt,
            mime=Image.MIME.get(fmt, "application/octet-stream"),
            width=width,
            height=height,
        )


def probe_image_header(path: Path, *, max_pixels: int = 50_000_000) -> Probe:
    """What an uploaded image is, from its header alone: format and oriented size, within
    the pixel limit. For the web request, which must not decode: a small file can declare
    a huge picture (7000 x 7000 RGBA is 196 MB of pixels), so decoding belongs to the
    processing job and its memory cap (`probe_image`, `image_renditions`). A PNG's chunks are
    still walked (checksums, the end marker) without inflating them, so a truncated or
    damaged PNG is refused here; damage inside other formats' data fails the job, with a
    reason its owner sees."""
    with _image_header(path, max_pixels) as img:
        fmt = str(img.format)
        # Pillow finds a PNG's EXIF placed after the pixel data only by decoding them; the
        # header's EXIF (JPEG, WebP, a PNG's early eXIf chunk) is enough for a first size,
        # and the job reports the exact one.
        if fmt != "PNG" or "exif" in img.info:
            width, height = _oriented_size(img)
        else:
            width, height = img.size
        try:
            img.verify()
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels() from exc
        except MemoryError:
            raise
        except Exception as exc:  # bad checksums, a truncated chunk, no end marker
            raise _corrupt_image() from exc
        return Probe(
            kind="image",
            format=fmt,
            mime=Image.MIME.get(fmt, "application/octet-stream"),
            width=width,
            height=height,
        )


def _icc_space(icc: bytes) -> bytes:
    """The profile's data colour space from the ICC header (b"RGB ", b"GRAY", b"CMYK")."""
    return icc[16:20] if len(icc) >= 128 else b""


def _display_image(img: Image.Image) -> tuple[Image.Image, bytes | None]:
    """The picture as people should see it: oriented, in RGB or RGBA, with its RGB profile.

    May convert ``img`` in place. The result has an empty ``info``: Pillow's savers fall back
    to ``info`` for a few fields (the JPEG comment, for one), and nothing from the upload may
    leak into renditions.
    """
    with suppress(Exception):  # unreadable EXIF: keep the pixels as stored
        ImageOps.exif_transpose(img, in_place=True)
    icc: bytes | None = img.info.get("icc_profile") or None
    transparent = "transparency" in img.info or img.mode in ("RGBA", "LA", "PA", "RGBa", "La")
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # Pillow's own conversion clips 16-bit grey at 255; scale it instead.
        scale = 255.0 / max(float(np.max(np.asarray(img))), 1.0)
        img = Image.fromarray(np.clip(np.asarray(img) * scale, 0, 255).astype(np.uint8), "L")
    target = "RGBA" if transparent else "RGB"
    if icc and (_icc_space(icc) != b"RGB " or len(icc) > _MAX_ICC_BYTES or img.mode == "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(img, source, _SRGB, outputMode=target)
            if converted is not None:
                img = converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unusable profile: plain conversion below, colours roughly right
        icc = None
    out = img if img.mode == target else img.convert(target)
    if out.mode == "RGBA" and out.getchannel("A").getextrema()[0] == 255:
        out = out.convert("RGB")  # an alpha channel with nothing see-through: JPEG is fine
    out.info = {}
    return out, icc


def _dominant_color(img: Image.Image) -> str:
    """The most common colour (in 16 levels a channel), averaged within that bin."""
    small = img.copy()
    small.thumbnail((64, 64), Image.Resampling.BOX)
    pixels = np.asarray(small).reshape(-1, len(small.getbands()))
    if pixels.shape[1] == 4:
        opaque = pixels[pixels[:, 3] >= 128]
        pixels = opaque if len(opaque) else pixels
    rgb = pixels[:, :3].astype(np.int32)
    keys = (rgb[:, 0] >> 4) * 256 + (rgb[:, 1] >> 4) * 16 + (rgb[:, 2] >> 4)
    top = int(np.bincount(keys, minlength=4096).argmax())
    red, green, blue = (round(float(v)) for v in rgb[keys == top].mean(axis=0))
    return f"#{red:02x}{green:02x}{blue:02x}"


def _placeholder(img: Image.Image) -> str:
    """A ~16 px blurred WebP as a data URL, shown while the real rendition loads."""
    tiny = img.copy()
    tiny.thumbnail((16, 16), Image.Resampling.BOX)
    tiny = tiny.filter(ImageFilter.GaussianBlur(1))
    buffer = io.BytesIO()
    tiny.save(buffer, "WEBP", quality=40, method=4)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def image_renditions(
    src: Path,
    out_dir: Path,
    *,
    widths: Sequence[int] = (320, 640, 1280, 2048),
    max_pixels: int = 50_000_000,
) -> tuple[list[Output], dict[str, Any]]:
    """Re-encode an uploaded image at each width up to its own (never upscaled; the smallest
    width always exists, at the original size if that is narrower) as WebP plus a JPEG, or a
    PNG when the picture has transparency. Labels are ``w640.webp``, ``w640.jpg``.

    Each width is scaled from the next larger rendition rather than from the original, which
    costs a fraction of the full-size resize and looks the same. Returns the outputs and
    ``{"dominant_color", "placeholder", "width", "height"}`` (the oriented original size).
    """
    if not widths or min(widths) <= 0:
        raise ValueError("widths must be positive")
    out_dir.mkdir(parents=True, exist_ok=True)
    # Everything happens inside the block: closing the opened image frees its pixels.
    with _opened_image(src, max_pixels) as opened:
        base, icc = _display_image(opened)
        width, height = base.size
        buckets = sorted({w for w in widths if w <= width} or {min(widths)}, reverse=True)
        fallback_format, fallback_ext, fallback_mime, fallback_settings = (
            ("PNG", "png", "image/png", PNG_SETTINGS)
            if base.mode == "RGBA"
            else ("JPEG", "jpg", "image/jpeg", JPEG_SETTINGS)
        )
        profile = {"icc_profile": icc} if icc else {}
        outputs: list[Output] = []
        current = base
        for bucket in buckets:
            w = min(bucket, width)
            h = max(1, round(height * w / width))
            if current.size != (w, h):
                current = current.resize((w, h), Image.Resampling.LANCZOS)
            for fmt, ext, mime, settings in (
                ("WEBP", "webp", "image/webp", WEBP_SETTINGS),
                (fallback_format, fallback_ext, fallback_mime, fallback_settings),
            ):
                path = out_dir / f"w{bucket}.{ext}"
                current.save(path, fmt, **settings, **profile)
                outputs.append(output_of(path, f"w{bucket}.{ext}", mime, w, h))
        # Descending order lets each width start from the previous one; callers expect ascending.
        outputs.sort(key=lambda o: (o.width or 0, o.label))
        extras = {
            "dominant_color": _dominant_color(current),
            "placeholder": _placeholder(current),
            "width": width,
            "height": height,
        }
        return outputs, extras
