"""Media processing for records: probe, re-encode and describe what members upload.

Everything here works on local file paths; the caller downloads from storage to a temporary
file and uploads what we write. Uploads are hostile until proven otherwise, so:

- Images are decoded by content with Pillow restricted to JPEG, PNG, WebP and GIF, the pixel
  count is checked from the header before any pixel is decoded, and every rendition is a
  fresh encode, so metadata (EXIF, GPS, comments) and bytes smuggled after the image never
  reach another member's browser.
- Audio and video are opened by PyAV with FFmpeg's protocol whitelist set to local files and
  its demuxer whitelist set to the few containers we accept, so a playlist or concat script
  can never make FFmpeg fetch a URL or read another file. Decoding is streamed frame by frame
  and checked against a deadline.
- Text must be strict UTF-8; Markdown is rendered without raw HTML and then sanitised again.

This module knows nothing about models or storage: callers pass paths and limits in and get
dataclasses or :class:`MediaError` back. ``str(MediaError)`` is a sentence for the uploader;
``MediaError.code`` is for code and tests.
"""

from __future__ import annotations

import base64
import io
import math
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error
import nh3
import numpy as np
from av.audio.frame import AudioFrame
from av.audio.resampler import AudioResampler
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.stream import Disposition
from av.video.frame import VideoFrame
from av.video.reformatter import Interpolation, VideoReformatter
from av.video.stream import VideoStream
from markdown_it import MarkdownIt
from PIL import Image, ImageCms, ImageFilter, ImageOps, UnidentifiedImageError

__all__ = [
    "MediaError",
    "Output",
    "Probe",
    "audio_rendition",
    "decode_text",
    "image_renditions",
    "probe_audio",
    "probe_image",
    "probe_image_header",
    "probe_video",
    "render_markdown",
    "text_stats",
    "video_poster",
    "video_rendition",
    "waveform_peaks",
]


class MediaError(Exception):
    """A file we refuse or cannot process; `str(exc)` is a sentence the uploader can read.

    Codes: ``unsupported_format``, ``unsupported_codec``, ``wrong_kind``, ``too_many_pixels``,
    ``too_long``, ``corrupt``, ``timeout``, ``invalid_text`` and the generic ``invalid_media``.
    """

    def __init__(self, reason: str, *, code: str = "invalid_media") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Probe:
    """What a file is, as far as we checked it (sizes are as displayed: orientation applied)."""

    kind: str
    format: str
    mime: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    channels: int | None = None
    sample_rate: int | None = None


@dataclass(frozen=True)
class Output:
    """A file this module wrote; the caller uploads it and records its label and size."""

    path: Path
    label: str
    mime: str
    width: int | None = None
    height: int | None = None
    size: int = 0


def _output(
    path: Path, label: str, mime: str, width: int | None = None, height: int | None = None
) -> Output:
    return Output(path, label, mime, width, height, path.stat().st_size)


