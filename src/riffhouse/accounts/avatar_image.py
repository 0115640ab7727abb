"""Decoding an uploaded avatar in a child process with a memory cap.

An avatar is a few MB at most, but a small file can declare a huge picture (a 190 KB PNG of
7000 x 7000 RGBA decodes to 196 MB), and memory a web worker once took it rarely gives
back. So the web process checks only the header, and the decoding, re-encoding and
shrinking happen in a child (from a fork server, so the worker's threads and connections
are never copied) limited to `memory_bytes` of address space; the worker receives the small
re-encoded WebP, and the child's memory goes back to the system when it exits. This module
imports no Django code, so children start fast.
"""

import io
import multiprocessing
import resource
from multiprocessing.connection import Connection

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


class AvatarRefused(Exception):
    """An avatar we will not take: `reason` is a sentence for the member, `code` for code."""

    def __init__(self, reason: str, *, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


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


def _child(
    conn: Connection, memory_bytes: int, data: bytes, max_side: int, max_pixels: int
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        conn.send(("ok", avatar_webp(data, max_side=max_side, max_pixels=max_pixels)))
    except AvatarRefused as refused:
        conn.send(("refused", refused.reason, refused.code))
    except MemoryError:
        conn.send(("memory",))
    except BaseException as error:  # reported to the parent, which answers "cannot read"
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def avatar_webp_isolated(
    data: bytes, *, max_side: int, max_pixels: int, memory_bytes: int, timeout: float
) -> bytes:
    """`avatar_webp` in a child process limited to `memory_bytes` and `timeout` seconds.
    Raises AvatarRefused for a file we cannot or will not take."""
    avatar_header_check(data, max_pixels=max_pixels)  # the common refusals, without a child
    context = multiprocessing.get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, daemon=True, args=(sender, memory_bytes, data, max_side, max_pixels)
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            message: tuple[object, ...] = ("memory",)
        else:
            try:
                message = receiver.recv()
            except EOFError:  # the child died without a word: killed for memory, or crashed
                message = ("memory",)
    finally:
        if child.is_alive():
            child.kill()
        child.join(10)
        receiver.close()
    if message[0] == "ok":
        assert isinstance(message[1], bytes)
        return message[1]
    if message[0] == "refused":
        raise AvatarRefused(str(message[1]), code=str(message[2]))
    if message[0] == "memory":
        raise AvatarRefused(
            "That image is too large to make an avatar of. Try a smaller one.",
            code="image_too_large",
        )
    raise _unreadable()
