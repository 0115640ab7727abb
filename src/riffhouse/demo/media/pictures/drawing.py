"""Drawing helpers for the pictures and animations (float images: height x width x 3,
values 0..1)."""

from __future__ import annotations

import io
import math
import random

import numpy as np
from PIL import Image

from riffhouse.demo.media.common import Colour, FloatImage


def f32(values: object) -> np.ndarray:
    """An array of float32 (also tells the type checker what numpy returns)."""
    return np.asarray(values, dtype=np.float32)


def rgb(colour: Colour) -> np.ndarray:
    return np.array(colour, dtype=np.float32) / 255.0


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _gradient(width: int, height: int, stops: list[tuple[float, Colour]]) -> FloatImage:
    """A vertical gradient through colour stops at fractions of the height."""
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)
    positions = [p for p, _ in stops]
    colours = np.array([c for _, c in stops], dtype=np.float32) / 255.0
    column = np.stack([np.interp(ys, positions, colours[:, i]) for i in range(3)], axis=1)
    return np.repeat(column[:, None, :], width, axis=1).astype(np.float32)


def _noise(
    rng: np.random.Generator,
    width: int,
    height: int,
    cells: tuple[int, int] = (4, 3),
    octaves: int = 5,
    persistence: float = 0.5,
) -> np.ndarray:
    """Smooth fractal value noise in 0..1, computed at quarter size and scaled up."""
    w, h = max(2, width // 4), max(2, height // 4)
    total = np.zeros((h, w), np.float32)
    amplitude, norm = 1.0, 0.0
    cx, cy = cells
    for _ in range(octaves):
        grid = rng.random((cy + 1, cx + 1)).astype(np.float32)
        layer = Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)
        total += amplitude * np.asarray(layer)
        norm += amplitude
        amplitude *= persistence
        cx, cy = cx * 2, cy * 2
    full = np.asarray(
        Image.fromarray(total / norm).resize((width, height), Image.Resampling.BILINEAR)
    )
    low, high = float(full.min()), float(full.max())
    return (full - low) / (high - low + 1e-6)


def noise_1d(rng: random.Random, length: int, cells: int, octaves: int = 5) -> np.ndarray:
    """Smooth 1-D fractal noise in 0..1 (ridge lines, skylines)."""
    xs = np.linspace(0.0, 1.0, length)
    total = np.zeros(length)
    amplitude, norm = 1.0, 0.0
    for octave in range(octaves):
        n = cells * 2**octave + 1
        points = np.array([rng.random() for _ in range(n)])
        # cosine interpolation between random points
        pos = xs * (n - 1)
        i = np.minimum(pos.astype(int), n - 2)
        f = (1 - np.cos((pos - i) * math.pi)) / 2
        total += amplitude * (points[i] * (1 - f) + points[i + 1] * f)
        norm += amplitude
        amplitude *= 0.5
    total /= norm
    return (total - total.min()) / (total.max() - total.min() + 1e-9)


def _box(
    image: np.ndarray, cx: float, cy: float, rx: float, ry: float
) -> tuple[tuple[slice, slice], np.ndarray, np.ndarray] | None:
    """The clipped bounding box around a point, with pixel-centre coordinates relative to it."""
    height, width = image.shape[:2]
    x0, x1 = max(0, int(cx - rx) - 1), min(width, int(cx + rx) + 2)
    y0, y1 = max(0, int(cy - ry) - 1), min(height, int(cy + ry) + 2)
    if x0 >= x1 or y0 >= y1:
        return None
    xs = np.arange(x0, x1, dtype=np.float32)[None, :] + 0.5 - cx
    ys = np.arange(y0, y1, dtype=np.float32)[:, None] + 0.5 - cy
    return (slice(y0, y1), slice(x0, x1)), xs, ys


def _glow(
    image: np.ndarray, cx: float, cy: float, radius: float, colour: Colour, strength: float = 1.0
) -> None:
    """Add a soft Gaussian light."""
    box = _box(image, cx, cy, radius * 3, radius * 3)
    if box is None:
        return
    region, xs, ys = box
    falloff = np.exp(-(xs * xs + ys * ys) / (radius * radius)) * strength
    image[region] += falloff[..., None] * rgb(colour)


def _over(
    image: np.ndarray,
    alpha: np.ndarray,
    colour: Colour | np.ndarray,
) -> None:
    """Paint a colour (or an image of colours) over an image, through a coverage mask."""
    a = alpha[..., None]
    paint = rgb(colour) if isinstance(colour, tuple) else colour
    image *= 1 - a
    image += a * paint


def disc_alpha(xs: np.ndarray, ys: np.ndarray, radius: float) -> np.ndarray:
    return f32(np.clip(radius - np.sqrt(xs * xs + ys * ys) + 0.5, 0.0, 1.0))


def vignette(image: np.ndarray, strength: float = 0.35) -> None:
    height, width = image.shape[:2]
    ys = np.linspace(-1, 1, height, dtype=np.float32)[:, None]
    xs = np.linspace(-1, 1, width, dtype=np.float32)[None, :]
    image *= (1 - strength * np.clip((xs * xs + ys * ys) / 2, 0, 1) ** 1.3)[..., None]


def to_image(image: np.ndarray) -> Image.Image:
    return Image.fromarray((np.clip(image, 0.0, 1.0) * 255 + 0.5).astype(np.uint8))


def from_image(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0


def mask_to_alpha(mask: Image.Image, factor: int) -> np.ndarray:
    """Down-sample a supersampled L mask into an anti-aliased coverage array."""
    return np.asarray(mask.reduce(factor), dtype=np.float32) / 255.0


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
