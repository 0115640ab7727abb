"""The sandbox: the media tools run on one original in a child process with limits
(`core.isolation`), so a hostile or huge file fails its own job, never the worker."""

from pathlib import Path
from typing import Any

from riffhouse.core.isolation import OverMemory, OverTime, run_isolated
from riffhouse.records import media

Result = tuple[list[media.Output], dict[str, Any]]
COVER_WIDTH = 640


def renditions_make(
    kind: str, original: Path, out_dir: Path, max_seconds: float, max_pixels: int, seed: str = ""
) -> Result:
    """Everything people see of one original: renditions plus facts for the page. `kind`
    "cover" is an author's cover image (one WebP, `cover.webp`); `seed` makes an audio
    record's generated cover its own."""
    if kind == "image":
        return media.image_renditions(original, out_dir, max_pixels=max_pixels)
    if kind == "cover":
        outputs, extras = media.image_renditions(
            original, out_dir, widths=(COVER_WIDTH,), max_pixels=max_pixels
        )
        webp = next(out for out in outputs if out.label.endswith(".webp"))
        return [webp], {"dominant_color": extras["dominant_color"]}
    if kind == "audio":
        probe = media.probe_audio(original, max_duration=max_seconds)
        web = media.audio_rendition(original, out_dir / "audio.m4a")
        peaks = media.waveform_peaks(original)
        cover = media.generated_cover(peaks, seed=seed, out=out_dir / "cover.webp")
        return [web, cover], {"duration": probe.duration, "peaks": peaks}
    probe = media.probe_video(original, max_duration=max_seconds)
    poster = media.video_poster(original, out_dir / "poster.jpg")
    web = media.video_rendition(original, out_dir / "video.mp4")
    return [poster, web], {"duration": probe.duration, "width": web.width, "height": web.height}


def renditions_make_isolated(
    kind: str,
    original: Path,
    out_dir: Path,
    *,
    max_seconds: float,
    max_pixels: int,
    memory_bytes: int,
    timeout: float,
    seed: str = "",
) -> Result:
    """`renditions_make` in a child process limited to `memory_bytes` of address space and `timeout`
    seconds. A file we cannot or may not process raises media.MediaError with a reason for
    the uploader; anything else raises RuntimeError (the job is then retried)."""
    try:
        result: Result = run_isolated(
            renditions_make,
            (kind, original, out_dir, max_seconds, max_pixels, seed),
            memory_bytes=memory_bytes,
            timeout=timeout,
        )
    except OverTime as error:
        raise media.MediaError(
            "Processing this file took too long. Try a shorter or smaller file.", code="timeout"
        ) from error
    except OverMemory as error:
        raise media.MediaError(
            "This file needs more memory to process than Riffhouse allows.", code="too_large"
        ) from error
    return result
