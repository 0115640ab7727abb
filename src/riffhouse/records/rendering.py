"""Run the media tools on one original in a child process with limits.

FFmpeg and Pillow decode files strangers sent us. Each job runs them in a separate process
(from a fork server, so the worker's threads and connections are never copied) with a cap on
memory and on wall-clock time: a hostile or huge file can fail its own job, never take the
worker down with it. This module imports no Django code, so children start fast.
"""

import multiprocessing
import resource
from pathlib import Path
from typing import Any

from riffhouse.records import media

Result = tuple[list[media.Output], dict[str, Any]]


def render(kind: str, original: Path, out_dir: Path, max_seconds: float, max_pixels: int) -> Result:
    """Everything people see of one original: renditions plus facts for the page."""
    if kind == "image":
        return media.image_renditions(original, out_dir, max_pixels=max_pixels)
    if kind == "audio":
        probe = media.probe_audio(original, max_duration=max_seconds)
        web = media.audio_rendition(original, out_dir / "audio.m4a")
        peaks = media.waveform_peaks(original)
        return [web], {"duration": probe.duration, "peaks": peaks}
    probe = media.probe_video(original, max_duration=max_seconds)
    poster = media.video_poster(original, out_dir / "poster.jpg")
    web = media.video_rendition(original, out_dir / "video.mp4")
    return [poster, web], {"duration": probe.duration, "width": web.width, "height": web.height}


def _limit(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def render_isolated(
    kind: str,
    original: Path,
    out_dir: Path,
    *,
    max_seconds: float,
    max_pixels: int,
    memory_bytes: int,
    timeout: float,
) -> Result:
    """`render` in a child process limited to `memory_bytes` of address space and `timeout`
    seconds. Raises media.MediaError with a reason the uploader can read."""
    context = multiprocessing.get_context("forkserver")
    with context.Pool(1, initializer=_limit, initargs=(memory_bytes,)) as pool:
        pending = pool.apply_async(render, (kind, original, out_dir, max_seconds, max_pixels))
        try:
            return pending.get(timeout=timeout)
        except multiprocessing.TimeoutError as exc:
            raise media.MediaError(
                "Processing this file took too long. Try a shorter or smaller file.", code="timeout"
            ) from exc
        except MemoryError as exc:
            raise media.MediaError(
                "This file needs more memory to process than Riffhouse allows.", code="too_large"
            ) from exc
