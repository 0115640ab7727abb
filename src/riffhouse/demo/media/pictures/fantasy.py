"""Fantasy: misty mountain layers, a moon and a castle on the crag."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from riffhouse.demo.media.common import Colour, rngs
from riffhouse.demo.media.pictures.drawing import (
    _box,
    _glow,
    _gradient,
    _mix,
    _noise,
    _over,
    disc_alpha,
    mask_to_alpha,
    noise_1d,
    rgb,
    to_image,
    vignette,
)
from riffhouse.demo.media.pictures.space import _stars


@dataclass(frozen=True)
class _FantasyLook:
    sky: list[tuple[float, Colour]]  # gradient stops down to the horizon
    moon: Colour
    far: Colour  # the farthest ridge
    near: Colour  # the nearest hills
    window: Colour


_FANTASY_PALETTES = [
    _FantasyLook(  # dusk
        sky=[(0.0, (22, 34, 66)), (0.45, (86, 84, 128)), (0.72, (232, 158, 118))],
        moon=(252, 240, 214),
        far=(160, 126, 150),
        near=(14, 20, 34),
        window=(255, 196, 96),
    ),
    _FantasyLook(  # deep night
        sky=[(0.0, (6, 10, 30)), (0.45, (20, 36, 82)), (0.75, (70, 96, 150))],
        moon=(236, 242, 255),
        far=(74, 94, 140),
        near=(6, 10, 22),
        window=(255, 206, 110),
    ),
    _FantasyLook(  # green twilight
        sky=[(0.0, (14, 30, 40)), (0.45, (42, 88, 92)), (0.75, (206, 200, 150))],
        moon=(255, 246, 220),
        far=(110, 140, 130),
        near=(8, 20, 20),
        window=(255, 190, 90),
    ),
]


def _castle(
    draw: ImageDraw.ImageDraw, x: float, base: float, size: float, ss: int, rnd: random.Random
) -> list[tuple[float, float, float, float]]:
    """Draw a castle silhouette into a supersampled mask; return its window rectangles."""
    windows = []

    def rect(x0: float, y0: float, x1: float, y1: float) -> None:
        draw.rectangle([x0 * ss, y0 * ss, x1 * ss, y1 * ss], fill=255)

    def tower(cx: float, width: float, top: float, roof: bool) -> None:
        rect(cx - width / 2, top, cx + width / 2, base + size * 0.4)
        if roof:
            draw.polygon(
                [
                    ((cx - width * 0.62) * ss, top * ss),
                    ((cx + width * 0.62) * ss, top * ss),
                    (cx * ss, (top - width * 1.5) * ss),
                ],
                fill=255,
            )
            pole = top - width * 1.5
            rect(cx - size * 0.004, pole - size * 0.1, cx + size * 0.004, pole)
            draw.polygon(
                [
                    (cx * ss, (pole - size * 0.1) * ss),
                    ((cx + size * 0.07) * ss, (pole - size * 0.08) * ss),
                    (cx * ss, (pole - size * 0.055) * ss),
                ],
                fill=255,
            )
        else:
            teeth = 4
            tooth = width / (teeth * 2 - 1)
            for k in range(teeth):
                tx = cx - width / 2 + k * 2 * tooth
                rect(tx, top - tooth * 1.1, tx + tooth, top)
        for k in range(rnd.randint(1, 3)):
            wy = top + width * (0.5 + k * 0.9)
            if wy < base - width * 0.3:
                windows.append((cx, wy, width * 0.1, width * 0.2))

    # a rocky crag under the walls, merging into the ridge
    draw.polygon(
        [
            ((x - size * 0.85) * ss, (base + size * 0.5) * ss),
            ((x - size * 0.6) * ss, (base - size * 0.02) * ss),
            ((x + size * 0.62) * ss, (base - size * 0.02) * ss),
            ((x + size * 0.9) * ss, (base + size * 0.5) * ss),
        ],
        fill=255,
    )
    wall_top = base - size * 0.28
    rect(x - size * 0.5, wall_top, x + size * 0.5, base + size * 0.4)
    teeth = 14
    tooth = size / (teeth * 2 - 1)
    for k in range(teeth):
        tx = x - size / 2 + k * 2 * tooth
        rect(tx, wall_top - tooth * 1.2, tx + tooth, wall_top)
    # corner towers, the keep and two slender spires
    tower(x - size * 0.5, size * 0.14, base - size * 0.62, True)
    tower(x + size * 0.5, size * 0.14, base - size * 0.55, True)
    tower(x - size * 0.12, size * 0.2, base - size * 0.85, False)
    tower(x + size * 0.16, size * 0.12, base - size * 1.12, True)
    tower(x + size * 0.32, size * 0.1, base - size * 0.7, True)
    return windows


def _pine(draw: ImageDraw.ImageDraw, x: float, ground: float, height: float, ss: int) -> None:
    width = height * 0.42
    tiers = 4
    for k in range(tiers):
        top = ground - height + k * height * 0.2
        bottom = top + height * 0.42
        half = width * (0.45 + k * 0.2) / 1.1
        draw.polygon(
            [((x - half) * ss, bottom * ss), ((x + half) * ss, bottom * ss), (x * ss, top * ss)],
            fill=255,
        )
    draw.rectangle(
        [
            (x - width * 0.06) * ss,
            (ground - height * 0.1) * ss,
            (x + width * 0.06) * ss,
            ground * ss + ss * 4,
        ],
        fill=255,
    )


def fantasy_image(width: int, height: int, seed: int) -> Image.Image:
    rnd, rng = rngs("fantasy", seed)
    palette = _FANTASY_PALETTES[seed % len(_FANTASY_PALETTES)]
    s = min(width, height)
    stops = [*palette.sky, (1.0, palette.sky[-1][1])]
    image = _gradient(width, height, stops)
    horizon = rgb(palette.sky[-1][1])

    # faint stars high up, wispy clouds, and the moon with a wide halo
    _stars(image, rng, width * height // 2500, 0.6, top=2.2)
    wisps = _noise(rng, width, height, cells=(2, 10), octaves=5)
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    cloud = np.clip((wisps - 0.55) * 2.5, 0, 1) * np.exp(-(((ys - 0.3) / 0.16) ** 2))
    mx = width * rnd.uniform(0.2, 0.8)
    my = height * rnd.uniform(0.18, 0.3)
    mr = s * rnd.uniform(0.07, 0.095)
    _glow(image, mx, my, mr * 5, palette.moon, 0.22)
    _glow(image, mx, my, mr * 1.8, palette.moon, 0.35)
    box = _box(image, mx, my, mr, mr)
    if box is not None:
        region, bx, by = box
        craters = _noise(rng, bx.shape[1], by.shape[0], cells=(3, 3), octaves=4)
        moon = rgb(palette.moon) * (0.88 + 0.12 * craters[..., None])
        _over(image[region], disc_alpha(bx, by, mr), moon)
    _over(image, cloud * 0.55, _mix(palette.sky[1][1], palette.moon, 0.45))

    # five mountain layers from far (hazy) to near (dark), mist between them
    layers = 5
    pixel_rows = np.arange(height, dtype=np.float32)[:, None] + 0.5
    castle_layer = 2
    ss = 2
    for k in range(layers):
        depth = (k + 1) / layers
        base = height * (0.5 + 0.1 * k)
        amp = height * (0.26 - 0.035 * k)
        ridge_noise = noise_1d(rnd, width, cells=3 + k, octaves=4 if k < 2 else 5)
        ridged = 1 - np.abs(2 * ridge_noise - 1) if k < 2 else ridge_noise
        ridge = base - amp * ridged
        colour = rgb(_mix(palette.far, palette.near, depth**0.8))
        colour = colour * (1 - 0.25 * (1 - depth)) + horizon * 0.25 * (1 - depth)
        _over(image, np.clip(pixel_rows - ridge[None, :], 0, 1), colour.astype(np.float32))

        if k == castle_layer:
            lo, hi = int(width * 0.3), int(width * 0.7)
            peak = lo + int(np.argmin(ridge[lo:hi]))
            mask = Image.new("L", (width * ss, height * ss), 0)
            draw = ImageDraw.Draw(mask)
            size = s * 0.2
            windows = _castle(draw, peak, float(ridge[peak]) + size * 0.06, size, ss, rnd)
            _over(image, mask_to_alpha(mask, ss), colour.astype(np.float32))
            for wx, wy, ww, wh in windows:
                _glow(image, wx, wy, ww * 2.2, palette.window, 0.35)
                region = (
                    slice(int(wy - wh / 2), int(wy + wh / 2) + 1),
                    slice(int(wx - ww / 2), int(wx + ww / 2) + 1),
                )
                image[region] = rgb(palette.window)
        if k == layers - 1:
            mask = Image.new("L", (width * ss, height * ss), 0)
            draw = ImageDraw.Draw(mask)
            for _ in range(rnd.randint(9, 14)):
                tx = rnd.uniform(0, width)
                tree_height = s * rnd.uniform(0.1, 0.2)
                _pine(draw, tx, float(ridge[int(tx) % width]) + s * 0.01, tree_height, ss)
            _over(image, mask_to_alpha(mask, ss), colour.astype(np.float32))
        else:
            top = float(ridge.mean())
            fog = np.clip((pixel_rows - top) / (height * 0.16), 0, 1) ** 1.5 * 0.38
            fog = np.broadcast_to(fog, (height, width))
            _over(image, fog, horizon * 0.92)

    # fireflies over the near hills
    for _ in range(rnd.randint(14, 24)):
        fx, fy = rnd.uniform(0, width), rnd.uniform(height * 0.72, height * 0.98)
        _glow(image, fx, fy, s * rnd.uniform(0.004, 0.008), (255, 226, 130), 1.2)
    vignette(image, 0.35)
    return to_image(image)
