"""Money: a rising bar chart, a glowing trend line and stacks of gold coins."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from riffhouse.demo.media.common import Colour, rngs
from riffhouse.demo.media.pictures.drawing import (
    _glow,
    _gradient,
    _mix,
    from_image,
    rgb,
    to_image,
    vignette,
)


@dataclass(frozen=True)
class _Gold:
    face: Colour
    light: Colour
    rim: Colour
    side: Colour


@dataclass(frozen=True)
class _MoneyLook:
    bg: list[Colour]  # top, middle, bottom
    bar: Colour
    line: Colour


_GOLD = _Gold(face=(238, 186, 62), light=(255, 232, 150), rim=(196, 136, 34), side=(178, 118, 32))
MONEY_PALETTES = [
    _MoneyLook(
        bg=[(6, 30, 26), (16, 64, 50), (10, 40, 34)],
        bar=(52, 168, 120),
        line=(255, 240, 200),
    ),
    _MoneyLook(
        bg=[(14, 16, 36), (34, 38, 84), (20, 22, 52)],
        bar=(96, 120, 255),
        line=(255, 236, 190),
    ),
    _MoneyLook(
        bg=[(34, 14, 28), (84, 30, 58), (44, 16, 36)],
        bar=(230, 90, 120),
        line=(255, 240, 210),
    ),
]


def _coin_face(draw: ImageDraw.ImageDraw, cx: float, cy: float, rx: float, ry: float) -> None:
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=_GOLD.rim)
    draw.ellipse([cx - rx * 0.86, cy - ry * 0.86, cx + rx * 0.86, cy + ry * 0.86], fill=_GOLD.face)
    draw.ellipse(
        [cx - rx * 0.72, cy - ry * 0.72, cx + rx * 0.72, cy + ry * 0.72],
        outline=_GOLD.rim,
        width=max(1, round(min(rx, ry) * 0.05)),
    )
    # an embossed star
    points = []
    for k in range(10):
        angle = -math.pi / 2 + k * math.pi / 5
        r = 0.42 if k % 2 == 0 else 0.18
        points.append((cx + math.cos(angle) * rx * r, cy + math.sin(angle) * ry * r))
    draw.polygon(points, fill=_GOLD.light)
    # a sheen on the upper left
    draw.chord(
        [cx - rx * 0.8, cy - ry * 0.8, cx + rx * 0.8, cy + ry * 0.8],
        200,
        250,
        fill=(*_GOLD.light, 160),
    )


def _coin_stack(
    draw: ImageDraw.ImageDraw, cx: float, base: float, rx: float, count: int, rnd: random.Random
) -> None:
    ry = rx * 0.34
    thick = rx * 0.16
    for k in range(count):
        x = cx + rnd.uniform(-rx, rx) * 0.05
        y = base - k * thick
        draw.ellipse([x - rx, y - ry + thick, x + rx, y + ry + thick], fill=_GOLD.side)
        draw.rectangle([x - rx, y, x + rx, y + thick], fill=_GOLD.side)
        draw.line([x - rx, y + thick * 0.5, x + rx, y + thick * 0.5], fill=_GOLD.rim, width=1)
        draw.ellipse([x - rx, y - ry, x + rx, y + ry], fill=_GOLD.rim)
    top = base - (count - 1) * thick
    _coin_face(draw, cx, top, rx * 0.98, ry * 0.98)


def spinning_coin(size: int, turn: float, angle: float) -> Image.Image:
    """A coin sprite seen at a rotation of `turn` (0 face on, 0.5 edge on), tilted by `angle`."""
    sprite = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(sprite, "RGBA")
    rx = size * max(0.12, abs(math.cos(turn * math.pi)))
    c = size
    edge = size * 0.12 * abs(math.sin(turn * math.pi))
    draw.ellipse([c - rx + edge, c - size, c + rx + edge, c + size], fill=_GOLD.side)
    _coin_face(draw, c, c, rx, size)
    return sprite.rotate(angle, resample=Image.Resampling.BICUBIC)


def _sparkle(
    draw: ImageDraw.ImageDraw, x: float, y: float, r: float, colour: tuple[int, ...]
) -> None:
    thin = r * 0.18
    draw.polygon(
        [
            (x, y - r),
            (x + thin, y - thin),
            (x + r, y),
            (x + thin, y + thin),
            (x, y + r),
            (x - thin, y + thin),
            (x - r, y),
            (x - thin, y - thin),
        ],
        fill=colour,
    )


def money_image(width: int, height: int, seed: int) -> Image.Image:
    rnd, _ = rngs("money", seed)
    palette = MONEY_PALETTES[seed % len(MONEY_PALETTES)]
    s = min(width, height)
    bg = palette.bg
    image = _gradient(width, height, [(0.0, bg[0]), (0.55, bg[1]), (1.0, bg[2])])
    _glow(image, width * 0.78, height * 0.2, s * 0.5, (255, 200, 90), 0.35)
    for _ in range(16):  # soft golden bokeh
        _glow(
            image,
            rnd.uniform(0, width),
            rnd.uniform(0, height * 0.7),
            s * rnd.uniform(0.01, 0.04),
            (255, 214, 120),
            rnd.uniform(0.08, 0.25),
        )

    ss = 2
    canvas = to_image(image).resize((width * ss, height * ss), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(canvas, "RGBA")
    W, H, S = width * ss, height * ss, s * ss

    # faint grid
    for k in range(1, 8):
        y = H * 0.12 + k * H * 0.09
        draw.line([(W * 0.08, y), (W * 0.95, y)], fill=(255, 255, 255, 22), width=ss)

    # bars rising left to right
    bars = 8
    left, right = W * 0.1, W * 0.93
    floor = H * 0.86
    step = (right - left) / bars
    bar_w = step * 0.62
    values = []
    level = rnd.uniform(0.16, 0.24)
    for k in range(bars):  # mostly up, the odd dip, and always up at the end
        rising = rnd.random() > 0.2 or k >= bars - 2
        level += rnd.uniform(0.02, 0.12) if rising else -rnd.uniform(0.0, 0.05)
        values.append(min(level, 0.9 - 0.03 * (bars - 1 - k)))
    tops = []
    bar = palette.bar
    for k, value in enumerate(values):
        x0 = left + k * step + (step - bar_w) / 2
        top = floor - value * H * 0.72
        tops.append((x0 + bar_w / 2, top))
        radius = bar_w * 0.18
        draw.rounded_rectangle([x0, top, x0 + bar_w, floor], radius, fill=(*bar, 235))
        draw.rounded_rectangle(
            [x0, top, x0 + bar_w * 0.3, floor],
            radius,
            fill=(*_mix(bar, (255, 255, 255), 0.35), 120),
        )
        draw.rectangle([x0 + bar_w * 0.78, top + radius, x0 + bar_w, floor], fill=(0, 0, 0, 50))
    draw.line([(W * 0.06, floor), (W * 0.96, floor)], fill=(255, 255, 255, 90), width=ss * 2)

    # the trend line, with a blurred glow underneath
    points = [(x, y - H * 0.05) for x, y in tops]
    glow = Image.new("L", (width, height), 0)
    ImageDraw.Draw(glow).line(
        [(x / ss, y / ss) for x, y in points], fill=255, width=max(2, s // 60), joint="curve"
    )
    glow = glow.filter(ImageFilter.GaussianBlur(s / 60))
    line_colour = palette.line
    draw.line(points, fill=(*line_colour, 255), width=max(3, S // 160), joint="curve")
    for x, y in points:
        r = S * 0.011
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(*line_colour, 255))
        draw.ellipse([x - r * 0.5, y - r * 0.5, x + r * 0.5, y + r * 0.5], fill=(*bar, 255))
    (xa, ya), (xb, yb) = points[-2], points[-1]
    angle = math.atan2(yb - ya, xb - xa)
    head = S * 0.04
    tip = (xb + math.cos(angle) * head * 0.8, yb + math.sin(angle) * head * 0.8)
    draw.polygon(
        [
            tip,
            (tip[0] - math.cos(angle - 0.45) * head, tip[1] - math.sin(angle - 0.45) * head),
            (tip[0] - math.cos(angle + 0.45) * head, tip[1] - math.sin(angle + 0.45) * head),
        ],
        fill=(*line_colour, 255),
    )

    # coin stacks in the foreground, a few coins tumbling through the air
    stacks = (
        [(0.12, 9), (0.21, 14), (0.3, 6)]
        if rnd.random() < 0.5
        else [(0.7, 7), (0.8, 12), (0.9, 17)]
    )
    for fx, count in stacks:
        _coin_stack(draw, W * fx, H * 0.93, S * 0.06, count + rnd.randint(-2, 2), rnd)
    for _ in range(rnd.randint(4, 6)):
        size = int(S * rnd.uniform(0.03, 0.05))
        sprite = spinning_coin(size, rnd.uniform(0, 0.4), rnd.uniform(-40, 40))
        x = rnd.uniform(W * 0.1, W * 0.9)
        y = rnd.uniform(H * 0.06, H * 0.45)
        canvas.paste(sprite, (int(x - size), int(y - size)), sprite)
    for _ in range(rnd.randint(6, 10)):
        _sparkle(
            draw,
            rnd.uniform(0, W),
            rnd.uniform(0, H * 0.8),
            S * rnd.uniform(0.008, 0.02),
            (255, 246, 210, 230),
        )

    final = from_image(canvas.reduce(ss))
    final += (np.asarray(glow, dtype=np.float32) / 255 * 0.55)[..., None] * rgb(line_colour)
    vignette(final, 0.3)
    return to_image(final)
