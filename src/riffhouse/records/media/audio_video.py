"""Audio and video in: opened by PyAV with FFmpeg limited to local files and the few
containers we accept, streams checked, durations and sizes probed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error
from av.container import InputContainer
from av.stream import Disposition
from av.video.frame import VideoFrame

from riffhouse.records.media.base import Deadline, MediaError, Probe

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


def _unsupported_container(kind: str) -> MediaError:
    allowed = (
        "MP3, WAV, FLAC, Ogg, M4A/MP4 or WebM"
        if kind == "audio"
        else "MP4, MOV, WebM/Matroska or Ogg"
    )
    return MediaError(
        f"This {kind} format is not supported. Upload {allowed}.", code="unsupported_format"
    )


def corrupt_error(kind: str) -> MediaError:
    return MediaError(
        f"This {kind} file is damaged or incomplete, so we cannot read it.", code="corrupt"
    )


@contextmanager
def opened_av(path: Path, kind: str, *, max_pixels: int | None = None) -> Iterator[InputContainer]:
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
        raise corrupt_error(kind) from exc
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
            raise corrupt_error(kind) from exc
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


def main_stream(container: InputContainer, kind: str) -> Any:
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


def decoded_frames(
    container: InputContainer, streams: Sequence[Any], deadline: Deadline, kind: str
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
                    raise corrupt_error(kind) from exc
                continue
            yield from frames
    except av.error.FFmpegError as exc:  # the demuxer itself gave up mid-file
        raise corrupt_error(kind) from exc


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
        raise corrupt_error(kind) from exc
    raise corrupt_error(kind)


def _duration(container: InputContainer, stream: Any, max_duration: float) -> float | None:
    """Seconds from the header, or by reading packet timestamps to the end when the header
    has none (browser recordings often do not); stops early once past ``max_duration``."""
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    time_base = fraction_of(stream.time_base)
    if stream.duration and stream.duration > 0 and time_base:
        return float(stream.duration * time_base)
    end = 0.0
    try:
        for packet in container.demux(stream):
            packet_base = fraction_of(packet.time_base)
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


def rotation_of(frame: VideoFrame) -> int:
    """The counter-clockwise display rotation, snapped to 0, 90, 180 or 270 degrees."""
    try:
        degrees = float(frame.rotation or 0)
    except (TypeError, ValueError):
        return 0
    return round(degrees / 90.0) % 4 * 90


def display_size(width: int, height: int, sar: Fraction | None, rotation: int) -> tuple[int, int]:
    """Width and height as a player shows them: pixel aspect applied, then the rotation."""
    if sar and sar > 0 and sar != 1:
        width = max(1, round(width * sar))
    return (height, width) if rotation in (90, 270) else (width, height)


def fraction_of(value: Any) -> Fraction | None:
    """PyAV's rationals as plain fractions; None for missing, zero or negative ones."""
    if value is None or not value.denominator or value.numerator <= 0:
        return None
    return Fraction(value.numerator, value.denominator)


def _sar(stream: Any) -> Fraction | None:
    return fraction_of(stream.sample_aspect_ratio)


def probe_audio(path: Path, *, max_duration: float = MAX_DURATION) -> Probe:
    """Check a file is audio we accept: allowed container, an audio stream FFmpeg decodes,
    a duration within the limit. Video files with sound pass too (their sound is audio)."""
    with opened_av(path, "audio") as container:
        stream = main_stream(container, "audio")
        if stream is None:
            raise MediaError("We found no sound in this file.", code="wrong_kind")
        _require_decoder(stream, "audio")
        frame = _first_frame(container, stream, "audio")
        duration = _duration(container, stream, max_duration)
        _check_duration(duration, max_duration, "audio")
        fmt, mime = _format_and_mime(container, path, main_stream(container, "video") is not None)
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
class VideoLook:
    """What the first decoded frame tells us that the header may not: size and rotation."""

    width: int
    height: int
    rotation: int
    sar: Fraction | None


def inspect_video(path: Path, max_duration: float, max_pixels: int) -> tuple[Probe, VideoLook]:
    too_big = MediaError(
        "This video's picture is too large for us to process.", code="too_many_pixels"
    )
    with opened_av(path, "video", max_pixels=max_pixels) as container:
        stream = main_stream(container, "video")
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
        look = VideoLook(frame.width, frame.height, rotation_of(frame), _sar(stream))
        width, height = display_size(look.width, look.height, look.sar, look.rotation)
        audio = main_stream(container, "audio")
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
    return inspect_video(path, max_duration, max_pixels)[0]
