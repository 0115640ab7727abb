"""Pictures drawn on this machine for the demo: nothing is downloaded."""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = {
    "space": [(18, 20, 56), (94, 60, 168), (236, 114, 98), (255, 214, 140)],
    "fantasy": [(22, 58, 52), (72, 148, 112), (232, 196, 104), (246, 236, 210)],
    "games": [(32, 24, 60), (255, 82, 119), (66, 214, 196), (255, 236, 95)],
    "money": [(20, 44, 34), (40, 122, 86), (212, 175, 55), (240, 232, 200)],
}


def abstract_portrait(*, seed: int, palette: str, size: int = 512) -> bytes:
    """A soft abstract avatar: a gradient sky, an orbit of discs and one bright sun."""
    rng = random.Random(seed)
    colours = PALETTES[palette]
    image = Image.new("RGB", (size, size), colours[0])
    draw = ImageDraw.Draw(image)
    top, bottom = colours[0], colours[1]
    for row in range(size):
        t = row / size
        draw.line(
            [(0, row), (size, row)],
            fill=tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3)),
        )
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    shapes = ImageDraw.Draw(layer)
    cx, cy = size * rng.uniform(0.35, 0.65), size * rng.uniform(0.35, 0.6)
    for i in range(14):
        angle = rng.uniform(0, 2 * math.pi)
        radius = size * rng.uniform(0.15, 0.48)
        r = size * rng.uniform(0.02, 0.09)
        x, y = cx + math.cos(angle) * radius, cy + math.sin(angle) * radius
        colour = colours[2 + i % 2]
        shapes.ellipse([x - r, y - r, x + r, y + r], fill=(*colour, rng.randint(120, 220)))
    sun = size * rng.uniform(0.12, 0.2)
    shapes.ellipse([cx - sun, cy - sun, cx + sun, cy + sun], fill=(*colours[3], 255))
    layer = layer.filter(ImageFilter.GaussianBlur(size / 256))
    image.paste(layer, (0, 0), layer)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
