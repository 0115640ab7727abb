"""Benchmarks for riffhouse.records.media against the plainest code that makes the same files.

image_renditions — ~12 generated photos and graphics (3000x2000 and around, some with
alpha) through ``image_renditions`` versus a bare Pillow loop writing the same widths and
formats with the same encoder settings. Our version also checks, orients and describes the
picture (dominant colour, placeholder), so it may cost at most 1.3 times the bare loop.

video_rendition — a generated 10 s 1280x720 30 fps clip with sound through
``video_rendition`` versus a bare PyAV transcode with identical settings (libx264 veryfast
CRF 23, AAC 160 kbit/s, +faststart, decoder threads). Our version also probes the file and
checks a deadline; it may cost at most 1.15 times the bare transcode.

Each figure is the best of several interleaved runs, which is the least noisy estimate of
what the code costs on an otherwise idle machine.
"""

import json
import tempfile
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from riffhouse.records import media

IMAGE_WIDTHS = (320, 640, 1280, 2048)


def _best_of(rounds: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def _result(times: dict[str, float], target: float) -> dict[str, float]:
    return {
        "ours_s": round(times["ours"], 3),
        "bare_s": round(times["bare"], 3),
        "ratio": round(times["ours"] / times["bare"], 3),
        "target": target,
    }


# --- Images ---------------------------------------------------------------------------------


def _make_images(folder: Path) -> list[Path]:
    """Smooth gradients with grain (photo-like), pure noise (worst case for encoders), and
    graphics with transparent areas, in the formats members upload."""
    rng = np.random.default_rng(7)
    specs = [
        ("JPEG", (3000, 2000), "photo"),
        ("JPEG", (2000, 3000), "photo"),
        ("JPEG", (4000, 3000), "photo"),
        ("JPEG", (3000, 2000), "noise"),
        ("JPEG", (1600, 1200), "photo"),
        ("JPEG", (3000, 2000), "photo"),
        ("PNG", (3000, 2000), "alpha"),
        ("PNG", (2400, 1800), "alpha"),
        ("PNG", (3000, 2000), "photo"),
        ("WEBP", (3000, 2000), "photo"),
        ("WEBP", (3000, 2000), "alpha"),
        ("GIF", (1200, 800), "photo"),
    ]
    paths = []
    for number, (fmt, (width, height), look) in enumerate(specs):
        y, x = np.mgrid[0:height, 0:width]
        if look == "noise":
            pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        else:
            red = x * 255 // width
            green = y * 255 // height
            blue = (x + y + number * 97) % 256
            grain = rng.integers(-12, 13, (height, width, 1))
            pixels = np.clip(np.dstack([red, green, blue]) + grain, 0, 255).astype(np.uint8)
        if look == "alpha":
            circle = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (min(width, height) / 2.5) ** 2
            alpha = np.where(circle, 255, 0).astype(np.uint8)
            pixels = np.dstack([pixels, alpha])
        img = Image.fromarray(pixels)
        path = folder / f"image{number:02}.{fmt.lower()}"
        settings = {"quality": 92} if fmt in ("JPEG", "WEBP") else {}
        img.save(path, fmt, **settings)
        paths.append(path)
    return paths


def _bare_image_renditions(src: Path, out_dir: Path) -> None:
    """What one would write without our module: decode, and for each width resize the
    original and save WebP plus JPEG (PNG with alpha), same encoder settings."""
    with Image.open(src) as img:
        img.load()
        icc = img.info.get("icc_profile")
        alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
        base = img.convert("RGBA" if alpha else "RGB")
    base.info = {}
    width, height = base.size
    fallback = ("PNG", "png", media.PNG_SETTINGS) if alpha else ("JPEG", "jpg", media.JPEG_SETTINGS)
    extra = {"icc_profile": icc} if icc else {}
    for target in [w for w in IMAGE_WIDTHS if w <= width] or [IMAGE_WIDTHS[0]]:
        size = (min(target, width), max(1, round(height * min(target, width) / width)))
        resized = base.resize(size, Image.Resampling.LANCZOS)
        resized.save(out_dir / f"w{target}.webp", "WEBP", **media.WEBP_SETTINGS, **extra)
        resized.save(out_dir / f"w{target}.{fallback[1]}", fallback[0], **fallback[2], **extra)


def bench_image_renditions(rounds: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        images = _make_images(root / "in")

        def ours() -> None:
            for number, path in enumerate(images):
                media.image_renditions(path, root / "ours" / str(number), widths=IMAGE_WIDTHS)

        def bare() -> None:
            for number, path in enumerate(images):
                out_dir = root / "bare" / str(number)
                out_dir.mkdir(parents=True, exist_ok=True)
                _bare_image_renditions(path, out_dir)

        return _result(_best_of(rounds, {"ours": ours, "bare": bare}), target=1.3)


# --- Video ----------------------------------------------------------------------------------


def _make_video(path: Path, seconds: int = 10, fps: int = 30) -> Path:
    """1280x720 with a drifting gradient, a moving block and light grain, plus a stereo tone."""
    width, height, rate = 1280, 720, 48_000
    rng = np.random.default_rng(3)
    y, x = np.mgrid[0:height, 0:width]
    grain = rng.integers(0, 16, (8, height, width, 1), dtype=np.uint8)
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=fps, options={"preset": "veryfast", "crf": "20"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = out.add_stream("aac", rate=rate)
        audio.layout = "stereo"
        for i in range(seconds * fps):
            picture = np.dstack(
                [(x + i * 4) % 256, (y + i * 2) % 256, np.full_like(x, i % 256)]
            ).astype(np.uint8)
            left = (i * 9) % (width - 200)
            picture[200:400, left : left + 200] = (255, 255, 255)
            picture += grain[i % 8]
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        t = np.arange(seconds * rate) / rate
        tone = (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(t))).astype(np.float32)
        sound = av.AudioFrame.from_ndarray(np.vstack([tone, tone]), format="fltp", layout="stereo")
        sound.sample_rate, sound.pts = rate, 0
        out.mux(audio.encode(sound))
        out.mux(audio.encode(None))
    return path


def _bare_video_rendition(src: Path, out_path: Path) -> None:
    """A straightforward PyAV transcode with the settings ``video_rendition`` uses."""
    with (
        av.open(str(src)) as container,
        av.open(
            str(out_path), "w", format="mp4", container_options={"movflags": "+faststart"}
        ) as out,
    ):
        video_in = container.streams.video[0]
        audio_in = container.streams.audio[0]
        video_in.thread_type = "AUTO"
        video = out.add_stream(
            "libx264", rate=video_in.average_rate, options=dict(media.X264_OPTIONS)
        )
        video.width, video.height, video.pix_fmt = video_in.width, video_in.height, "yuv420p"
        video.codec_context.time_base = video_in.time_base
        video.codec_context.thread_count = 0
        audio = out.add_stream("aac", rate=audio_in.sample_rate)
        audio.layout = "stereo"
        audio.bit_rate = media.AUDIO_BITRATE
        resampler = av.AudioResampler(
            format="fltp", layout="stereo", rate=audio_in.sample_rate, frame_size=1024
        )
        samples = 0
        for packet in container.demux(video_in, audio_in):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    if frame.format.name != "yuv420p":
                        frame = frame.reformat(format="yuv420p")
                    out.mux(video.encode(frame))
                else:
                    frame.pts = None
                    for chunk in resampler.resample(frame):
                        chunk.pts, chunk.time_base = samples, Fraction(1, audio_in.sample_rate)
                        samples += chunk.samples
                        out.mux(audio.encode(chunk))
        for chunk in resampler.resample(None):
            chunk.pts, chunk.time_base = samples, Fraction(1, audio_in.sample_rate)
            samples += chunk.samples
            out.mux(audio.encode(chunk))
        out.mux(video.encode(None))
        out.mux(audio.encode(None))


def bench_video_rendition(rounds: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = _make_video(root / "source.mp4")
        times = _best_of(
            rounds,
            {
                "ours": lambda: media.video_rendition(src, root / "ours.mp4"),
                "bare": lambda: _bare_video_rendition(src, root / "bare.mp4"),
            },
        )
        return _result(times, target=1.15)


if __name__ == "__main__":
    print(
        json.dumps(
            {
                "image_renditions": bench_image_renditions(),
                "video_rendition": bench_video_rendition(),
            },
            indent=2,
        )
    )