class _Deadline:
    """Wall-clock budget for one call; checked inside every frame loop."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() >= self.end:
            raise MediaError(
                "Processing this file took too long, so we stopped. Try a shorter or smaller file.",
                code="timeout",
            )


# --- Text ---------------------------------------------------------------------------------

WORDS_PER_MINUTE = 230
EXCERPT_CHARS = 200
_WORD = re.compile(r"\w[\w'’-]*")

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).enable(
    ["table", "strikethrough"]
)
_MARKDOWN_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4",
    "hr", "code", "pre", "del", "s", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# markdown-it already refuses javascript:/data: links; the cleaner is the second lock, and it
# also drops relative links, which in a record would point into our own site.
_CLEANER = nh3.Cleaner(
    tags=_MARKDOWN_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",
    link_rel="nofollow ugc noopener",
    strip_comments=True,
)


def decode_text(data: bytes) -> str:
    """Strict UTF-8 (a byte-order mark is dropped); line endings become ``\\n``.

    Guessing other encodings produces mojibake we would then publish, so we ask instead.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MediaError(
            "This file is not UTF-8 text. Save it as UTF-8 and upload it again.",
            code="invalid_text",
        ) from exc
    if "\x00" in text:
        raise MediaError(
            "This file contains NUL bytes, so it is not plain text.", code="invalid_text"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show to other members.

    Raw HTML is disabled in the parser and the result is cleaned again with an allow-list, so
    a bug in either layer alone does not become an XSS. Single newlines become ``<br>``
    because poems and lyrics are written line by line.
    """
    return str(_CLEANER.clean(_MARKDOWN.render(text)))


def _plain_text(text: str) -> str:
    """The words a reader sees, without Markdown syntax, whitespace collapsed."""
    parts: list[str] = []
    for token in _MARKDOWN.parse(text):
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            parts.append(" ")
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
            parts.append(" ")
    return " ".join("".join(parts).split())


def text_stats(text: str) -> dict[str, Any]:
    """Word count, reading time (230 words a minute, at least 1 when there are words) and an
    excerpt of about 200 characters cut at a word boundary, for cards and feeds."""
    plain = _plain_text(text)
    words = len(_WORD.findall(plain))
    if len(plain) <= EXCERPT_CHARS:
        excerpt = plain
    else:
        cut = plain.rfind(" ", 0, EXCERPT_CHARS + 1)
        if cut < EXCERPT_CHARS // 2:  # one enormous "word": cut it rather than lose it all
            cut = EXCERPT_CHARS
        excerpt = plain[:cut].rstrip(" ,;:.-–—") + "…"
    return {
        "word_count": words,
        "reading_minutes": math.ceil(words / WORDS_PER_MINUTE) if words else 0,
        "excerpt": excerpt,
    }


# --- Images -------------------------------------------------------------------------------

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
                outputs.append(_output(path, f"w{bucket}.{ext}", mime, w, h))
        # Descending order lets each width start from the previous one; callers expect ascending.
        outputs.sort(key=lambda o: (o.width or 0, o.label))
        extras = {
            "dominant_color": _dominant_color(current),
            "placeholder": _placeholder(current),
            "width": width,
            "height": height,
        }
        return outputs, extras


# --- Audio and video: opening ---------------------------------------------------------------

_MOV = "mov,mp4,m4a,3gp,3g2,mj2"
_MKV = "matroska,webm"
AUDIO_CONTAINERS = frozenset({"mp3", "wav", "flac", "ogg", _MOV, _MKV})
VIDEO_CONTAINERS = frozenset({_MOV, _MKV, "ogg"})
_FORMAT_NAMES = {_MOV: "mp4"}
# Magic numbers of the containers above: a file that starts like one but does not open is
# damaged; anything else is simply a format we do not take.
_MAGIC = (b"ID3", b"RIFF", b"fLaC", b"OggS", b"\x1a\x45\xdf\xa3", b"\xff\xfb", b"\xff\xf3")
VIDEO_MAX_PIXELS = 4096 * 2304
MAX_DURATION = 2 * 3600.0
AUDIO_SAMPLE_RATES = (44_100, 48_000)
AUDIO_BITRATE = 160_000  # stereo; mono gets less, it has half the information
AUDIO_BITRATE_MONO = 96_000
X264_OPTIONS = {"preset": "veryfast", "crf": "23"}
SCALE_INTERPOLATION = Interpolation.BICUBIC
POSTER_MAX_FRAMES = 300  # frames decoded after a seek before we settle for the latest one


def _unsupported_container(kind: str) -> MediaError:
    allowed = (
        "MP3, WAV, FLAC, Ogg, M4A/MP4 or WebM"
        if kind == "audio"
        else "MP4, MOV, WebM/Matroska or Ogg"
    )
    return MediaError(
        f"This {kind} format is not supported. Upload {allowed}.", code="unsupported_format"
    )


def _corrupt(kind: str) -> MediaError:
    return MediaError(
        f"This {kind} file is damaged or incomplete, so we cannot read it.", code="corrupt"
    )


@contextmanager
def _opened_av(path: Path, kind: str, *, max_pixels: int | None = None) -> Iterator[InputContainer]:
    """Open a local file with FFmpeg, refusing anything but the allow-listed containers.

    ``protocol_whitelist=file`` means no demuxer can reach the network, and
    ``format_whitelist`` makes FFmpeg refuse a playlist (hls), a ``concat`` script or an
    image sequence before it reads their headers, so they cannot even name other files.
    """
    containers = AUDIO_CONTAINERS if kind == "audio" else VIDEO_CONTAINERS
    path = Path(path).resolve()  # absolute, so FFmpeg never reads a "scheme:" prefix
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _corrupt(kind) from exc
    if size == 0:
        raise MediaError(f"This {kind} file is empty.", code="corrupt")
    # FFmpeg may decode a few frames while opening, to learn what the header left out; cap
    # those too. The cap is loose, because a decoder that refuses a frame here leaves the size
    # unknown, and we would rather report "too many pixels" from the header below.
    options = {"max_pixels": str(max_pixels * 4)} if max_pixels else {}
    try:
        container = av.open(
            str(path),
            "r",
            options=options,
            container_options={
                "protocol_whitelist": "file",
                "format_whitelist": ",".join(sorted(containers)),
            },
        )
    except av.error.ArgumentError as exc:  # EINVAL: FFmpeg's "format not on whitelist"
        raise _unsupported_container(kind) from exc
    except av.error.FFmpegError as exc:
        with path.open("rb") as fh:
            head = fh.read(12)
        if head.startswith(_MAGIC) or head[4:8] == b"ftyp":
            raise _corrupt(kind) from exc
        raise _unsupported_container(kind) from exc
    try:
        if container.format.name not in containers:
            raise _unsupported_container(kind)
        if max_pixels:
            # The decoder refuses larger frames itself, even if the size changes mid-stream.
            for stream in container.streams.video:
                if stream.codec_context is not None:
                    stream.codec_context.options = {
                        **stream.codec_context.options,
                        "max_pixels": str(max_pixels),
                    }
        yield container
    finally:
        container.close()


def _main_stream(container: InputContainer, kind: str) -> Any:
    """The first audio or video stream; cover art in music files is not video."""
    for stream in container.streams:
        if stream.type != kind:
            continue
        if kind == "video" and stream.disposition & Disposition.attached_pic:
            continue
        return stream
    return None


def _codec_name(stream: Any) -> str:
    """The codec's own name ("mp3"), not the decoder's ("mp3float")."""
    return str(stream.codec_context.codec.canonical_name)


def _require_decoder(stream: Any, kind: str) -> None:
    if stream.codec_context is None:
        raise MediaError(
            f"This {kind} uses a codec we cannot decode. Export it as "
            f"{'AAC, MP3, FLAC or Opus' if kind == 'audio' else 'H.264, VP9 or AV1'}.",
            code="unsupported_codec",
        )


def _frames(
    container: InputContainer, streams: Sequence[Any], deadline: _Deadline, kind: str
) -> Iterator[Any]:
    """Decoded frames of ``streams`` one by one; a few broken packets are skipped, many are not.

    ``demux`` ends with an empty packet per stream, which flushes each decoder.
    """
    errors = 0
    try:
        for packet in container.demux(*streams):
            deadline.check()
            try:
                frames = packet.decode()
            except av.error.FFmpegError as exc:
                errors += 1
                if errors > 50:
                    raise _corrupt(kind) from exc
                continue
            yield from frames
    except av.error.FFmpegError as exc:  # the demuxer itself gave up mid-file
        raise _corrupt(kind) from exc


def _first_frame(container: InputContainer, stream: Any, kind: str, max_packets: int = 500) -> Any:
    """Decode until one frame comes out, so a probe proves the file is really playable.
    Undecodable packets are skipped (a stream may start mid-GOP), but only so many."""
    try:
        for count, packet in enumerate(container.demux(stream)):
            if count > max_packets:
                break
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                continue
            if frames:
                return frames[0]
    except av.error.FFmpegError as exc:
        raise _corrupt(kind) from exc
    raise _corrupt(kind)


def _duration(container: InputContainer, stream: Any, max_duration: float) -> float | None:
    """Seconds from the header, or by reading packet timestamps to the end when the header
    has none (browser recordings often do not); stops early once past ``max_duration``."""
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    time_base = _fraction(stream.time_base)
    if stream.duration and stream.duration > 0 and time_base:
        return float(stream.duration * time_base)
    end = 0.0
    try:
        for packet in container.demux(stream):
            packet_base = _fraction(packet.time_base)
            if packet.pts is None or packet_base is None:
                continue
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet_base))
            if end > max_duration:
                break
    except av.error.FFmpegError:
        pass  # whatever we counted up to the damage is the duration we know
    return end or None


def _check_duration(duration: float | None, max_duration: float, kind: str) -> None:
    if duration is not None and duration > max_duration:
        limit = f"{max_duration / 60:.0f} minutes" if max_duration >= 120 else f"{max_duration:g} s"
        raise MediaError(f"This {kind} is longer than {limit}.", code="too_long")


def _is_webm(path: Path) -> bool:
    with Path(path).open("rb") as fh:
        return b"webm" in fh.read(64)


def _format_and_mime(container: InputContainer, path: Path, has_video: bool) -> tuple[str, str]:
    name = container.format.name
    top = "video" if has_video else "audio"
    if name == _MOV:
        brand = container.metadata.get("major_brand", "").strip()
        return "mp4", ("video/quicktime" if brand == "qt" else f"{top}/mp4")
    if name == _MKV:
        return name, (f"{top}/webm" if _is_webm(path) else f"{top}/x-matroska")
    simple = {"mp3": "audio/mpeg", "wav": "audio/wav", "flac": "audio/flac", "ogg": f"{top}/ogg"}
    return _FORMAT_NAMES.get(name, name), simple[name]


def _rotation(frame: VideoFrame) -> int:
    """The counter-clockwise display rotation, snapped to 0, 90, 180 or 270 degrees."""
    try:
        degrees = float(frame.rotation or 0)
    except (TypeError, ValueError):
        return 0
    return round(degrees / 90.0) % 4 * 90


def _display_size(width: int, height: int, sar: Fraction | None, rotation: int) -> tuple[int, int]:
    """Width and height as a player shows them: pixel aspect applied, then the rotation."""
    if sar and sar > 0 and sar != 1:
        width = max(1, round(width * sar))
    return (height, width) if rotation in (90, 270) else (width, height)


def _fraction(value: Any) -> Fraction | None:
    """PyAV's rationals as plain fractions; None for missing, zero or negative ones."""
    if value is None or not value.denominator or value.numerator <= 0:
        return None
    return Fraction(value.numerator, value.denominator)


def _sar(stream: Any) -> Fraction | None:
    return _fraction(stream.sample_aspect_ratio)


# --- Audio and video: probes ----------------------------------------------------------------


def probe_audio(path: Path, *, max_duration: float = MAX_DURATION) -> Probe:
    """Check a file is audio we accept: allowed container, an audio stream FFmpeg decodes,
    a duration within the limit. Video files with sound pass too (their sound is audio)."""
    with _opened_av(path, "audio") as container:
        stream = _main_stream(container, "audio")
        if stream is None:
            raise MediaError("We found no sound in this file.", code="wrong_kind")
        _require_decoder(stream, "audio")
        frame = _first_frame(container, stream, "audio")
        duration = _duration(container, stream, max_duration)
        _check_duration(duration, max_duration, "audio")
        fmt, mime = _format_and_mime(container, path, _main_stream(container, "video") is not None)
        return Probe(
            kind="audio",
            format=fmt,
            mime=mime,
            duration=duration,
            audio_codec=_codec_name(stream),
            channels=frame.layout.nb_channels or stream.codec_context.channels,
            sample_rate=frame.sample_rate or stream.codec_context.sample_rate,
        )


@dataclass(frozen=True)
class _VideoLook:
    """What the first decoded frame tells us that the header may not: size and rotation."""

    width: int
    height: int
    rotation: int
    sar: Fraction | None


def _inspect_video(path: Path, max_duration: float, max_pixels: int) -> tuple[Probe, _VideoLook]:
    too_big = MediaError(
        "This video's picture is too large for us to process.", code="too_many_pixels"
    )
    with _opened_av(path, "video", max_pixels=max_pixels) as container:
        stream = _main_stream(container, "video")
        if stream is None:
            raise MediaError("We found no moving picture in this file.", code="wrong_kind")
        _require_decoder(stream, "video")
        context = stream.codec_context
        if context.width * context.height > max_pixels:
            raise too_big
        frame = _first_frame(container, stream, "video")
        if frame.width * frame.height > max_pixels:
            raise too_big
        duration = _duration(container, stream, max_duration)
        _check_duration(duration, max_duration, "video")
        look = _VideoLook(frame.width, frame.height, _rotation(frame), _sar(stream))
        width, height = _display_size(look.width, look.height, look.sar, look.rotation)
        audio = _main_stream(container, "audio")
        sound = audio.codec_context if audio is not None else None
        fmt, mime = _format_and_mime(container, path, True)
        probe = Probe(
            kind="video",
            format=fmt,
            mime=mime,
            width=width,
            height=height,
            duration=duration,
            video_codec=_codec_name(stream),
            audio_codec=_codec_name(audio) if sound is not None else None,
            channels=sound.channels if sound is not None else None,
            sample_rate=sound.sample_rate if sound is not None else None,
        )
        return probe, look


def probe_video(
    path: Path, *, max_duration: float = MAX_DURATION, max_pixels: int = VIDEO_MAX_PIXELS
) -> Probe:
    """Check a file is video we accept: allowed container, a video stream FFmpeg decodes
    whose frames are within ``max_pixels`` (checked from the header before decoding, then
    enforced by the decoder), a duration within the limit. Sizes are as displayed: pixel
    aspect ratio and rotation applied."""
    return _inspect_video(path, max_duration, max_pixels)[0]


# --- Audio and video: outputs ---------------------------------------------------------------


@contextmanager
def _ffmpeg_errors(kind: str) -> Iterator[None]:
    """FFmpeg's own errors past the probe (a decoder or encoder choking on odd input) as a
    MediaError, so callers handle one exception type; the cause stays chained for logs."""
    try:
        yield
    except av.error.FFmpegError as exc:
        raise MediaError(
            f"We could not process this {kind} file, so it cannot be played here.",
            code="invalid_media",
        ) from exc


@contextmanager
def _opened_mp4(path: Path, kind: str) -> Iterator[OutputContainer]:
    """An MP4 whose index (moov) is moved to the front when closed, so playback can start
    before the whole file has downloaded. On any failure the partial file is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            _ffmpeg_errors(kind),
            av.open(
                str(path), "w", format="mp4", container_options={"movflags": "+faststart"}
            ) as out,
        ):
            yield out
    except BaseException:
        path.unlink(missing_ok=True)  # half a file must not be mistaken for a rendition
        raise


class _AudioEncoder:
    """Resample whatever comes in to AAC's planar float at 44.1/48 kHz, mono or stereo, in
    1024-sample frames with our own continuous timestamps (source timestamps may jump)."""

    def __init__(self, out: OutputContainer, source: AudioStream) -> None:
        rate = source.codec_context.sample_rate or 48_000
        if rate not in AUDIO_SAMPLE_RATES:
            rate = 44_100 if rate % 11_025 == 0 else 48_000
        channels = source.codec_context.channels or 2
        self.layout = "mono" if channels == 1 else "stereo"
        self.rate = rate
        self.stream = out.add_stream("aac", rate=rate)
        self.stream.layout = self.layout
        self.stream.bit_rate = AUDIO_BITRATE if self.layout == "stereo" else AUDIO_BITRATE_MONO
        self.out = out
        self.resampler: AudioResampler | None = None
        self.shape: tuple[str, str, int] | None = None
        self.samples = 0

    def _new_resampler(self) -> AudioResampler:
        return AudioResampler(format="fltp", layout=self.layout, rate=self.rate, frame_size=1024)

    def push(self, frame: AudioFrame | None) -> None:
        if frame is None:
            if self.resampler is not None:
                self._encode(self.resampler.resample(None))
            self.out.mux(self.stream.encode(None))
            return
        shape = (frame.format.name, frame.layout.name, frame.sample_rate)
        resampler = self.resampler
        if resampler is None or shape != self.shape:
            # A mid-stream format change needs a new resampler. The old one's last few
            # milliseconds are dropped: AAC takes a short frame only at the very end.
            resampler = self.resampler = self._new_resampler()
            self.shape = shape
        frame.pts = None  # our timestamps, not the source's
        self._encode(resampler.resample(frame))

    def _encode(self, frames: Iterable[AudioFrame]) -> None:
        for frame in frames:
            frame.pts = self.samples
            frame.time_base = Fraction(1, self.rate)
            self.samples += frame.samples
            self.out.mux(self.stream.encode(frame))


def audio_rendition(src: Path, out_path: Path, *, timeout: float = 600) -> Output:
    """AAC in MP4 (m4a) at 44.1/48 kHz, at most stereo, ~160 kbit/s, index first.

    One format every browser plays; decoding streams frame by frame under ``timeout``.
    """
    deadline = _Deadline(timeout)
    probe_audio(src)
    with _opened_av(src, "audio") as container, _opened_mp4(out_path, "audio") as out:
        stream = _main_stream(container, "audio")
        encoder = _AudioEncoder(out, stream)
        for frame in _frames(container, [stream], deadline, "audio"):
            encoder.push(frame)
        encoder.push(None)
    return _output(out_path, "audio.m4a", "audio/mp4")


class _Peaks:
    """Running per-block peaks in bounded memory: when the blocks outnumber ``limit`` (a
    header can understate the duration), neighbours merge and blocks double in length."""

    def __init__(self, block: int, limit: int) -> None:
        self.block = max(1, block)
        self.limit = limit
        self.carry = np.empty(0, np.float32)
        self.blocks: list[np.ndarray] = []
        self.count = 0

    def add(self, amplitude: np.ndarray) -> None:
        data = np.concatenate([self.carry, amplitude]) if self.carry.size else amplitude
        full = data.size - data.size % self.block
        if full:
            self.blocks.append(data[:full].reshape(-1, self.block).max(axis=1))
            self.count += full // self.block
        self.carry = data[full:].copy()
        while self.count > self.limit:
            merged = np.concatenate(self.blocks)
            if merged.size % 2:
                merged = np.append(merged, np.float32(0))
            self.blocks = [merged.reshape(-1, 2).max(axis=1)]
            self.count = self.blocks[0].size
            self.block *= 2

    def buckets(self, points: int) -> list[float]:
        parts = [*self.blocks, self.carry.max(keepdims=True)] if self.carry.size else self.blocks
        if not parts:
            return [0.0] * points
        peaks = np.concatenate(parts)
        starts = np.arange(points) * peaks.size // points
        values = np.maximum.reduceat(peaks, starts)
        top = float(values.max())
        if top > 0:
            values = values / top
        return [round(float(v), 4) for v in values]


def waveform_peaks(src: Path, *, points: int = 800, timeout: float = 600) -> list[float]:
    """Peak level per bucket over the whole duration, scaled so the loudest bucket is 1.0,
    for drawing a waveform. The loudest channel counts (a downmix could cancel out)."""
    if points < 1:
        raise ValueError("points must be at least 1")
    deadline = _Deadline(timeout)
    probe = probe_audio(src)
    with _opened_av(src, "audio") as container, _ffmpeg_errors("audio"):
        stream = _main_stream(container, "audio")
        rate = probe.sample_rate or 48_000
        expected = int((probe.duration or 0) * rate)
        peaks = _Peaks(block=expected // (points * 4) if expected else 1024, limit=points * 16)
        resampler = AudioResampler(format="fltp")
        shape: tuple[str, str, int] | None = None
        for frame in _frames(container, [stream], deadline, "audio"):
            if (frame.format.name, frame.layout.name, frame.sample_rate) != shape:
                shape = (frame.format.name, frame.layout.name, frame.sample_rate)
                resampler = AudioResampler(format="fltp")  # one per input format
            frame.pts = None
            for converted in resampler.resample(frame):
                samples = np.abs(np.nan_to_num(converted.to_ndarray(), posinf=1, neginf=1))
                peaks.add(samples.max(axis=0).astype(np.float32, copy=False))
        return peaks.buckets(points)


def _poster_frame(src: Path, at: float, deadline: _Deadline) -> VideoFrame | None:
    """The first frame at or after ``at`` seconds (seeking to the keyframe before it), or the
    latest one decoded once ``POSTER_MAX_FRAMES`` have gone by without reaching it."""
    with (
        _opened_av(src, "video", max_pixels=VIDEO_MAX_PIXELS) as container,
        _ffmpeg_errors("video"),
    ):
        stream = _main_stream(container, "video")
        stream.thread_type = "AUTO"
        if at > 0:
            try:
                container.seek(int(at / stream.time_base), stream=stream)
            except av.error.FFmpegError:
                return None
        latest: VideoFrame | None = None
        for count, frame in enumerate(_frames(container, [stream], deadline, "video")):
            latest = frame
            if frame.time is None or frame.time >= at or count >= POSTER_MAX_FRAMES:
                break
        return latest


_TRANSPOSE = {
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}


def video_poster(src: Path, out_path: Path, *, timeout: float = 120) -> Output:
    """A JPEG still from about 10% in (past fades from black), or the first frame when the
    file cannot seek; pixel aspect and rotation applied, so it matches what players show."""
    deadline = _Deadline(timeout)
    probe, look = _inspect_video(src, MAX_DURATION, VIDEO_MAX_PIXELS)
    frame = _poster_frame(src, probe.duration * 0.1, deadline) if probe.duration else None
    if frame is None:
        frame = _poster_frame(src, 0, deadline)
    if frame is None:
        raise _corrupt("video")
    image = Image.fromarray(frame.to_ndarray(format="rgb24"))
    if look.sar and look.sar != 1:
        wide = max(1, round(image.width * look.sar))
        image = image.resize((wide, image.height), Image.Resampling.BICUBIC)
    rotation = _rotation(frame)
    if rotation:
        image = image.transpose(_TRANSPOSE[rotation])
    out_path.parent.mkdir(parents=True, exist_ok=True)
    image.save(out_path, "JPEG", quality=85, optimize=True, progressive=True)
    return _output(out_path, "poster.jpg", "image/jpeg", image.width, image.height)


def _even(value: float) -> int:
    """The nearest even number, halves rounded up (``round`` would pick the even half)."""
    return max(2, math.floor(value / 2 + 0.5) * 2)


def _rendition_size(
    width: int, height: int, sar: Fraction | None, rotation: int, max_height: int
) -> tuple[int, int, int, int]:
    """Coded (before rotation) and displayed output sizes: at most ``max_height`` lines as
    displayed, aspect kept, never upscaled, even numbers as yuv420p requires."""
    shown_w, shown_h = _display_size(width, height, sar, rotation)
    out_h = min(max_height, shown_h)
    out_h = max(2, out_h - out_h % 2)
    out_w = _even(shown_w * out_h / shown_h)
    if rotation in (90, 270):
        return out_h, out_w, out_w, out_h
    return out_w, out_h, out_w, out_h


class _VideoEncoder:
    """libx264 at the size ``_rendition_size`` picks from the probed first frame; frames of
    another size (streams may change resolution) are scaled to match."""

    def __init__(
        self, out: OutputContainer, source: VideoStream, look: _VideoLook, max_height: int
    ) -> None:
        coded_w, coded_h, *display = _rendition_size(
            look.width, look.height, look.sar, look.rotation, max_height
        )
        self.display = (display[0], display[1])
        rate = _fraction(source.average_rate) or _fraction(source.guessed_rate) or Fraction(30)
        if not 1 <= rate <= 240:  # a header's nonsense rate would mislead rate control
            rate = Fraction(30)
        # The source's time base keeps variable frame rates exact (a rounded 1/fps could give
        # two frames one timestamp), unless it is too coarse to tell frames apart.
        time_base = _fraction(source.time_base)
        if time_base is None or time_base > 1 / (2 * rate):
            time_base = Fraction(1, 90_000)
        stream = out.add_stream("libx264", rate=rate, options=dict(X264_OPTIONS))
        stream.width, stream.height, stream.pix_fmt = coded_w, coded_h, "yuv420p"
        stream.codec_context.time_base = time_base
        stream.codec_context.thread_count = 0  # libx264 picks its threads from the cores
        if look.rotation:
            stream.set_display_rotation(look.rotation)
        self.out = out
        self.stream = stream
        self.time_base = time_base
        self.reformatter = VideoReformatter()
        self.last_pts = -1
        self.frames = 0

    def push(self, frame: VideoFrame | None) -> None:
        if frame is None:
            self.out.mux(self.stream.encode(None))
            return
        pts = frame.pts
        frame_base = _fraction(frame.time_base)
        if pts is not None and frame_base and frame_base != self.time_base:
            pts = round(pts * frame_base / self.time_base)
        if pts is None or pts <= self.last_pts:  # missing or repeated timestamps: keep order
            pts = self.last_pts + 1
        self.last_pts = pts
        size = (self.stream.width, self.stream.height)
        if (frame.width, frame.height) != size or frame.format.name != "yuv420p":
            frame = self.reformatter.reformat(
                frame, *size, format="yuv420p", interpolation=SCALE_INTERPOLATION
            )
        frame.pts = pts
        frame.time_base = self.time_base
        self.out.mux(self.stream.encode(frame))
        self.frames += 1


def video_rendition(
    src: Path, out_path: Path, *, max_height: int = 720, timeout: float = 1800
) -> Output:
    """H.264 (libx264 veryfast, CRF 23, yuv420p) plus AAC when the source has sound, in an
    MP4 with its index first: the one combination every browser plays. At most
    ``max_height`` lines as displayed, never upscaled; a rotation is kept as display
    metadata rather than by turning every pixel."""
    deadline = _Deadline(timeout)
    _, look = _inspect_video(src, MAX_DURATION, VIDEO_MAX_PIXELS)
    with (
        _opened_av(src, "video", max_pixels=VIDEO_MAX_PIXELS) as container,
        _opened_mp4(out_path, "video") as out,
    ):
        video = _main_stream(container, "video")
        video.thread_type = "AUTO"
        audio = _main_stream(container, "audio")
        if audio is not None and audio.codec_context is None:
            audio = None  # sound we cannot decode: the picture is still worth keeping
        pictures = _VideoEncoder(out, video, look, max_height)
        sound = _AudioEncoder(out, audio) if audio is not None else None
        for frame in _frames(
            container, [video] if sound is None else [video, audio], deadline, "video"
        ):
            if isinstance(frame, VideoFrame):
                pictures.push(frame)
            elif sound is not None:
                sound.push(frame)
        if not pictures.frames:
            raise _corrupt("video")
        pictures.push(None)
        if sound is not None:
            sound.push(None)
    return _output(out_path, "video.mp4", "video/mp4", *pictures.display)
