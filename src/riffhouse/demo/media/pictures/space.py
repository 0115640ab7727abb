"""Space: a ringed planet over a nebula."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from riffhouse.demo.media.common import Colour, rngs
from riffhouse.demo.media.pictures.drawing import (
    _box,
    _glow,
    _gradient,
    _noise,
    _over,
    disc_alpha,
    rgb,
    to_image,
    vignette,
)


@dataclass(frozen=True)
class _SpaceLook:
    sky: list[Colour]  # top, middle, bottom
    nebula: list[Colour]  # two gas colours
    bands: list[Colour]  # the giant's cloud bands, dark to light
    ring: Colour
    air: Colour  # the atmosphere's rim light


SPACE_PALETTES = [
    _SpaceLook(
        sky=[(4, 6, 22), (18, 14, 48), (36, 18, 58)],
        nebula=[(220, 70, 150), (70, 110, 255)],
        bands=[(92, 52, 48), (176, 108, 70), (232, 176, 120), (246, 222, 184)],
        ring=(236, 214, 178),
        air=(255, 170, 120),
    ),
    _SpaceLook(
        sky=[(2, 8, 20), (8, 26, 52), (12, 40, 64)],
        nebula=[(40, 200, 190), (120, 80, 240)],
        bands=[(30, 60, 110), (60, 120, 170), (140, 196, 220), (220, 240, 246)],
        ring=(200, 226, 240),
        air=(120, 220, 255),
    ),
    _SpaceLook(
        sky=[(10, 4, 18), (34, 10, 40), (60, 16, 44)],
        nebula=[(255, 110, 80), (200, 60, 160)],
        bands=[(70, 40, 90), (140, 80, 140), (220, 150, 170), (250, 220, 210)],
        ring=(250, 210, 190),
        air=(255, 150, 200),
    ),
]


def _stars(
    image: np.ndarray,
    rng: np.random.Generator,
    count: int,
    brightness: float = 1.0,
    top: float = 1.0,
) -> None:
    """Scatter faint stars: single pixels, a few with a soft cross, biased upwards by `top`."""
    height, width = image.shape[:2]
    xs = rng.integers(0, width, count)
    ys = (rng.random(count) ** top * height).astype(int).clip(0, height - 1)
    level = (rng.random(count) ** 3 * 0.9 + 0.1) * brightness
    tint = np.stack(
        [np.ones(count), 0.92 + rng.random(count) * 0.08, 0.85 + rng.random(count) * 0.15], 1
    )
    tint = np.where(rng.random(count)[:, None] < 0.3, tint[:, ::-1], tint)
    values = (level[:, None] * tint).astype(np.float32)
    np.add.at(image, (ys, xs), values)
    bright = level > 0.5 * brightness
    for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        np.add.at(
            image,
            ((ys[bright] + dy).clip(0, height - 1), (xs[bright] + dx).clip(0, width - 1)),
            values[bright] * 0.35,
        )


def _bright_star(image: np.ndarray, x: float, y: float, size: float, colour: Colour) -> None:
    _glow(image, x, y, size, colour, 0.9)
    _glow(image, x, y, size * 0.35, (255, 255, 255), 1.0)
    box = _box(image, x, y, size * 8, size * 8)
    if box is None:
        return
    region, xs, ys = box
    spikes = np.exp(-(ys * ys) / 0.8) * np.exp(-np.abs(xs) / (size * 2.2)) + np.exp(
        -(xs * xs) / 0.8
    ) * np.exp(-np.abs(ys) / (size * 2.2))
    image[region] += (spikes * 0.8)[..., None] * rgb(colour)


def _planet(
    image: np.ndarray,
    cx: float,
    cy: float,
    radius: float,
    bands: list[Colour],
    light: tuple[float, float, float],
    rng: np.random.Generator,
    air: Colour | None = None,
    ring: Colour | None = None,
    tilt: float = -0.35,
    squash: float = 0.26,
    banded: bool = True,
) -> None:
    """A shaded, banded sphere with an atmosphere rim and optionally a ring system."""
    lx, ly, lz = light
    norm = math.sqrt(lx * lx + ly * ly + lz * lz)
    lx, ly, lz = lx / norm, ly / norm, lz / norm
    reach = radius * (2.3 if ring else 1.15)
    tall = max(radius * 1.15, reach * (abs(math.sin(tilt)) + squash)) if ring else reach
    box = _box(image, cx, cy, reach, tall)
    if box is None:
        return
    region, xs, ys = box
    cos_t, sin_t = math.cos(tilt), math.sin(tilt)
    u = xs * cos_t + ys * sin_t  # along the ring plane
    v = -xs * sin_t + ys * cos_t  # across it, positive towards the viewer
    target = image[region]

    ring_alpha = ring_colour = None
    if ring:
        rho = np.sqrt(u * u + (v / squash) ** 2) / radius
        t = (rho - 1.35) / (2.25 - 1.35)
        # a radial density profile of ringlets of random widths, with one dark division
        grid = np.linspace(0.0, 1.0, 1024)
        profile = 0.62 + 0.18 * np.sin(grid * math.pi * 2.2 + rng.uniform(0, 6))
        for _ in range(9):
            freq = rng.uniform(4, max(6.0, min(26.0, radius * 0.9 * squash / 3)))
            profile += rng.uniform(0.04, 0.12) * np.sin(
                grid * freq * 2 * math.pi + rng.uniform(0, 6)
            )
        gap = rng.uniform(0.55, 0.7)
        profile *= np.clip(np.abs(grid - gap) * 60 - 0.6, 0.12, 1)
        profile *= np.clip(grid * 30, 0, 1) * np.clip((1 - grid) * 40, 0, 1)
        density = np.interp(t, grid, np.clip(profile, 0, 1)).astype(np.float32)
        inside = (t > 0) & (t < 1)
        ring_alpha = np.where(inside, density * 0.92, 0).astype(np.float32)
        # the planet's shadow on the ring: points whose way to the light passes the sphere
        z = v / squash * math.sqrt(1 - squash * squash)
        along = xs * lx + ys * ly + z * lz
        across = xs * xs + ys * ys + z * z - along * along
        shadow = np.where(
            along < 0, np.clip((np.sqrt(np.maximum(across, 0)) - radius) / 3 + 1, 0, 1), 1
        )
        shade = (0.15 + 0.85 * shadow) * (0.8 + 0.2 * density)
        ring_colour = rgb(ring)[None, None, :] * (0.6 + 0.4 * t[..., None]) * shade[..., None]
        behind = ring_alpha * (v < 0)
        _over(target, behind, ring_colour)

    r2 = (xs * xs + ys * ys) / (radius * radius)
    alpha = disc_alpha(xs, ys, radius)
    z = np.sqrt(np.clip(1 - r2, 0, 1))
    nx, ny = xs / radius, ys / radius
    diffuse = np.clip(nx * lx + ny * ly + z * lz, 0, 1)
    # latitude bands, rotated with the ring plane and stirred by noise
    lat = v / radius
    height, width = target.shape[:2]
    stir = _noise(rng, width, height, cells=(3, 6) if banded else (4, 4), octaves=4)
    if banded:
        pos = np.clip(0.5 + 0.5 * np.sin(lat * 9.0 + (stir - 0.5) * 2.2 + lat * lat * 4), 0, 1)
    else:
        pos = np.clip(stir * 1.3 - 0.15, 0, 1)
    palette = np.array(bands, dtype=np.float32) / 255.0
    idx = pos * (len(bands) - 1)
    i0 = np.minimum(idx.astype(int), len(bands) - 2)
    f = (idx - i0)[..., None]
    surface = palette[i0] * (1 - f) + palette[i0 + 1] * f
    light_level = 0.04 + 1.05 * diffuse**0.85
    colour = surface * light_level[..., None]
    if air:
        rim = (1 - z) ** 2.5 * np.clip(diffuse * 1.5 + 0.1, 0, 1)
        colour += rim[..., None] * rgb(air) * 0.8
    _over(target, alpha, colour)
    if air:
        dist = np.sqrt(xs * xs + ys * ys)
        halo = np.exp(-np.clip(dist - radius, 0, None) / (radius * 0.035)) * (dist >= radius - 1)
        facing = np.clip((nx * lx + ny * ly) / np.maximum(np.sqrt(r2), 1e-3) * 0.8 + 0.3, 0, 1)
        target += (halo * facing * 0.6)[..., None] * rgb(air)
    if ring_alpha is not None and ring_colour is not None:
        front = ring_alpha * (v >= 0)
        _over(target, front, ring_colour)


def space_image(width: int, height: int, seed: int) -> Image.Image:
    rnd, rng = rngs("space", seed)
    palette = SPACE_PALETTES[seed % len(SPACE_PALETTES)]
    s = min(width, height)
    sky = palette.sky
    image = _gradient(width, height, [(0.0, sky[0]), (0.6, sky[1]), (1.0, sky[2])])

    # nebula: two coloured noise clouds concentrated in a soft diagonal band
    n1 = _noise(rng, width, height, cells=(3, 2), octaves=6, persistence=0.55)
    n2 = _noise(rng, width, height, cells=(4, 3), octaves=5)
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    xs = np.linspace(0, 1, width, dtype=np.float32)[None, :] * (width / height)
    angle = rnd.uniform(-0.6, 0.6)
    offset = rnd.uniform(0.35, 0.65)
    d = (ys - offset) * math.cos(angle) - (xs - width / height / 2) * math.sin(angle)
    band = np.exp(-((d / 0.32) ** 2))
    density = np.clip((n1 - 0.35) * 1.9, 0, 1) ** 1.6 * band
    hue = np.clip((n2 - 0.3) * 1.8, 0, 1)[..., None]
    neb = rgb(palette.nebula[0]) * (1 - hue) + rgb(palette.nebula[1]) * hue
    image *= (1 - 0.6 * np.clip((n2 - 0.62) * 4, 0, 1) * band)[..., None]  # dust lanes
    image += (density * 0.75)[..., None] * neb
    image += (np.clip(density - 0.45, 0, 1) * 0.9)[..., None] * rgb((255, 235, 240))

    _stars(image, rng, width * height // 900, 0.9)
    for _ in range(rnd.randint(5, 8)):
        _bright_star(
            image,
            rnd.uniform(0, width),
            rnd.uniform(0, height),
            s * rnd.uniform(0.004, 0.009),
            rnd.choice([(190, 210, 255), (255, 230, 200), (255, 255, 255)]),
        )

    # a small moon on the far side, then the ringed giant
    left = rnd.random() < 0.5
    radius = s * rnd.uniform(0.26, 0.31)
    cx = width * (rnd.uniform(0.3, 0.38) if left else rnd.uniform(0.62, 0.7))
    cy = height * rnd.uniform(0.5, 0.6)
    light = (1.0 if left else -1.0, -0.55, 0.55)
    mx = width * (rnd.uniform(0.75, 0.88) if left else rnd.uniform(0.12, 0.25))
    my = height * rnd.uniform(0.2, 0.35)
    grey = [(60, 58, 66), (120, 116, 122), (170, 166, 168), (210, 206, 204)]
    _planet(image, mx, my, s * rnd.uniform(0.045, 0.06), grey, light, rng, banded=False)
    _planet(
        image,
        cx,
        cy,
        radius,
        palette.bands,
        light,
        rng,
        air=palette.air,
        ring=palette.ring,
        tilt=rnd.uniform(-0.45, -0.2) * (1 if left else -1),
        squash=rnd.uniform(0.2, 0.28),
    )
    vignette(image, 0.4)
    return to_image(image)
