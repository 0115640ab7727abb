"""Games: a pixel-art platformer level at dusk."""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from riffhouse.demo.media.common import Colour, rngs
from riffhouse.demo.media.pictures.drawing import _mix, noise_1d

_HERO = (
    "...RRRR...",
    "..RRRRRR..",
    ".RRRRRRRRR",
    "..SSSSSS..",
    "..SKSSKS..",
    "..SSSSSS..",
    "...SSSS...",
    "..BBBBBB..",
    ".SBBYYBBS.",
    ".SBBBBBBS.",
    "..BBBBBB..",
    "..BB..BB..",
    "..DD..DD..",
    ".DDD..DDD.",
)
_SLIME = (
    "...GGGG...",
    "..GGGGGG..",
    ".GgGGGGGG.",
    ".GWKGGWKG.",
    "GGWKGGWKGG",
    "GGGGGGGGGG",
    "GGGGGGGGGG",
    ".GGGGGGGG.",
)
_COIN = (
    ".YY.",
    "YyYO",
    "YyYO",
    "YyYO",
    "YyYO",
    ".YY.",
)
_HEART = (
    ".RR.RR.",
    "RRRRRRR",
    "RWRRRRR",
    ".RRRRR.",
    "..RRR..",
    "...R...",
)
_SPRITE_COLOURS: dict[str, Colour] = {
    "R": (226, 56, 72),
    "S": (255, 204, 160),
    "K": (24, 20, 40),
    "B": (60, 120, 230),
    "Y": (255, 214, 64),
    "y": (255, 250, 190),
    "O": (206, 132, 30),
    "D": (110, 62, 40),
    "G": (90, 210, 110),
    "g": (200, 255, 200),
    "W": (255, 255, 255),
}
_DIGITS = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "011", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    "x": ("000", "101", "010", "101", "000"),
}


@dataclass(frozen=True)
class _GamesLook:
    sky: list[Colour]  # bands from the top down
    sun: list[Colour]
    far: Colour
    mid: Colour
    grass: list[Colour]  # base, highlight
    dirt: list[Colour]  # base, mortar, pebble
    cloud: Colour
    stars: bool


_GAMES_PALETTES = [
    _GamesLook(  # synthwave dusk
        sky=[(40, 16, 72), (86, 30, 110), (160, 50, 130), (236, 90, 120), (255, 160, 100)],
        sun=[(255, 240, 120), (255, 120, 90)],
        far=(70, 30, 100),
        mid=(34, 70, 110),
        grass=[(64, 200, 110), (150, 240, 140)],
        dirt=[(120, 66, 50), (84, 44, 40), (156, 92, 64)],
        cloud=(255, 236, 240),
        stars=True,
    ),
    _GamesLook(  # bright day
        sky=[(60, 120, 230), (80, 150, 240), (110, 180, 250), (150, 210, 255), (190, 230, 255)],
        sun=[(255, 250, 200), (255, 220, 120)],
        far=(110, 150, 220),
        mid=(60, 150, 120),
        grass=[(70, 190, 70), (170, 240, 110)],
        dirt=[(150, 90, 50), (110, 64, 40), (190, 120, 70)],
        cloud=(255, 255, 255),
        stars=False,
    ),
    _GamesLook(  # night
        sky=[(8, 10, 30), (14, 20, 50), (24, 34, 76), (40, 50, 100), (70, 70, 130)],
        sun=[(240, 240, 255), (180, 190, 240)],
        far=(30, 36, 80),
        mid=(20, 56, 70),
        grass=[(40, 150, 100), (110, 220, 160)],
        dirt=[(80, 60, 80), (56, 40, 60), (110, 84, 100)],
        cloud=(90, 100, 150),
        stars=True,
    ),
]

_BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]]) / 16 + 1 / 32


def _sprite(
    canvas: np.ndarray,
    x: int,
    y: int,
    rows: tuple[str, ...],
    colours: dict[str, Colour] | None = None,
    outline: Colour | None = (20, 14, 30),
) -> None:
    """Blit a character-map sprite onto a uint8 canvas, with an automatic dark outline."""
    key = tuple(sorted((colours or _SPRITE_COLOURS).items()))
    pixels, solid = _sprite_pixels(tuple(rows), key, outline)
    x, y = x - 1, y - 1  # the outline adds a pixel on every side
    height, width = solid.shape
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(canvas.shape[1], x + width), min(canvas.shape[0], y + height)
    if x0 >= x1 or y0 >= y1:
        return
    mask = solid[y0 - y : y1 - y, x0 - x : x1 - x]
    canvas[y0:y1, x0:x1][mask] = pixels[y0 - y : y1 - y, x0 - x : x1 - x][mask]


