"""Demo animations: frames drawn with numpy and Pillow, H.264 + AAC in MP4."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator

import av
import numpy as np
from PIL import Image, ImageDraw

from riffhouse.demo.media.common import rngs, theme_index
from riffhouse.demo.media.music import RATE, audio_frame, render_music
from riffhouse.demo.media.pictures.drawing import (
    _glow,
    _gradient,
    _noise,
    rgb,
    to_image,
    vignette,
)
from riffhouse.demo.media.pictures.fantasy import fantasy_image
from riffhouse.demo.media.pictures.games import pixel_scene, pixel_size
from riffhouse.demo.media.pictures.money import MONEY_PALETTES, _sparkle, spinning_coin
from riffhouse.demo.media.pictures.space import SPACE_PALETTES, _planet, _stars


def _space_frames(width: int, height: int, seed: int, count: int, fps: int) -> Iterator[np.ndarray]:
    """A rocket crossing a parallax starfield past a ringed planet."""
    rnd, rng = rngs("space", seed, salt=2)
    palette = SPACE_PALETTES[seed % len(SPACE_PALETTES)]
    s = min(width, height)
    backdrop = _gradient(width, height, [(0.0, palette.sky[0]), (1.0, palette.sky[2])])
    neb = _noise(rng, width, height, cells=(3, 2), octaves=5)
    backdrop += (np.clip((neb - 0.45) * 2, 0, 1) ** 1.5 * 0.5)[..., None] * rgb(palette.nebula[0])
    _stars(backdrop, rng, width * height // 1200, 0.5)
    _planet(
        backdrop,
        width * 0.78,
        height * 0.68,
        s * 0.3,
        palette.bands,
        (-1, -0.5, 0.6),
        rng,
        air=palette.air,
        ring=palette.ring,
        tilt=0.3,
        squash=0.24,
    )
    base = (np.clip(backdrop, 0, 1) * 255).astype(np.uint8)
    layers = []
    for depth in (0.3, 0.6, 1.0):
        k = int(90 * depth) + 20
        layers.append((depth, rng.random(k) * width, rng.random(k) * height, rng.random(k)))
    exhaust = [(rnd.random(), rnd.random()) for _ in range(40)]
    for index in range(count):
        t = index / fps
        frame = base.copy()
        progress = index / max(1, count - 1)
        for depth, xs, ys, lum in layers:
            x = ((xs - t * width * 0.25 * depth) % width).astype(int)
            y = ys.astype(int)
            value = (120 + 135 * depth * lum)[:, None]
            frame[y, x] = np.maximum(frame[y, x], value.astype(np.uint8))
            if depth == 1.0:  # streaks for the nearest stars
                x2 = np.minimum(x + 1, width - 1)
                frame[y, x2] = np.maximum(frame[y, x2], (value * 0.6).astype(np.uint8))
        image = Image.fromarray(frame)
        draw = ImageDraw.Draw(image, "RGBA")
        cx = -0.15 * width + progress * 1.3 * width
        cy = height * (0.55 - 0.2 * progress) + math.sin(t * 3.1) * s * 0.015
        angle = -0.16 + math.cos(t * 3.1) * 0.03
        _rocket(draw, cx, cy, s * 0.16, angle, t, exhaust)
        yield np.asarray(image)


def _rocket(
    draw: ImageDraw.ImageDraw,
    cx: float,
    cy: float,
    size: float,
    angle: float,
    t: float,
    exhaust: list[tuple[float, float]],
) -> None:
    ca, sa = math.cos(angle), math.sin(angle)

    def pt(x: float, y: float) -> tuple[float, float]:
        return (cx + (x * ca - y * sa) * size, cy + (x * sa + y * ca) * size)

    # exhaust puffs trailing behind
    for a, b in exhaust:
        age = (t * 2.5 + a) % 1.0
        x = -0.75 - age * 2.2
        y = (b - 0.5) * 0.35 * age * 3
        r = size * (0.06 + 0.16 * age)
        px, py = pt(x, y)
        alpha = int(120 * (1 - age))
        colour = (255, 200, 140, alpha) if age < 0.25 else (200, 200, 220, alpha // 2)
        draw.ellipse([px - r, py - r, px + r, py + r], fill=colour)
    flicker = 0.85 + 0.15 * math.sin(t * 40)
    draw.polygon(
        [pt(-0.55, -0.14), pt(-0.55 - 0.5 * flicker, 0), pt(-0.55, 0.14)], fill=(255, 150, 60, 230)
    )
    draw.polygon(
        [pt(-0.55, -0.08), pt(-0.55 - 0.28 * flicker, 0), pt(-0.55, 0.08)],
        fill=(255, 240, 180, 255),
    )
    # fins, body, nose and window
    draw.polygon([pt(-0.5, -0.18), pt(-0.62, -0.42), pt(-0.25, -0.2)], fill=(210, 60, 80))
    draw.polygon([pt(-0.5, 0.18), pt(-0.62, 0.42), pt(-0.25, 0.2)], fill=(210, 60, 80))
    body = [
        pt(-0.56, -0.19),
        pt(0.3, -0.22),
        pt(0.55, -0.12),
        pt(0.75, 0),
        pt(0.55, 0.12),
        pt(0.3, 0.22),
        pt(-0.56, 0.19),
    ]
    draw.polygon(body, fill=(236, 236, 246))
    draw.polygon(
        [pt(-0.56, 0.05), pt(0.5, 0.06), pt(0.55, 0.12), pt(0.3, 0.22), pt(-0.56, 0.19)],
        fill=(180, 186, 210),
    )
    draw.polygon(
        [pt(0.45, -0.16), pt(0.55, -0.12), pt(0.75, 0), pt(0.55, 0.12), pt(0.45, 0.16)],
        fill=(210, 60, 80),
    )
    wx, wy = pt(0.12, -0.02)
    r = size * 0.11
    draw.ellipse([wx - r, wy - r, wx + r, wy + r], fill=(60, 70, 110))
    draw.ellipse([wx - r * 0.7, wy - r * 0.7, wx + r * 0.7, wy + r * 0.7], fill=(120, 200, 255))
    draw.ellipse([wx - r * 0.45, wy - r * 0.55, wx, wy - r * 0.1], fill=(230, 250, 255))


def _fantasy_frames(
    width: int, height: int, seed: int, count: int, fps: int
) -> Iterator[np.ndarray]:
    """A dragon gliding across the moon above the castle, fireflies drifting below."""
    rnd, _ = rngs("fantasy", seed, salt=2)
    still = np.asarray(fantasy_image(width, height, seed), dtype=np.uint8)
    flies = [
        (rnd.uniform(0, width), rnd.uniform(0.7, 0.97) * height, rnd.uniform(0, 6.28))
        for _ in range(18)
    ]
    s = min(width, height)
    for index in range(count):
        t = index / fps
        progress = index / max(1, count - 1)
        image = Image.fromarray(still)
        draw = ImageDraw.Draw(image, "RGBA")
        x = width * (1.1 - 1.25 * progress)
        y = height * (0.3 - 0.08 * math.sin(progress * math.pi))
        _dragon(draw, x, y, s * 0.24, t)
        for fx, fy, phase in flies:
            px = fx + math.sin(t * 0.9 + phase) * s * 0.03
            py = fy + math.cos(t * 1.3 + phase) * s * 0.02
            glow = 0.5 + 0.5 * math.sin(t * 3 + phase * 2)
            r = s * 0.006 * (0.6 + glow)
            for scale, alpha in ((3.0, 18), (2.0, 30), (1.3, 60)):
                rr = r * scale
                draw.ellipse(
                    [px - rr, py - rr, px + rr, py + rr], fill=(255, 220, 120, int(alpha * glow))
                )
            draw.ellipse(
                [px - r * 0.7, py - r * 0.7, px + r * 0.7, py + r * 0.7],
                fill=(255, 246, 190, int(120 + 130 * glow)),
            )
        yield np.asarray(image)


def _dragon(draw: ImageDraw.ImageDraw, x: float, y: float, size: float, t: float) -> None:
    """A dark dragon silhouette flying left, wings beating."""
    flap = math.sin(t * 5.0)
    colour = (16, 14, 28, 255)
    _wing(draw, x, y, size, flap * 0.8 + 0.1, (40, 34, 58, 255))  # the far wing, behind
    # body, neck and head
    draw.ellipse([x - size * 0.3, y - size * 0.08, x + size * 0.25, y + size * 0.08], fill=colour)
    draw.polygon(
        [
            (x - size * 0.25, y - size * 0.04),
            (x - size * 0.55, y - size * 0.14),
            (x - size * 0.6, y - size * 0.08),
            (x - size * 0.25, y + size * 0.05),
        ],
        fill=colour,
    )
    draw.polygon(
        [
            (x - size * 0.55, y - size * 0.16),
            (x - size * 0.72, y - size * 0.1),
            (x - size * 0.56, y - size * 0.05),
        ],
        fill=colour,
    )
    draw.polygon(
        [
            (x - size * 0.56, y - size * 0.15),
            (x - size * 0.5, y - size * 0.24),
            (x - size * 0.52, y - size * 0.14),
        ],
        fill=colour,
    )
    # tail with a barb
    tail = [(x + size * 0.2, y - size * 0.03)]
    for k in range(1, 7):
        tx = x + size * (0.2 + 0.12 * k)
        ty = y + size * 0.06 * math.sin(t * 3 + k * 0.8) + size * 0.01 * k
        tail.append((tx, ty))
    draw.line(tail, fill=colour, width=max(2, int(size * 0.04)), joint="curve")
    ex, ey = tail[-1]
    draw.polygon(
        [(ex, ey - size * 0.05), (ex + size * 0.09, ey), (ex, ey + size * 0.05)], fill=colour
    )
    _wing(draw, x, y, size, flap, colour)  # the near wing, over the body


_WING = (  # (back, up) in body sizes: shoulder, wrist, three finger tips with scallops, hip
    (-0.1, 0.0),
    (-0.22, 0.45),
    (0.05, 0.8),
    (0.1, 0.55),
    (0.32, 0.64),
    (0.28, 0.4),
    (0.5, 0.4),
    (0.36, 0.18),
    (0.2, 0.0),
)


def _wing(
    draw: ImageDraw.ImageDraw, x: float, y: float, size: float, lift: float, colour: tuple[int, ...]
) -> None:
    """A bat-like dragon wing raised by `lift` (1 up, -1 down)."""
    points = [(x + u * size, y - size * (v * lift + 0.03)) for u, v in _WING]
    draw.polygon(points, fill=colour)


def _games_frames(width: int, height: int, seed: int, count: int, fps: int) -> Iterator[np.ndarray]:
    """The pixel platformer scrolling, the hero hopping along."""
    lw, lh, scale = pixel_size(width, height, 90)
    for index in range(count):
        canvas = pixel_scene(lw, lh, seed, frame=index / fps)
        big = np.repeat(np.repeat(canvas, scale, axis=0), scale, axis=1)
        yield np.ascontiguousarray(big[:height, :width])


def _money_frames(width: int, height: int, seed: int, count: int, fps: int) -> Iterator[np.ndarray]:
    """Bars growing while gold coins tumble down and bounce."""
    rnd, _ = rngs("money", seed, salt=2)
    palette = MONEY_PALETTES[seed % len(MONEY_PALETTES)]
    s = min(width, height)
    bg = palette.bg
    backdrop = _gradient(width, height, [(0.0, bg[0]), (0.55, bg[1]), (1.0, bg[2])])
    _glow(backdrop, width * 0.8, height * 0.15, s * 0.5, (255, 200, 90), 0.3)
    vignette(backdrop, 0.3)
    base = to_image(backdrop)
    bars = 7
    floor = height * 0.9
    targets = []
    level = 0.18
    for _ in range(bars):
        level += rnd.uniform(0.04, 0.11)
        targets.append(min(level, 0.85))
    coins = [
        (
            rnd.uniform(0.05, 0.95) * width,
            rnd.uniform(0, 1.0),
            rnd.uniform(0.6, 1.4),
            rnd.uniform(0, 1),
            rnd.uniform(-30, 30),
        )
        for _ in range(16)
    ]
    sprites: dict[tuple[int, int, int], Image.Image] = {}
    duration = count / fps
    step = width * 0.84 / bars
    line_colour = palette.line
    for index in range(count):
        t = index / fps
        image = base.copy()
        draw = ImageDraw.Draw(image, "RGBA")
        # coins tumble down behind the chart
        for x, offset, speed, spin, tilt in coins:
            fall = ((t / duration) * speed * 1.6 + offset) % 1.0
            y = -s * 0.1 + fall * (height + s * 0.2)
            turn = (spin + t * speed * 1.5) % 1.0
            key = (int(turn * 16), int(tilt), int(speed * 10))
            if key not in sprites:
                size = int(s * 0.035 * (0.8 + speed * 0.3))
                sprites[key] = spinning_coin(size, key[0] / 16, tilt)
            sprite = sprites[key]
            image.paste(sprite, (int(x - sprite.width / 2), int(y - sprite.height / 2)), sprite)
        # bars grow one after another, easing out; the trend line follows the finished ones
        done = []
        for k, target in enumerate(targets):
            grow = min(1.0, max(0.0, (t - k * 0.3) / 1.0))
            grow = 1 - (1 - grow) ** 3
            x0 = width * 0.08 + k * step + step * 0.18
            top = floor - target * grow * height * 0.75
            if floor - top > step * 0.25:
                bar_colour = (*palette.bar, 240)
                draw.rounded_rectangle(
                    [x0, top, x0 + step * 0.64, floor], step * 0.1, fill=bar_colour
                )
                shine = (255, 255, 255, 40)
                draw.rectangle([x0, top + step * 0.1, x0 + step * 0.18, floor], fill=shine)
            if grow >= 1:
                done.append((x0 + step * 0.32, top - s * 0.04))
        draw.line([(width * 0.05, floor), (width * 0.95, floor)], fill=(255, 255, 255, 90), width=2)
        if len(done) > 1:
            draw.line(done, fill=(*line_colour, 255), width=max(2, s // 120), joint="curve")
        for px, py in done:
            r = s * 0.012
            draw.ellipse([px - r, py - r, px + r, py + r], fill=(*line_colour, 255))
        if len(done) == bars:  # everything is up: the last bars sparkle
            sparkle = (t * 1.7) % 1.0
            for px, py in done[-3:]:
                radius = s * 0.035 * math.sin(sparkle * math.pi) + 1
                _sparkle(draw, px + s * 0.03, py - s * 0.04, radius, (255, 246, 210, 220))
        yield np.asarray(image)


_ANIMATORS = {
    "space": _space_frames,
    "fantasy": _fantasy_frames,
    "games": _games_frames,
    "money": _money_frames,
}


def _faststart(data: bytes) -> bytes:
    """Move the MP4 index (moov) before the media data so browsers can start playing at once."""

    def atoms(blob: bytes | bytearray, start: int, end: int) -> list[tuple[bytes, int, int]]:
        found, pos = [], start
        while pos + 8 <= end:
            size = int.from_bytes(blob[pos : pos + 4], "big")
            kind = bytes(blob[pos + 4 : pos + 8])
            if size == 1:
                size = int.from_bytes(blob[pos + 8 : pos + 16], "big")
            elif size == 0:
                size = end - pos
            found.append((kind, pos, size))
            pos += size
        return found

    top = atoms(data, 0, len(data))
    kinds = [kind for kind, _, _ in top]
    if b"moov" not in kinds or b"mdat" not in kinds or kinds.index(b"moov") < kinds.index(b"mdat"):
        return data
    _, moov_pos, moov_size = top[kinds.index(b"moov")]
    moov = bytearray(data[moov_pos : moov_pos + moov_size])

    def patch(start: int, end: int) -> None:
        for kind, pos, size in atoms(moov, start, end):
            if kind in (b"trak", b"mdia", b"minf", b"stbl"):
                patch(pos + 8, pos + size)
            elif kind in (b"stco", b"co64"):
                entries = int.from_bytes(moov[pos + 12 : pos + 16], "big")
                width = 4 if kind == b"stco" else 8
                for k in range(entries):
                    at = pos + 16 + k * width
                    value = int.from_bytes(moov[at : at + width], "big") + moov_size
                    moov[at : at + width] = value.to_bytes(width, "big")

    patch(8, moov_size)
    out = bytearray()
    for kind, pos, size in top:
        if kind == b"moov":
            continue
        if kind == b"mdat":
            out += moov
        out += data[pos : pos + size]
    return bytes(out)


def animation_mp4(
    *,
    theme: str,
    seed: int,
    seconds: float = 6.0,
    size: tuple[int, int] = (640, 360),
    fps: int = 24,
) -> bytes:
    """A short animated clip for a theme with a synthesised soundtrack, as MP4 bytes."""
    theme_index(theme)
    width, height = size
    if width % 2 or height % 2 or width < 64 or height < 64:
        raise ValueError("Animations need even dimensions of at least 64 pixels.")
    if not 0.5 <= seconds <= 60 or not 1 <= fps <= 60:
        raise ValueError("Animations last 0.5 to 60 seconds at 1 to 60 frames a second.")
    count = round(seconds * fps)
    audio = render_music(theme, seed, count / fps) * 0.8
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height = width, height
        video.pix_fmt = "yuv420p"
        video.options = {"crf": "21", "preset": "veryfast", "tune": "animation"}
        sound = container.add_stream("aac", rate=RATE)
        sound.layout = "stereo"
        sound.bit_rate = 128_000
        sent = 0
        for index, pixels in enumerate(_ANIMATORS[theme](width, height, seed, count, fps)):
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            for packet in video.encode(frame):
                container.mux(packet)
            until = round((index + 1) * RATE / fps)
            if until > sent:
                chunk = audio_frame(audio[:, sent:until], "fltp")
                chunk.pts = sent
                for packet in sound.encode(chunk):
                    container.mux(packet)
                sent = until
        for stream in (video, sound):
            for packet in stream.encode(None):
                container.mux(packet)
    return _faststart(out.getvalue())


def animation_titles() -> list[tuple[str, str, str]]:
    """(theme, title, description): one per theme; every seed of a theme fits."""
    return [
        (
            "space",
            "Launch Window",
            "A little rocket crosses a parallax starfield past a ringed giant.",
        ),
        (
            "fantasy",
            "Moonlight Flyover",
            "A dragon glides across the moon above a castle of lit windows.",
        ),
        (
            "games",
            "Speedrun",
            "A pixel hero hops along a scrolling level of bricks, coins and slimes.",
        ),
        ("money", "Bull Market", "Bars grow one by one while gold coins tumble down the screen."),
    ]
