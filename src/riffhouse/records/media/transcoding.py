"""Audio and video out: web audio, a waveform, a poster frame and web video, each encoded
frame by frame against a deadline."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av
import av.error
import numpy as np
from av.audio.frame import AudioFrame
from av.audio.resampler import AudioResampler
from av.audio.stream import AudioStream
from av.container import OutputContainer
from av.video.frame import VideoFrame
from av.video.reformatter import Interpolation, VideoReformatter
from av.video.stream import VideoStream
from PIL import Image

from riffhouse.records.media.audio_video import (
    MAX_DURATION,
    VIDEO_MAX_PIXELS,
    VideoLook,
    corrupt_error,
    decoded_frames,
    display_size,
    fraction_of,
    inspect_video,
    main_stream,
    opened_av,
    probe_audio,
    rotation_of,
)
from riffhouse.records.media.base import Deadline, MediaError, Output, output_of

# Encoding settings of the web renditions.
AUDIO_SAMPLE_RATES = (44_100, 48_000)
AUDIO_BITRATE = 160_000  # stereo; mono gets less, it has half the information
AUDIO_BITRATE_MONO = 96_000
X264_OPTIONS = {"preset": "veryfast", "crf": "23"}
SCALE_INTERPOLATION = Interpolation.BICUBIC
POSTER_MAX_FRAMES = 300  # frames decoded after a seek before we settle for the latest one


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
    deadline = Deadline(timeout)
    probe_audio(src)
    with opened_av(src, "audio") as container, _opened_mp4(out_path, "audio") as out:
        stream = main_stream(container, "audio")
        encoder = _AudioEncoder(out, stream)
        for frame in decoded_frames(container, [stream], deadline, "audio"):
            encoder.push(frame)
        encoder.push(None)
    return output_of(out_path, "audio.m4a", "audio/mp4")


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
    deadline = Deadline(timeout)
    probe = probe_audio(src)
    with opened_av(src, "audio") as container, _ffmpeg_errors("audio"):
        stream = main_stream(container, "audio")
        rate = probe.sample_rate or 48_000
        expected = int((probe.duration or 0) * rate)
        peaks = _Peaks(block=expected // (points * 4) if expected else 1024, limit=points * 16)
        resampler = AudioResampler(format="fltp")
        shape: tuple[str, str, int] | None = None
        for frame in decoded_frames(container, [stream], deadline, "audio"):
            if (frame.format.name, frame.layout.name, frame.sample_rate) != shape:
                shape = (frame.format.name, frame.layout.name, frame.sample_rate)
                resampler = AudioResampler(format="fltp")  # one per input format
            frame.pts = None
            for converted in resampler.resample(frame):
                samples = np.abs(np.nan_to_num(converted.to_ndarray(), posinf=1, neginf=1))
                peaks.add(samples.max(axis=0).astype(np.float32, copy=False))
        return peaks.buckets(points)


def _poster_frame(src: Path, at: float, deadline: Deadline) -> VideoFrame | None:
    """The first frame at or after ``at`` seconds (seeking to the keyframe before it), or the
    latest one decoded once ``POSTER_MAX_FRAMES`` have gone by without reaching it."""
    with (
        opened_av(src, "video", max_pixels=VIDEO_MAX_PIXELS) as container,
        _ffmpeg_errors("video"),
    ):
        stream = main_stream(container, "video")
        stream.thread_type = "AUTO"
        if at > 0:
            try:
                container.seek(int(at / stream.time_base), stream=stream)
            except av.error.FFmpegError:
                return None
        latest: VideoFrame | None = None
        for count, frame in enumerate(decoded_frames(container, [stream], deadline, "video")):
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
    deadline = Deadline(timeout)
    probe, look = inspect_video(src, MAX_DURATION, VIDEO_MAX_PIXELS)
    frame = _poster_frame(src, probe.duration * 0.1, deadline) if probe.duration else None
    if frame is None:
        frame = _poster_frame(src, 0, deadline)
    if frame is None:
        raise corrupt_error("video")
    image = Image.fromarray(frame.to_ndarray(format="rgb24"))
    if look.sar and look.sar != 1:
        wide = max(1, round(image.width * look.sar))
        image = image.resize((wide, image.height), Image.Resampling.BICUBIC)
    rotation = rotation_of(frame)
    if rotation:
        image = image.transpose(_TRANSPOSE[rotation])
    out_path.parent.mkdir(parents=True, exist_ok=True)
    image.save(out_path, "JPEG", quality=85, optimize=True, progressive=True)
    return output_of(out_path, "poster.jpg", "image/jpeg", image.width, image.height)


def _even(value: float) -> int:
    """The nearest even number, halves rounded up (``round`` would pick the even half)."""
    return max(2, math.floor(value / 2 + 0.5) * 2)


def _rendition_size(
    width: int, height: int, sar: Fraction | None, rotation: int, max_height: int
) -> tuple[int, int, int, int]:
    """Coded (before rotation) and displayed output sizes: at most ``max_height`` lines as
    displayed, aspect kept, never upscaled, even numbers as yuv420p requires."""
    shown_w, shown_h = display_size(width, height, sar, rotation)
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
        self, out: OutputContainer, source: VideoStream, look: VideoLook, max_height: int
    ) -> None:
        coded_w, coded_h, *display = _rendition_size(
            look.width, look.height, look.sar, look.rotation, max_height
        )
        self.display = (display[0], display[1])
        rate = fraction_of(source.average_rate) or fraction_of(source.guessed_rate) or Fraction(30)
        if not 1 <= rate <= 240:  # a header's nonsense rate would mislead rate control
            rate = Fraction(30)
        # The source's time base keeps variable frame rates exact (a rounded 1/fps could give
        # two frames one timestamp), unless it is too coarse to tell frames apart.
        time_base = fraction_of(source.time_base)
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
        frame_base = fraction_of(frame.time_base)
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
    deadline = Deadline(timeout)
    _, look = inspect_video(src, MAX_DURATION, VIDEO_MAX_PIXELS)
    with (
        opened_av(src, "video", max_pixels=VIDEO_MAX_PIXELS) as container,
        _opened_mp4(out_path, "video") as out,
    ):
        video = main_stream(container, "video")
        video.thread_type = "AUTO"
        audio = main_stream(container, "audio")
        if audio is not None and audio.codec_context is None:
            audio = None  # sound we cannot decode: the picture is still worth keeping
        pictures = _VideoEncoder(out, video, look, max_height)
        sound = _AudioEncoder(out, audio) if audio is not None else None
        for frame in decoded_frames(
            container, [video] if sound is None else [video, audio], deadline, "video"
        ):
            if isinstance(frame, VideoFrame):
                pictures.push(frame)
            elif sound is not None:
                sound.push(frame)
        if not pictures.frames:
            raise corrupt_error("video")
        pictures.push(None)
        if sound is not None:
            sound.push(None)
    return output_of(out_path, "video.mp4", "video/mp4", *pictures.display)