@functools.lru_cache(maxsize=256)
def _sprite_pixels(
    rows: tuple[str, ...], colours: tuple[tuple[str, Colour], ...], outline: Colour | None
) -> tuple[np.ndarray, np.ndarray]:
    palette = dict(colours)
    height, width = len(rows), len(rows[0])
    pixels = np.zeros((height + 2, width + 2, 3), np.uint8)
    body = np.zeros((height + 2, width + 2), bool)
    for yy, row in enumerate(rows):
        for xx, ch in enumerate(row):
            if ch != ".":
                body[yy + 1, xx + 1] = True
                pixels[yy + 1, xx + 1] = palette[ch]
    solid = body.copy()
    if outline is not None:
        grown = body.copy()
        grown[1:, :] |= body[:-1, :]
        grown[:-1, :] |= body[1:, :]
        grown[:, 1:] |= body[:, :-1]
        grown[:, :-1] |= body[:, 1:]
        pixels[grown & ~body] = outline
        solid = grown
    return pixels, solid


def _text(canvas: np.ndarray, x: int, y: int, text: str, colour: Colour) -> None:
    for ch in text:
        glyph = _DIGITS.get(ch)
        if glyph:
            rows = tuple(row.replace("1", "W").replace("0", ".") for row in glyph)
            _sprite(canvas, x, y, rows, {"W": colour}, outline=(20, 14, 30))
        x += 4


