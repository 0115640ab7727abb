"""A cover for a track that has none: drawn from its waveform with Pillow.

Two hues come from a hash of the record (so neighbours in a list differ even when their
sound is alike), the gradient's angle and the ring's shape from the waveform itself. The
ring is the whole track read clockwise from the top: loud passages reach out, quiet ones
stay close to the centre, as on a record's grooves.
"""

from __future__ import annotations

import colorsys
import hashlib
import itertools
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from riffhouse.records.media.base import Output, output_of
from riffhouse.records.media.images import WEBP_SETTINGS

COVER_SIZE = 640
_SUPERSAMPLE = 2
_RING_BARS = 180


_MAX_BRIGHTNESS = 125  # of 255: yellows and greens are toned down so the white ring reads


def _rgb(hue: float, lightness: float, saturation: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    brightness = (0.2126 * red + 0.7152 * green + 0.0722 * blue) * 255
    scale = min(1.0, _MAX_BRIGHTNESS / brightness) if brightness else 1.0
    return round(red * 255 * scale), round(green * 255 * scale), round(blue * 255 * scale)


GOLDEN = (math.sqrt(5) - 1) / 2


def cover_colors(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int], float]:
    """Two deep colours and an angle for the gradient. A seed ending in a number (the
    record's id) steps the hue round the circle by the golden ratio, so records made one
    after another (neighbours in a list) are far apart in colour; the rest comes from a hash
    of `seed`: the second hue 50-140 degrees on, the lightness, the angle. Dark enough that
    the white ring and the play button read."""
    digest = hashlib.sha256(seed.encode()).digest()
    number = seed.rsplit("-", 1)[-1]
    hue = (
        (int(number) * GOLDEN + digest[0] / 2048) % 1.0
        if number.isdigit()
        else digest[0] / 256 + digest[1] / 65536
    )
    step = (50 + digest[2] % 90) / 360
    first = _rgb(hue, 0.30 + digest[3] % 12 / 100, 0.55 + digest[4] % 30 / 100)
    second = _rgb(hue + step, 0.42 + digest[5] % 12 / 100, 0.60 + digest[6] % 30 / 100)
    angle = digest[7] / 256 * math.tau
    return first, second, angle


def _resample(peaks: Sequence[float], count: int) -> np.ndarray:
    values = np.asarray(list(peaks) or [0.0], dtype=np.float64)
    values = np.clip(np.nan_to_num(values), 0.0, 1.0)
    if len(values) == count:
        return values
    edges = np.linspace(0, len(values), count + 1)
    return np.array(
        [values[int(a) : max(int(a) + 1, int(b))].max() for a, b in itertools.pairwise(edges)]
    )


def generated_cover(
    peaks: Sequence[float], *, seed: str, out: Path, size: int = COVER_SIZE
) -> Output:
    """Draw a square cover for a track from its waveform `peaks` (0..1) and `seed` (something
    unique to the record), saved as WebP at `out`."""
    first, second, angle = cover_colors(seed)
    bars = _resample(peaks, _RING_BARS)
    # The waveform turns the gradient too: a loud start and a quiet end lean it differently.
    half = len(bars) // 2
    angle += float(bars[:half].mean() - bars[half:].mean()) * math.pi
    big = size * _SUPERSAMPLE
    axis = np.linspace(-1.0, 1.0, big)
    xs, ys = np.meshgrid(axis, axis)
    mix = (xs * math.cos(angle) + ys * math.sin(angle)) / math.sqrt(2) * 0.5 + 0.5
    mix = np.clip(mix, 0.0, 1.0)[..., None]
    # A soft light from the upper left, so the square has depth rather than a flat fill.
    glow = np.clip(1.0 - np.hypot(xs + 0.45, ys + 0.55) / 1.6, 0.0, 1.0)[..., None] * 0.18
    pixels = np.asarray(first) * (1 - mix) + np.asarray(second) * mix
    pixels = pixels + (255 - pixels) * glow
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")

    ring = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(ring)
    centre = big / 2
    # The ring stays inside the middle 72% so a 4:3 card's crop never cuts it.
    inner = big * 0.14
    reach = big * 0.19
    width = max(2, round(math.tau * inner / _RING_BARS * 0.55))
    for index, peak in enumerate(bars):
        theta = index / len(bars) * math.tau - math.pi / 2
        length = 0.03 * big + float(peak) ** 0.8 * reach
        cos, sin = math.cos(theta), math.sin(theta)
        start = (centre + cos * inner, centre + sin * inner)
        end = (centre + cos * (inner + length), centre + sin * (inner + length))
        draw.line([start, end], fill=235, width=width)
    hole = big * 0.028
    draw.ellipse(
        [
            centre - inner * 0.72,
            centre - inner * 0.72,
            centre + inner * 0.72,
            centre + inner * 0.72,
        ],
        outline=120,
        width=max(2, big // 320),
    )
    draw.ellipse([centre - hole, centre - hole, centre + hole, centre + hole], fill=235)
    shadow = ring.filter(ImageFilter.GaussianBlur(big / 90))
    image.paste((0, 0, 0), mask=shadow.point(lambda value: value * 35 // 100))
    image.paste((250, 247, 242), mask=ring)
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, "WEBP", **WEBP_SETTINGS)
    return output_of(out, out.name, "image/webp", size, size)