def pixel_scene(lw: int, lh: int, seed: int, frame: float | None = None) -> np.ndarray:
    """A low-resolution platformer scene; `frame` (seconds) animates it, None draws a still."""
    rnd, rng = rngs("games", seed)
    palette = _GAMES_PALETTES[seed % len(_GAMES_PALETTES)]
    t = frame or 0.0
    scroll = t * 24.0  # pixels per second of the near layer

    # sky: colour bands joined with ordered dithering
    bands = np.array(palette.sky, dtype=np.float32)
    rows = np.linspace(0, len(bands) - 1.001, lh)[:, None]
    lower = rows.astype(int)
    frac = rows - lower
    bayer = np.tile(_BAYER, (lh // 4 + 1, lw // 4 + 1))[:lh, :lw]
    pick = np.where(frac > bayer, lower + 1, lower)
    canvas = bands[pick].astype(np.uint8)

    stars = rng.integers(0, [lw, lh // 2], size=(lw * lh // 160, 2))
    for k, (sx, sy) in enumerate(stars):
        twinkle = frame is not None and (int(t * 4) + k) % 7 == 0
        if palette.stars and not twinkle:
            canvas[sy, (sx - int(scroll * 0.05)) % lw] = (255, 240, 250)

    # sun with synthwave stripes
    image = Image.fromarray(canvas)
    draw = ImageDraw.Draw(image)
    sun_r = lh * 0.22
    sun_x, sun_y = lw * rnd.uniform(0.55, 0.75), lh * 0.42
    for k in range(int(sun_r * 2)):
        yy = sun_y - sun_r + k
        half = math.sqrt(max(0.0, sun_r * sun_r - (yy - sun_y + 0.5) ** 2))
        part = k / (2 * sun_r)
        gap = part > 0.55 and (k % max(3, int(9 - part * 8))) == 0
        if not gap:
            colour = _mix(palette.sun[0], palette.sun[1], part)
            draw.line([(sun_x - half, yy), (sun_x + half, yy)], fill=colour)

    # clouds drifting slowly
    for _ in range(4):
        cx = (rnd.uniform(0, lw) - scroll * 0.2) % (lw + 40) - 20
        cy = rnd.uniform(lh * 0.1, lh * 0.35)
        w = rnd.uniform(14, 26)
        for dx, dy, r in ((0, 0, w * 0.25), (w * 0.25, -2, w * 0.3), (w * 0.5, 0, w * 0.22)):
            draw.ellipse(
                [cx + dx - r, cy + dy - r * 0.6, cx + dx + r, cy + dy + r * 0.6], fill=palette.cloud
            )
    canvas = np.array(image)

    # far mountains and mid hills, quantised to whole pixels for the parallax
    for layer, (colour, speed, base, amp, cells) in enumerate(
        ((palette.far, 0.25, 0.62, 0.3, 5), (palette.mid, 0.5, 0.74, 0.16, 4))
    ):
        ridge = noise_1d(rnd, lw * 2, cells * 2, octaves=3)
        if layer == 0:
            ridge = 1 - np.abs(2 * ridge - 1)
        shift = int(scroll * speed)
        heights = (lh * base - lh * amp * ridge).astype(int)
        cols = (np.arange(lw) + shift) % (lw * 2)
        ys = np.arange(lh)[:, None]
        mask = ys >= heights[cols][None, :]
        canvas[mask] = colour
        if layer == 1:  # a lighter rim on the hill tops
            rim = ys == heights[cols][None, :]
            canvas[rim] = _mix(colour, (255, 255, 255), 0.25)

    # ground: grass over brick-patterned dirt, scrolling
    ground = lh - max(12, lh // 7)
    shift = int(scroll)
    xs = (np.arange(lw) + shift)[None, :]
    ys = np.arange(ground, lh)[:, None]
    depth = ys - ground
    dirt = np.array(palette.dirt, dtype=np.uint8)
    brick = ((xs + (depth // 4 % 2) * 4) % 8 == 0) | (depth % 4 == 0)
    soil = np.where(brick[..., None], dirt[1], dirt[0])
    soil = np.where(((xs * 7 + ys * 13) % 23 == 0)[..., None], dirt[2], soil)
    canvas[ground:] = soil
    grass = np.array(palette.grass, dtype=np.uint8)
    canvas[ground : ground + 2] = grass[0]
    tufts = ((np.arange(lw) + shift) % 5 == 0)[None, :]
    canvas[ground : ground + 1][tufts] = grass[1]
    canvas[ground - 1][(np.arange(lw) + shift) % 7 == 0] = grass[0]

    # floating brick platforms with gem blocks and coins
    plat_rng = random.Random(seed * 31 + 7)
    span = lw * 2
    for k in range(5):
        px = k * span // 5 + plat_rng.randint(0, 12)
        py = ground - plat_rng.choice([18, 24, 30])
        length = plat_rng.choice([3, 4, 5])
        sx = (px - shift) % span - 16
        for b in range(length):
            bx = sx + b * 8
            gem = b == length // 2 and k % 2 == 0
            _block(canvas, bx, py, gem)
        for c in range(length - 1):
            spin = frame is not None and (int(t * 8) + c) % 4 == 2
            coin = tuple(row[1:3] for row in _COIN) if spin else _COIN
            _sprite(canvas, sx + 6 + c * 8, py - 10 - (int(t * 6 + c) % 2 if frame else 0), coin)

    # the hero stands on the ground in stills and hops along in animations
    hero_x = int(lw * 0.3)
    if frame is None:
        hero_y = ground - 14
    else:
        phase = (t * 1.3) % 1.0
        hop = 4 * phase * (1 - phase)
        hero_y = int(ground - 14 - hop * 26)
    _sprite(canvas, hero_x, hero_y, _HERO)
    slime_x = int((lw * 0.78 - scroll * 0.6) % (lw + 20)) - 10
    squish = 1 if frame is not None and int(t * 6) % 2 else 0
    _sprite(canvas, slime_x, ground - 8 + squish, _SLIME[squish:])

    # HUD: hearts, coin counter and score
    for k in range(3):
        _sprite(canvas, 3 + k * 9, 3, _HEART)
    coin_x, coin_y = (lw - 40, 3) if lw >= 72 else (3, 20)  # narrow pictures: a second row
    _sprite(canvas, coin_x, coin_y, _COIN)
    coins = 12 + int(t * 2)
    _text(canvas, coin_x + 6, coin_y + 1, f"x{coins:02d}", (255, 255, 255))
    score = 4250 + plat_rng.randint(0, 50) * 10 + int(t * 120) * 10
    _text(canvas, 3, 12, f"{score:06d}", (255, 255, 255))
    return canvas


def _block(canvas: np.ndarray, x: int, y: int, gem: bool) -> None:
    height, width = canvas.shape[:2]
    x0, x1 = max(0, x), min(width, x + 8)
    if x0 >= x1 or y < 0 or y + 8 > height:
        return
    if gem:
        face, light, dark = (255, 176, 40), (255, 230, 140), (150, 80, 20)
    else:
        face, light, dark = (190, 90, 60), (236, 150, 110), (90, 36, 30)
    block = np.zeros((8, 8, 3), np.uint8)
    block[:] = face
    block[0, :] = light
    block[:, 0] = light
    block[7, :] = dark
    block[:, 7] = dark
    if gem:
        for yy, xx in ((2, 3), (2, 4), (3, 2), (3, 5), (4, 2), (4, 5), (5, 3), (5, 4)):
            block[yy, xx] = (255, 255, 255)
        block[3:5, 3:5] = (120, 220, 255)
    else:
        block[3, :] = dark
        block[:3, 4] = dark
        block[4:7, 2] = dark
    canvas[y : y + 8, x0:x1] = block[:, x0 - x : x1 - x]


def pixel_size(width: int, height: int, rows: int) -> tuple[int, int, int]:
    scale = max(2, round(height / rows))
    return math.ceil(width / scale), math.ceil(height / scale), scale


def games_image(width: int, height: int, seed: int) -> Image.Image:
    lw, lh, scale = pixel_size(width, height, 100)
    canvas = pixel_scene(lw, lh, seed)
    big = Image.fromarray(canvas).resize((lw * scale, lh * scale), Image.Resampling.NEAREST)
    return big.crop((0, 0, width, height))
