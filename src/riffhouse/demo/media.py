"""Demo content made on this machine: texts, pictures, music and short animations.

Nothing is downloaded. Every function is pure: it returns bytes or text, and the same theme and
seed always give the same result. Pictures are drawn with numpy and Pillow, music is additive
synthesis in numpy encoded to FLAC, and animations are drawn frame by frame and encoded to H.264
with an AAC soundtrack, all through PyAV.

The ``*_titles()`` lists describe what every picture, track or clip of a theme shows, whatever
the seed, so a caller can pair any title of a theme with any seed.
"""

from __future__ import annotations

import functools
import io
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

THEMES = ("space", "fantasy", "games", "money")

Colour = tuple[int, int, int]
FloatImage = np.ndarray  # height x width x 3, float32, 0..1


def _theme_index(theme: str) -> int:
    if theme not in THEMES:
        raise ValueError(f"Unknown theme {theme!r}; expected one of {', '.join(THEMES)}.")
    return THEMES.index(theme)


def _rngs(theme: str, seed: int, salt: int = 0) -> tuple[random.Random, np.random.Generator]:
    """Two generators that depend only on theme, seed and salt (never on hash randomisation)."""
    index = _theme_index(theme)
    key = (seed % 2**61) * 16 + index * 4 + salt
    return random.Random(key), np.random.default_rng(key)


# --------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoText:
    title: str
    body: str
    description: str
    tags: list[str]
    form: str  # "poem" | "story" | "lyrics" | "script"


def _hard_breaks(markdown: str, *, cues_only: bool = False) -> str:
    """End each line inside a block with two spaces, Markdown's hard line break.

    Verse and lyrics keep their line breaks in any CommonMark renderer, and the raw text still
    reads naturally. With `cues_only` (screenplays) only dialogue blocks, which open with a
    bold character cue, keep their lines; action paragraphs flow as prose.
    """
    blocks = markdown.strip().split("\n\n")
    out = []
    for block in blocks:
        lines = block.split("\n")
        verse = not block.startswith("#") and (not cues_only or block.startswith("**"))
        if verse:
            lines = [line.rstrip() + "  " for line in lines[:-1]] + lines[-1:]
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


_NIGHT_SHIFT = """
# Night Shift at the Observatory

The dome turns on its rusted track
with the patience of an old dog rising.
I feed it coffee and arithmetic;
it gives me back the dark.

Somewhere past the ninth magnitude
a star I named for my mother
is still sending the same letter
it started long before she was born.

I log it. Time, position, seeing: *fair*.
The ledger doesn't ask
what it means to be written to
by something that has already gone out.

At five the sky goes thin as milk.
The shutters close like eyelids.
I drive home slowly, carrying
a little ancient light inside my coat.
"""

_DOCKING_WINDOW = """
# Docking Window

*A scene in one orbit.*

**INT. CARGO TUG *PATIENCE* — COCKPIT — NIGHT SIDE**

A cramped cockpit lit by amber dials. Through the window a space station turns, a silver
wheel against the blue curve of the Earth. ODILE (60s, pilot, unhurried) sips tea from a pouch.
Beside her KAI (19, first flight, strapped in far too tightly) grips a laminated checklist.

**KAI**
Approach speed is point four. The book says point two.

**ODILE**
The book was written by someone who never had to be home for dinner.

**KAI**
Was that a joke? Are we allowed to joke at this distance?

**ODILE**
*(easing the stick)*
Distance is where you need them most.

The docking ring swings into view. A proximity alarm chirps, polite as a doorbell.

**KAI**
Alarm!

**ODILE**
That's not an alarm. That's the station saying hello. Say hello back.

Kai hesitates, then thumbs the radio.

**KAI**
*(into the mic)*
Hello, Meridian. This is... this is *Patience*.

**MERIDIAN (V.O.)**
*(crackling, warm)*
We know, kid. We can see you from here.

A soft clunk. The latches close. Kai breathes out for the first time in an hour.
Odile passes him the tea.

**ODILE**
Point four. Told you.

**FADE OUT.**
"""

_CARTOGRAPHER = """
# The Cartographer's Last Map

For forty years Wren Ashby drew the maps of the kingdom, and for forty years the kingdom
obligingly stayed where she put it. Rivers ran where her ink ran. Mountains rose to the heights
she wrote beside them in small, careful numbers. When the king's surveyors came back with
different figures, it was generally agreed that the mountains had been mistaken.

So when her eyes began to fail, the court grew nervous. A blurred line might move a border.
A spilled bottle might drown a town.

Wren was not nervous. She spent her last winter on a single sheet of vellum, working by the
window where the light was kindest. She drew no roads and no borders. She drew the orchard
behind her cottage, the bend in the stream where her brother had taught her to swim, the hill
where she had once kissed a tinker's boy who never came back for the second one. She drew them
larger than they were, because that was how large they were.

When she had finished, she rolled the map, tied it with kitchen string and left it on the
table for whoever came next.

The court cartographers found it in the spring. They argued for a week about scale and
projection and whether it counted as an official document. In the end they filed it under
*Miscellaneous*, which is where, if you know where to look, you can still find the best
country in the world.
"""

_DRAGON = """
# The Dragon Takes Up Gardening

After the last knight retired
and the gold had gone soft and green with waiting,
she flew down from the mountain
with a trowel held carefully in her teeth.

Her first tomatoes were ash.
Her second were merely charcoal.
She learned to breathe *out*
the way you learn to whisper in a library.

Now the village children come on Thursdays
to see the beans she grows up the old siege tower,
the roses trained along a broken lance,
the pumpkins, warm all winter, glowing like a hoard.

Some nights she still dreams of burning.
She wakes, and counts the sleeping marrows,
and is surprised by how much
she would give now to keep a thing alive.
"""

_EXTRA_LIFE = """
# Extra Life

*Chiptune pop, 132 bpm, two players.*

### Verse 1

Quarter in the slot at a quarter past ten,
neon on your face like a sunrise again,
two small heroes with a single shared plan:
get as far as we can, get as far as we can.

### Chorus

Give me one more life, one more try,
one more jump across the pixel sky;
if I fall, then I'll fall next to you —
press start, press start, we'll make it through.

### Verse 2

Now the arcade's a laundromat, the cabinets are gone,
but I still hear the coin drop when your name lights up my phone;
you say *Player Two, you ready?* and I laugh, 'cause I am:
get as far as we can, get as far as we can.

### Chorus

*(repeat)*

### Bridge

High score fading on a screen in my head,
three little letters blinking red;
it doesn't matter what the numbers say,
we were the only ones who stayed to play.

### Last chorus

Give me one more life, one more try,
one more jump across the pixel sky;
and when it says *game over*, we just smile —
I've got quarters, I've got quarters for a while.
"""

_SAVE_POINT = """
# Save Point

In every game there is a glowing place,
a crystal or a typewriter, a bed,
where nothing can come in through the walls
and the music drops to something like a hymn.

You stand there and the world agrees to wait.
Your health comes back. The monsters hold their breath.
Whatever you did wrong since the last one
is gently, completely forgotten.

I have been looking for it all my life:
my grandmother's kitchen, the night bus home,
the ten minutes before a hard exam
when nothing has gone wrong yet.

Tonight it's this: your head on my shoulder,
the credits rolling on a game we didn't finish,
the controller warm in my hand.
I press save. I want to come back to exactly here.
"""

_RENT_DAY = """
# Rent Day

On the first of the month the numbers come
to sit at my kitchen table.
They're polite. They keep their coats on.
They have somewhere else to be.

*Eleven hundred and forty*, says the largest,
and the small ones nod: *and fifty for the heat,
and nine for the phone, and two
for the bus there and the bus back.*

I make them tea. I'm good at this now.
I know that if I count them slowly
they can't hurry me,
and there will be, in the end, enough —

just enough, the way there's just enough
light on the stairs at six in January:
you can see where to put your feet.
You go up anyway. You get home.
"""

_SMALL_CHANGE = """
# Small Change

Every evening for thirty-one years, Mr. Okafor emptied his pockets into a jam jar on the
windowsill of his shop. Pennies mostly, a few silver coins, the occasional button slipped to
him in bad light. He never counted it. When people asked what it was for, he said, "Later."

His daughter, who kept the shop's books on a laptop and believed firmly in spreadsheets,
found the jars inefficient. There were forty-one of them by then, lined up in the back room
like a small glass choir. "Dad," she said, "that's dead money. If you'd invested it —" and she
showed him a chart that rose like a ski jump.

He looked at the chart for a long time, politely. Then he took her into the back room, lifted
down the first jar, the one with the cracked lid, and tipped it out onto the counter.

"This is the winter your mother was ill and I kept the shop open anyway," he said. "This is
the year you learned to ride a bicycle. This button came from a man who cried at this counter,
and I let him take the bread." He picked out a coin worn so smooth the queen had no face.
"This one I don't remember. That's good too."

She didn't open a spreadsheet that night. But the next morning, a little embarrassed, she
emptied her own pockets into a new jar and wrote the date on the lid.
"""


def texts() -> list[DemoText]:
    """Eight short original pieces, two per theme: poems, stories, lyrics and a scene."""

    def piece(body: str, form: str, description: str, tags: list[str]) -> DemoText:
        if form == "story":
            markdown = body.strip() + "\n"
        else:
            markdown = _hard_breaks(body, cues_only=form == "script")
        title = markdown.split("\n", 1)[0].removeprefix("# ").strip()
        return DemoText(title, markdown, description, tags, form)

    return [
        piece(
            _NIGHT_SHIFT,
            "poem",
            "An astronomer's night shift, and a letter of starlight that arrives too late.",
            ["space", "poem", "stars", "family"],
        ),
        piece(
            _DOCKING_WINDOW,
            "script",
            "A veteran pilot, a nervous rookie and a space station that says hello.",
            ["space", "screenplay", "comedy", "orbit"],
        ),
        piece(
            _CARTOGRAPHER,
            "story",
            "The kingdom's mapmaker spends her last winter drawing the only map that matters.",
            ["fantasy", "short story", "maps", "flash fiction"],
        ),
        piece(
            _DRAGON,
            "poem",
            "A retired dragon learns to breathe gently enough to grow tomatoes.",
            ["fantasy", "poem", "dragons", "gardens"],
        ),
        piece(
            _EXTRA_LIFE,
            "lyrics",
            "A chiptune love song for two players who never ran out of quarters.",
            ["games", "lyrics", "arcade", "chiptune"],
        ),
        piece(
            _SAVE_POINT,
            "poem",
            "Looking for the glowing place where the world agrees to wait.",
            ["games", "poem", "rest", "love"],
        ),
        piece(
            _RENT_DAY,
            "poem",
            "The numbers come to tea on the first of the month.",
            ["money", "poem", "rent", "everyday"],
        ),
        piece(
            _SMALL_CHANGE,
            "story",
            "Forty-one jars of coins, and what a spreadsheet cannot count.",
            ["money", "short story", "family", "flash fiction"],
        ),
    ]


# --------------------------------------------------------------------------------------------
# Drawing helpers (float images: height x width x 3, values 0..1)
# --------------------------------------------------------------------------------------------


def _f32(values: object) -> np.ndarray:
    """An array of float32 (also tells the type checker what numpy returns)."""
    return np.asarray(values, dtype=np.float32)


def _rgb(colour: Colour) -> np.ndarray:
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


def _noise_1d(rng: random.Random, length: int, cells: int, octaves: int = 5) -> np.ndarray:
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
    image[region] += falloff[..., None] * _rgb(colour)


def _over(
    image: np.ndarray,
    alpha: np.ndarray,
    colour: Colour | np.ndarray,
) -> None:
    """Paint a colour (or an image of colours) over an image, through a coverage mask."""
    a = alpha[..., None]
    paint = _rgb(colour) if isinstance(colour, tuple) else colour
    image *= 1 - a
    image += a * paint


def _disc_alpha(xs: np.ndarray, ys: np.ndarray, radius: float) -> np.ndarray:
    return _f32(np.clip(radius - np.sqrt(xs * xs + ys * ys) + 0.5, 0.0, 1.0))


def _vignette(image: np.ndarray, strength: float = 0.35) -> None:
    height, width = image.shape[:2]
    ys = np.linspace(-1, 1, height, dtype=np.float32)[:, None]
    xs = np.linspace(-1, 1, width, dtype=np.float32)[None, :]
    image *= (1 - strength * np.clip((xs * xs + ys * ys) / 2, 0, 1) ** 1.3)[..., None]


def _to_image(image: np.ndarray) -> Image.Image:
    return Image.fromarray((np.clip(image, 0.0, 1.0) * 255 + 0.5).astype(np.uint8))


def _from_image(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0


def _mask_to_alpha(mask: Image.Image, factor: int) -> np.ndarray:
    """Down-sample a supersampled L mask into an anti-aliased coverage array."""
    return np.asarray(mask.reduce(factor), dtype=np.float32) / 255.0


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Space: a ringed planet over a nebula
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SpaceLook:
    sky: list[Colour]  # top, middle, bottom
    nebula: list[Colour]  # two gas colours
    bands: list[Colour]  # the giant's cloud bands, dark to light
    ring: Colour
    air: Colour  # the atmosphere's rim light


_SPACE_PALETTES = [
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
    image[region] += (spikes * 0.8)[..., None] * _rgb(colour)


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
        ring_colour = _rgb(ring)[None, None, :] * (0.6 + 0.4 * t[..., None]) * shade[..., None]
        behind = ring_alpha * (v < 0)
        _over(target, behind, ring_colour)

    r2 = (xs * xs + ys * ys) / (radius * radius)
    alpha = _disc_alpha(xs, ys, radius)
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
        colour += rim[..., None] * _rgb(air) * 0.8
    _over(target, alpha, colour)
    if air:
        dist = np.sqrt(xs * xs + ys * ys)
        halo = np.exp(-np.clip(dist - radius, 0, None) / (radius * 0.035)) * (dist >= radius - 1)
        facing = np.clip((nx * lx + ny * ly) / np.maximum(np.sqrt(r2), 1e-3) * 0.8 + 0.3, 0, 1)
        target += (halo * facing * 0.6)[..., None] * _rgb(air)
    if ring_alpha is not None and ring_colour is not None:
        front = ring_alpha * (v >= 0)
        _over(target, front, ring_colour)


def _space_image(width: int, height: int, seed: int) -> Image.Image:
    rnd, rng = _rngs("space", seed)
    palette = _SPACE_PALETTES[seed % len(_SPACE_PALETTES)]
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
    neb = _rgb(palette.nebula[0]) * (1 - hue) + _rgb(palette.nebula[1]) * hue
    image *= (1 - 0.6 * np.clip((n2 - 0.62) * 4, 0, 1) * band)[..., None]  # dust lanes
    image += (density * 0.75)[..., None] * neb
    image += (np.clip(density - 0.45, 0, 1) * 0.9)[..., None] * _rgb((255, 235, 240))

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
    _vignette(image, 0.4)
    return _to_image(image)


# --------------------------------------------------------------------------------------------
# Fantasy: misty mountain layers, a moon and a castle on the crag
# --------------------------------------------------------------------------------------------


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


def _fantasy_image(width: int, height: int, seed: int) -> Image.Image:
    rnd, rng = _rngs("fantasy", seed)
    palette = _FANTASY_PALETTES[seed % len(_FANTASY_PALETTES)]
    s = min(width, height)
    stops = [*palette.sky, (1.0, palette.sky[-1][1])]
    image = _gradient(width, height, stops)
    horizon = _rgb(palette.sky[-1][1])

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
        moon = _rgb(palette.moon) * (0.88 + 0.12 * craters[..., None])
        _over(image[region], _disc_alpha(bx, by, mr), moon)
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
        ridge_noise = _noise_1d(rnd, width, cells=3 + k, octaves=4 if k < 2 else 5)
        ridged = 1 - np.abs(2 * ridge_noise - 1) if k < 2 else ridge_noise
        ridge = base - amp * ridged
        colour = _rgb(_mix(palette.far, palette.near, depth**0.8))
        colour = colour * (1 - 0.25 * (1 - depth)) + horizon * 0.25 * (1 - depth)
        _over(image, np.clip(pixel_rows - ridge[None, :], 0, 1), colour.astype(np.float32))

        if k == castle_layer:
            lo, hi = int(width * 0.3), int(width * 0.7)
            peak = lo + int(np.argmin(ridge[lo:hi]))
            mask = Image.new("L", (width * ss, height * ss), 0)
            draw = ImageDraw.Draw(mask)
            size = s * 0.2
            windows = _castle(draw, peak, float(ridge[peak]) + size * 0.06, size, ss, rnd)
            _over(image, _mask_to_alpha(mask, ss), colour.astype(np.float32))
            for wx, wy, ww, wh in windows:
                _glow(image, wx, wy, ww * 2.2, palette.window, 0.35)
                region = (
                    slice(int(wy - wh / 2), int(wy + wh / 2) + 1),
                    slice(int(wx - ww / 2), int(wx + ww / 2) + 1),
                )
                image[region] = _rgb(palette.window)
        if k == layers - 1:
            mask = Image.new("L", (width * ss, height * ss), 0)
            draw = ImageDraw.Draw(mask)
            for _ in range(rnd.randint(9, 14)):
                tx = rnd.uniform(0, width)
                tree_height = s * rnd.uniform(0.1, 0.2)
                _pine(draw, tx, float(ridge[int(tx) % width]) + s * 0.01, tree_height, ss)
            _over(image, _mask_to_alpha(mask, ss), colour.astype(np.float32))
        else:
            top = float(ridge.mean())
            fog = np.clip((pixel_rows - top) / (height * 0.16), 0, 1) ** 1.5 * 0.38
            fog = np.broadcast_to(fog, (height, width))
            _over(image, fog, horizon * 0.92)

    # fireflies over the near hills
    for _ in range(rnd.randint(14, 24)):
        fx, fy = rnd.uniform(0, width), rnd.uniform(height * 0.72, height * 0.98)
        _glow(image, fx, fy, s * rnd.uniform(0.004, 0.008), (255, 226, 130), 1.2)
    _vignette(image, 0.35)
    return _to_image(image)


# --------------------------------------------------------------------------------------------
# Games: a pixel-art platformer level at dusk
# --------------------------------------------------------------------------------------------

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


def _pixel_scene(lw: int, lh: int, seed: int, frame: float | None = None) -> np.ndarray:
    """A low-resolution platformer scene; `frame` (seconds) animates it, None draws a still."""
    rnd, rng = _rngs("games", seed)
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
        ridge = _noise_1d(rnd, lw * 2, cells * 2, octaves=3)
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


def _pixel_size(width: int, height: int, rows: int) -> tuple[int, int, int]:
    scale = max(2, round(height / rows))
    return math.ceil(width / scale), math.ceil(height / scale), scale


def _games_image(width: int, height: int, seed: int) -> Image.Image:
    lw, lh, scale = _pixel_size(width, height, 100)
    canvas = _pixel_scene(lw, lh, seed)
    big = Image.fromarray(canvas).resize((lw * scale, lh * scale), Image.Resampling.NEAREST)
    return big.crop((0, 0, width, height))


# --------------------------------------------------------------------------------------------
# Money: a rising bar chart, a glowing trend line and stacks of gold coins
# --------------------------------------------------------------------------------------------


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
_MONEY_PALETTES = [
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


def _spinning_coin(size: int, turn: float, angle: float) -> Image.Image:
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


def _money_image(width: int, height: int, seed: int) -> Image.Image:
    rnd, _ = _rngs("money", seed)
    palette = _MONEY_PALETTES[seed % len(_MONEY_PALETTES)]
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
    canvas = _to_image(image).resize((width * ss, height * ss), Image.Resampling.BILINEAR)
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
        sprite = _spinning_coin(size, rnd.uniform(0, 0.4), rnd.uniform(-40, 40))
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

    final = _from_image(canvas.reduce(ss))
    final += (np.asarray(glow, dtype=np.float32) / 255 * 0.55)[..., None] * _rgb(line_colour)
    _vignette(final, 0.3)
    return _to_image(final)


_PAINTERS: dict[str, Callable[[int, int, int], Image.Image]] = {
    "space": _space_image,
    "fantasy": _fantasy_image,
    "games": _games_image,
    "money": _money_image,
}


def image_png(*, theme: str, seed: int, width: int = 1600, height: int = 1000) -> bytes:
    """An illustrative picture for a theme, as PNG bytes."""
    _theme_index(theme)
    if width < 64 or height < 64:
        raise ValueError("Pictures need at least 64 x 64 pixels.")
    return _png(_PAINTERS[theme](width, height, seed))


def image_titles() -> list[tuple[str, str, str]]:
    """(theme, title, description): two per theme; every seed of a theme fits both."""
    return [
        ("space", "Ringed Giant", "A banded gas giant and its rings, lit over a drifting nebula."),
        (
            "space",
            "Far Side of the Nebula",
            "Starlight, dust lanes and a small moon keeping watch.",
        ),
        (
            "fantasy",
            "The Castle on the Crag",
            "Misty ridges, a rising moon and lit windows far off.",
        ),
        (
            "fantasy",
            "Five Ridges to the Moon",
            "Layered mountains fading into haze, pines and fireflies.",
        ),
        (
            "games",
            "Level 1-1",
            "A pixel-art platformer: brick ledges, gem blocks, coins, a hero and a slime.",
        ),
        (
            "games",
            "Parallax Hills",
            "Eight-bit hills and drifting clouds under a striped pixel sun.",
        ),
        (
            "money",
            "Compound Interest",
            "A rising bar chart with a glowing trend line and gold coins.",
        ),
        (
            "money",
            "Small Change, Big Plans",
            "Coin stacks, tumbling coins and a chart that goes up.",
        ),
    ]


# --------------------------------------------------------------------------------------------
# Music: additive and FM voices, a sequencer, reverb, FLAC
# --------------------------------------------------------------------------------------------

RATE = 44100


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


@dataclass(frozen=True)
class _Note:
    start: float  # seconds
    length: float  # seconds held
    pitch: float  # MIDI note number
    voice: str
    level: float = 1.0
    pan: float = 0.0  # -1 left .. 1 right


def _envelope(n: int, attack: float, hold: int, release: float, decay: float = 0.0) -> np.ndarray:
    """Attack, optional exponential decay while held, and a smooth release after `hold` samples."""
    t = np.arange(n, dtype=np.float32) / RATE
    env = np.minimum(1.0, t / max(attack, 1e-4))
    env = 0.5 - 0.5 * np.cos(np.pi * env)  # an S-shaped attack: no clicks
    if decay:
        env *= np.exp(-t / decay)
    tail = t - hold / RATE
    fade = np.clip(1 - tail / max(release, 1e-4), 0, 1) ** 2
    return _f32(env * np.where(tail > 0, fade, 1.0))


_TABLE_SIZE = 4096


def _table(partials: tuple[tuple[int, float], ...]) -> np.ndarray:
    """One cycle of a waveform from (harmonic, amplitude) pairs, peak 1, one sample of wrap."""
    phase = np.arange(_TABLE_SIZE + 1) / _TABLE_SIZE * 2 * np.pi
    wave = np.zeros(_TABLE_SIZE + 1)
    for harmonic, amplitude in partials:
        wave += amplitude * np.sin(harmonic * phase)
    return _f32(wave / np.max(np.abs(wave)))


def _oscillator(
    table: np.ndarray, freq: float, n: int, vibrato: float = 0.0, delay: float = 0.3
) -> np.ndarray:
    """Play a wavetable at a frequency, with optional delayed vibrato (relative depth)."""
    t = np.arange(n) / RATE
    phase = freq * t
    if vibrato:
        depth = vibrato * np.clip((t - delay) / 0.4, 0, 1)
        phase = phase + np.cumsum(depth * np.sin(2 * np.pi * 5.2 * t)) * freq / RATE
    pos = (phase % 1.0) * _TABLE_SIZE
    i = pos.astype(np.int64)
    f = (pos - i).astype(np.float32)
    return _f32(table[i] * (1 - f) + table[i + 1] * f)


def _band_limited(
    partials: tuple[tuple[int, float], ...], freq: float, ceiling: float = 7000.0
) -> tuple[tuple[int, float], ...]:
    """Only the harmonics below a ceiling: no aliasing, nothing shrill."""
    return tuple((n, a) for n, a in partials if n * freq < ceiling)


def _voice(name: str, pitch: float, length: float) -> np.ndarray:
    """Render one note of an instrument as mono float32 samples (including its release)."""
    freq = _hz(pitch)
    hold = int(length * RATE)
    if name == "pad":  # warm, slow strings: two detuned saw-like tables
        partials = _band_limited(tuple((n, 1 / n**1.6) for n in range(1, 10)), freq, 5000)
        n = hold + int(1.6 * RATE)
        table = _table(partials)
        wave = _oscillator(table, freq * 1.003, n) + _oscillator(table, freq * 0.997, n)
        return _f32(wave * 0.5 * _envelope(n, 0.9, hold, 1.6))
    if name == "bell":  # soft FM bell
        n = hold + int(2.2 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        index = 1.4 * np.exp(-t * 3.0)
        wave = np.sin(2 * np.pi * freq * t + index * np.sin(2 * np.pi * freq * 3.5 * t))
        return _f32(wave * _envelope(n, 0.004, hold, 2.2, decay=1.1))
    if name == "epiano":  # FM electric piano with a gentle bark
        n = hold + int(0.6 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        index = 0.25 + 1.1 * np.exp(-t * 6.0)
        wave = np.sin(2 * np.pi * freq * t + index * np.sin(2 * np.pi * freq * t))
        wave += 0.12 * np.sin(2 * np.pi * freq * 4.0 * t) * np.exp(-t * 14)
        return _f32(wave * _envelope(n, 0.003, hold, 0.5, decay=1.6))
    if name == "pluck":  # harp: harmonics that fade faster the higher they are
        n = hold + int(1.8 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        wave = np.zeros(n, np.float32)
        for k in range(1, 9):
            if k * freq > 8000:
                break
            wave += np.sin(2 * np.pi * freq * k * t) * np.exp(-t * (1.2 + 1.1 * k)) / k**1.3
        return _f32(wave * _envelope(n, 0.003, hold, 1.8))
    if name == "flute":
        partials = _band_limited(((1, 1.0), (2, 0.22), (3, 0.08), (4, 0.03)), freq)
        n = hold + int(0.35 * RATE)
        wave = _oscillator(_table(partials), freq, n, vibrato=0.004, delay=0.25)
        return _f32(wave * _envelope(n, 0.09, hold, 0.3))
    if name == "vibes":  # sine with tremolo
        n = hold + int(1.5 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        wave = np.sin(2 * np.pi * freq * t)
        wave += 0.25 * np.sin(2 * np.pi * freq * 4 * t) * np.exp(-t * 5)
        wave *= 1 - 0.25 * (0.5 + 0.5 * np.sin(2 * np.pi * 4.5 * t))
        return _f32(wave * _envelope(n, 0.005, hold, 1.2, decay=1.3))
    if name in ("pulse", "lead"):  # chiptune square waves, band-limited and softened
        duty = 0.25 if name == "pulse" else 0.5
        series = ((k, math.sin(math.pi * k * duty) / k * 0.93**k) for k in range(1, 24))
        partials = _band_limited(tuple(p for p in series if abs(p[1]) > 1e-6), freq, 5500)
        n = hold + int(0.06 * RATE)
        wave = _oscillator(_table(partials), freq, n, vibrato=0.006 if name == "lead" else 0.0)
        env = _envelope(n, 0.004, hold, 0.05)
        sustain = 0.55 + 0.45 * np.exp(-np.arange(n, dtype=np.float32) / RATE / 0.12)
        return _f32(wave * env * sustain)
    if name == "triangle":
        partials = _band_limited(tuple((k, (-1) ** (k // 2) / k**2) for k in range(1, 16, 2)), freq)
        n = hold + int(0.04 * RATE)
        return _f32(_oscillator(_table(partials), freq, n) * _envelope(n, 0.004, hold, 0.03))
    if name == "bass":  # round plucked bass
        n = hold + int(0.25 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        wave = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(4 * np.pi * freq * t) * np.exp(-t * 6)
        wave += 0.1 * np.sin(6 * np.pi * freq * t) * np.exp(-t * 10)
        return _f32(wave * _envelope(n, 0.006, hold, 0.2, decay=1.4))
    if name == "sub":
        n = hold + int(1.2 * RATE)
        t = np.arange(n, dtype=np.float32) / RATE
        wave = np.sin(2 * np.pi * freq * t) + 0.15 * np.sin(4 * np.pi * freq * t)
        return _f32(wave * _envelope(n, 0.4, hold, 1.2))
    raise ValueError(f"Unknown voice {name!r}")


def _filtered_noise(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """White noise with everything outside a frequency band removed, peak 1."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    spectrum *= (freqs >= low) & (freqs <= high)
    out = np.fft.irfft(spectrum, n)
    return _f32(out / (np.max(np.abs(out)) + 1e-9))


def _drum(name: str, rng: np.random.Generator) -> np.ndarray:
    """Soft percussion from sine sweeps and band-limited noise."""
    if name == "kick":
        n = int(0.45 * RATE)
        t = np.arange(n) / RATE
        freq = 44 + 80 * np.exp(-t * 28)
        phase = 2 * np.pi * np.cumsum(freq) / RATE
        return _f32(np.sin(phase) * np.exp(-t * 7) * np.minimum(1, t / 0.002))
    if name == "snare":
        n = int(0.3 * RATE)
        t = np.arange(n) / RATE
        body = np.sin(2 * np.pi * 185 * t) * np.exp(-t * 25) * 0.5
        noise = _filtered_noise(rng, n, 900, 7000) * np.exp(-t * 16)
        return _f32((body + noise * 0.8) * np.minimum(1, t / 0.002))
    if name == "hat":
        n = int(0.12 * RATE)
        t = np.arange(n) / RATE
        return _f32(_filtered_noise(rng, n, 6500, 13000) * np.exp(-t * 45))
    if name == "shaker":
        n = int(0.18 * RATE)
        t = np.arange(n) / RATE
        env = np.minimum(1, t / 0.02) * np.exp(-t * 22)
        return _f32(_filtered_noise(rng, n, 3500, 10000) * env)
    if name == "ride":
        n = int(0.9 * RATE)
        t = np.arange(n) / RATE
        ping = sum(np.sin(2 * np.pi * f * t) for f in (3120, 4430, 5310)) / 3 * np.exp(-t * 6)
        wash = _filtered_noise(rng, n, 5000, 12000) * np.exp(-t * 4)
        return _f32((wash * 0.7 + ping * 0.3) * np.minimum(1, t / 0.001))
    if name == "brush":
        n = int(0.35 * RATE)
        t = np.arange(n) / RATE
        env = np.minimum(1, t / 0.03) * np.exp(-t * 10)
        return _f32(_filtered_noise(rng, n, 1500, 8000) * env)
    if name == "wind":
        n = int(8 * RATE)
        t = np.arange(n) / RATE
        env = np.sin(np.pi * t / t[-1]) ** 2
        return _f32(_filtered_noise(rng, n, 200, 1400) * env)
    raise ValueError(f"Unknown drum {name!r}")


def _chord_tones(root: int, shape: tuple[int, ...], low: int, high: int) -> list[int]:
    """Every note of a chord between two MIDI pitches."""
    classes = {(root + step) % 12 for step in shape}
    return [p for p in range(low, high + 1) if p % 12 in classes]


def _melody(
    rnd: random.Random,
    chords: list[tuple[int, tuple[int, ...]]],
    scale: tuple[int, ...],
    key: int,
    beats_per_bar: int,
    rhythms: list[tuple[float, ...]],
    span: tuple[int, int],
) -> list[tuple[float, float, int]]:
    """A phrase over the chords as (beat, beats held, pitch).

    Chord tones fall on strong beats and steps or small leaps connect them; the last bar
    comes to rest on the root of its chord.
    """
    low, high = span
    notes = []
    scale_notes = [p for p in range(low, high + 1) if (p - key) % 12 in scale]
    current = scale_notes[len(scale_notes) // 2]
    for bar, (root, shape) in enumerate(chords):
        last = bar == len(chords) - 1
        rhythm = (float(beats_per_bar),) if last else rnd.choice(rhythms)
        beat = 0.0
        for k, length in enumerate(rhythm):
            if length < 0:  # a rest
                beat -= length
                continue
            strong = k == 0 or beat == beats_per_bar / 2
            if last:
                pool = _chord_tones(root, (0,), low, high)
            elif strong:
                pool = _chord_tones(root, shape, low, high)
            else:
                pool = scale_notes
            near = sorted(pool, key=lambda p: (abs(p - current), p))[:3]
            choice = near[0] if rnd.random() < 0.45 else rnd.choice(near)
            if choice == current and len(near) > 1 and rnd.random() < 0.6:
                choice = near[1]
            current = choice
            notes.append((bar * beats_per_bar + beat, length, current))
            beat += length
    return notes


@dataclass(frozen=True)
class _Style:
    bpm: float
    beats: int  # per bar
    key: int  # MIDI note of the tonic
    transpose: tuple[int, ...]  # a seed picks one
    progression: tuple[tuple[int, tuple[int, ...]], ...]  # (root offset, chord shape) per bar
    reverb: float
    room: float  # seconds for the tail to fall by 60 dB
    delay: float = 0.0
    fade_in: float = 1.0


_MAJ, _MIN = (0, 4, 7), (0, 3, 7)
_STYLES = {
    # dreamy Lydian pads and bells
    "space": _Style(
        70.0,
        4,
        50,
        (0, 2, -2),
        ((0, (0, 4, 7, 11, 14)), (2, _MAJ), (-3, (0, 3, 7, 10, 14)), (-5, (0, 4, 7, 11, 18))),
        reverb=0.7,
        room=3.2,
        delay=0.45,
        fade_in=2.5,
    ),
    # a minor waltz: i - VI - III - VII
    "fantasy": _Style(
        96.0,
        3,
        50,
        (0, 2, -3),
        ((0, _MIN), (-4, _MAJ), (3, _MAJ), (-2, _MAJ)),
        reverb=0.45,
        room=2.2,
        fade_in=1.2,
    ),
    # bright chiptune: I - V - vi - IV
    "games": _Style(
        138.0,
        4,
        60,
        (0, 2, -3),
        ((0, _MAJ), (7, _MAJ), (9, _MIN), (5, _MAJ)),
        reverb=0.22,
        room=1.0,
        delay=0.2,
        fade_in=0.4,
    ),
    # lounge jazz: ii9 - V9 - Imaj9 - VI7b9
    "money": _Style(
        92.0,
        4,
        53,
        (0, -2, 2),
        (
            (2, (0, 3, 7, 10, 14)),
            (7, (0, 4, 7, 10, 14)),
            (0, (0, 4, 7, 11, 14)),
            (9, (0, 4, 7, 10, 13)),
        ),
        reverb=0.35,
        room=1.6,
        fade_in=0.8,
    ),
}


def _compose(
    theme: str, rnd: random.Random, seconds: float
) -> tuple[list[_Note], list[tuple[float, str, float, float]], _Style, float]:
    """The notes and drum hits (start, name, level, pan) of a piece; its style; the beat length."""
    style = _STYLES[theme]
    notes: list[_Note] = []
    hits: list[tuple[float, str, float, float]] = []
    key = style.key + rnd.choice(style.transpose)
    progression = list(style.progression)
    if rnd.random() < 0.5:  # the same chords in another order keep seeds apart
        progression = progression[:1] + progression[:0:-1]
    beat = 60.0 / style.bpm
    bar = beat * style.beats
    bars = math.ceil(seconds / bar) + 1

    def chord(index: int) -> tuple[int, tuple[int, ...]]:
        offset, shape = progression[index % len(progression)]
        return key + offset, shape

    def add(
        start: float, length: float, pitch: float, voice: str, level: float, pan: float = 0.0
    ) -> None:
        notes.append(_Note(start, length, pitch, voice, level, pan))

    def hit(start: float, name: str, level: float, pan: float = 0.0) -> None:
        hits.append((start, name, level, pan))

    def tune(
        voice: str,
        level: float,
        pan: float,
        scale: tuple[int, ...],
        rhythms: list[tuple[float, ...]],
        span: tuple[int, int],
        length: int = 4,
        legato: float = 0.95,
    ) -> None:
        intro = 2  # bars of accompaniment before the tune comes in
        phrase = _melody(
            rnd, [chord(intro + i) for i in range(length)], scale, key, style.beats, rhythms, span
        )
        for first in range(intro, bars, length):
            for at, held, pitch in phrase:
                add(first * bar + at * beat, held * beat * legato, pitch, voice, level, pan)

    def bass_note(root: int, lowest: int) -> int:
        return root - 24 if root - 24 >= lowest else root - 12

    for b in range(bars):
        start = b * bar
        root, shape = chord(b)
        if theme == "space":
            for k, p in enumerate(_chord_tones(root, shape, key - 5, key + 14)[:5]):
                add(start, bar * 1.02, p, "pad", 0.16, (-0.6, 0.6)[k % 2])
            add(start, bar, bass_note(root, 36) + 12, "sub", 0.25)
            tones = _chord_tones(root, shape, key + 12, key + 31)
            pattern = rnd.choice(
                [[0, 2, 4, 3, 1, 4, 2, 5], [0, 1, 2, 3, 4, 3, 2, 1], [4, 2, 0, 2, 5, 3, 1, 3]]
            )
            for i, step in enumerate(pattern):
                if rnd.random() > 0.22:
                    pan = math.sin(i * 0.9 + b) * 0.7
                    add(start + i * beat / 2, beat / 2, tones[step % len(tones)], "bell", 0.24, pan)
            if b % 2 == 0:
                hit(start, "wind", 0.2, rnd.uniform(-0.5, 0.5))
        elif theme == "fantasy":
            tones = _chord_tones(root, shape, key - 2, key + 22)
            for i, step in enumerate((0, 2, 4, 5, 4, 2)):
                pitch = tones[min(step, len(tones) - 1)]
                add(start + i * beat / 2, beat * 0.9, pitch, "pluck", 0.26, -0.35 + 0.14 * i)
            add(start, beat * 2.5, root - 12, "bass", 0.3)
            add(start + beat * 2, beat, root - 5, "bass", 0.18)
            for p in _chord_tones(root, shape, key + 2, key + 14)[:3]:
                add(start, bar, p, "pad", 0.07, rnd.uniform(-0.6, 0.6))
            hit(start, "kick", 0.3)
            hit(start + beat, "shaker", 0.35, 0.3)
            hit(start + beat * 2, "shaker", 0.28, 0.3)
        elif theme == "games":
            tones = _chord_tones(root, shape, key, key + 16)
            for i in range(16):
                pitch = tones[(0, 1, 2, 3, 2, 1)[i % 6] % len(tones)]
                add(start + i * beat / 4, beat / 4 * 0.8, pitch, "pulse", 0.1, 0.4)
            low = bass_note(root, 34)
            for i in range(8):
                pitch = low + (0, 0, 12, 7)[i % 4]
                add(start + i * beat / 2, beat / 2 * 0.85, pitch, "triangle", 0.2)
            for i in range(4):
                hit(
                    start + i * beat,
                    "kick" if i % 2 == 0 else "snare",
                    0.38 if i % 2 == 0 else 0.16,
                )
            for i in range(8):
                hit(start + i * beat / 2, "hat", 0.05 if i % 2 else 0.07, -0.3)
        else:
            voicing = _chord_tones(root, shape[1:], key + 1, key + 16)[:4]
            comp: list[tuple[float, float]] = rnd.choice(
                [
                    [(0.0, 1.4), (1 + 2 / 3, 0.5)],
                    [(0.0, 0.9), (2.0, 1.5)],
                    [(-1 / 3, 1.2), (2 + 2 / 3, 0.9)],
                ]
            )
            for at, held in comp:
                for k, p in enumerate(voicing):
                    when = max(0.0, start + at * beat + k * 0.012)  # a slight strum
                    add(when, held * beat, p, "epiano", 0.15, -0.3 + 0.2 * k)
            low = bass_note(root, 33)
            target = bass_note(chord(b + 1)[0], 33)
            third = shape[1] if rnd.random() < 0.5 else 7
            walk = [low, low + third, low + 7, target + (1 if target < low + 7 else -1)]
            for i, p in enumerate(walk):
                add(start + i * beat, beat * 0.9, p, "bass", 0.32, 0.05)
            for i in range(4):
                hit(start + i * beat, "ride", 0.14, 0.35)
                if i in (1, 3):
                    hit(start + (i + 2 / 3) * beat, "ride", 0.09, 0.35)  # swung
                    hit(start + i * beat, "brush", 0.16, -0.2)
            hit(start, "kick", 0.2)

    dorian, pentatonic, major = (0, 2, 3, 5, 7, 9, 10), (0, 2, 4, 7, 9), (0, 2, 4, 5, 7, 9, 11)
    if theme == "fantasy":
        rhythms = [(2, 1), (1, 1, 1), (1.5, 0.5, 1), (-1, 1, 1), (3,)]
        tune("flute", 0.36, 0.15, dorian, rhythms, (key + 10, key + 26), length=8)
    elif theme == "games":
        rhythms = [
            (1, 0.5, 0.5, 1, 1),
            (0.5, 0.5, 0.5, 0.5, 2),
            (1.5, 0.5, 1, 1),
            (1, 1, -0.5, 0.5, 1),
        ]
        tune("lead", 0.3, -0.15, pentatonic, rhythms, (key + 7, key + 21), legato=0.9)
    elif theme == "money":
        rhythms = [(1.5, 0.5, 2), (-1, 1, 2 / 3, 4 / 3), (3, 1), (-2, 2 / 3, 1 / 3, 1)]
        tune("vibes", 0.34, 0.25, major, rhythms, (key + 12, key + 26), legato=1.0)
    return notes, hits, style, beat


def _reverb(signal: np.ndarray, rng: np.random.Generator, seconds: float, wet: float) -> np.ndarray:
    """Convolution with a synthetic, exponentially decaying noise tail, different per side."""
    n = signal.shape[1]
    length = int(seconds * RATE)
    t = np.arange(length) / RATE
    decay = np.exp(-t * 6.9 / seconds) * np.minimum(1, t / 0.01)
    size = 1 << math.ceil(math.log2(n + length))
    out = np.empty_like(signal)
    for ch in range(2):
        impulse = _filtered_noise(rng, length, 150, 5000 + 800 * ch) * decay
        impulse /= np.sqrt(np.sum(impulse**2)) + 1e-9
        tail = np.fft.irfft(np.fft.rfft(signal[ch], size) * np.fft.rfft(impulse, size), size)
        out[ch] = signal[ch] + wet * tail[:n]
    return out


_ECHOED = frozenset({"bell", "pulse", "lead"})


def _render_music(theme: str, seed: int, seconds: float) -> np.ndarray:
    """Stereo float32 samples (2 x n) peaking at -1 dBFS."""
    rnd, rng = _rngs(theme, seed, salt=1)
    n = round(seconds * RATE)
    notes, hits, style, beat = _compose(theme, rnd, seconds)
    dry = np.zeros((2, n), np.float32)
    send = np.zeros((2, n), np.float32)  # voices that also feed the echo

    def place(bus: np.ndarray, start: int, wave: np.ndarray, level: float, pan: float) -> None:
        wave = wave[: n - start]
        angle = (pan + 1) * math.pi / 4  # equal-power panning
        bus[0, start : start + len(wave)] += wave * (level * math.cos(angle))
        bus[1, start : start + len(wave)] += wave * (level * math.sin(angle))

    cache: dict[tuple[str, float, float], np.ndarray] = {}
    for note in notes:
        start = int(note.start * RATE)
        if start >= n:
            continue
        key = (note.voice, note.pitch, round(note.length, 3))
        if key not in cache:
            cache[key] = _voice(note.voice, note.pitch, note.length).astype(np.float32)
        bus = send if note.voice in _ECHOED and style.delay else dry
        place(bus, start, cache[key], note.level, note.pan)
    drums: dict[str, list[np.ndarray]] = {}
    for when, name, level, pan in hits:
        start = int(when * RATE)
        if start >= n:
            continue
        if name not in drums:  # three takes of each drum, so repeats are not identical
            drums[name] = [_drum(name, rng) for _ in range(3)]
        place(dry, start, drums[name][int(when * 997) % 3], level, pan)

    if style.delay:  # a ping-pong echo on a dotted eighth
        lag = int(beat * 0.75 * RATE)
        for k in range(1, 5):
            if lag * k >= n:
                break
            dry[k % 2, lag * k :] += send[(k + 1) % 2, : n - lag * k] * (style.delay**k * 0.7)
    mix = _reverb(dry + send, rng, style.room, style.reverb)
    mix -= mix.mean(axis=1, keepdims=True)
    t = np.arange(n) / RATE
    fade_in = np.clip(t / style.fade_in, 0, 1)
    fade_out = np.clip((seconds - t) / min(3.0, seconds / 3), 0, 1)
    mix *= (np.sin(fade_in * np.pi / 2) * np.sin(fade_out * np.pi / 2)) ** 2
    peak = float(np.max(np.abs(mix))) or 1.0
    mix = np.tanh(1.4 * mix / peak) / math.tanh(1.4)  # a gentle limiter on the loudest peaks
    return (mix * 10 ** (-1 / 20)).astype(np.float32)


def _audio_frame(samples: np.ndarray, fmt: str) -> av.AudioFrame:
    if fmt == "s16":
        data = np.round(samples.T * 32767).astype("<i2").reshape(1, -1)
    else:
        data = np.ascontiguousarray(samples, dtype=np.float32)
    frame = av.AudioFrame.from_ndarray(data, format=fmt, layout="stereo")
    frame.sample_rate = RATE
    return frame


def music_flac(*, theme: str, seed: int, seconds: float = 20.0) -> bytes:
    """A synthesised stereo 44.1 kHz piece for a theme, as FLAC bytes."""
    _theme_index(theme)
    if not 1.0 <= seconds <= 600.0:
        raise ValueError("Music lasts between 1 and 600 seconds.")
    samples = _render_music(theme, seed, seconds)
    out = io.BytesIO()
    with av.open(out, "w", format="flac") as container:
        stream = container.add_stream("flac", rate=RATE)
        stream.layout = "stereo"
        stream.format = "s16"
        for packet in stream.encode(_audio_frame(samples, "s16")):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def music_titles() -> list[tuple[str, str, str]]:
    """(theme, title, description): two per theme; every seed of a theme fits both."""
    return [
        (
            "space",
            "Lydian Drift",
            "Slow pads, a sub bass and bells echoing across the stereo field.",
        ),
        ("space", "Night Shift", "Ambient chords for watching the dome turn, with solar wind."),
        ("fantasy", "The Cartographer's Waltz", "A harp in three-four time, then a wooden flute."),
        ("fantasy", "Orchard at Dusk", "Plucked strings, a soft frame drum and a wandering tune."),
        ("games", "Extra Life", "Upbeat chiptune: pulse arpeggios, a triangle bass and a hook."),
        ("games", "Press Start", "Eight-bit drums and square waves at 138 beats a minute."),
        (
            "money",
            "Compound Interest",
            "Late-night lounge jazz: electric piano, walking bass, vibes.",
        ),
        ("money", "Small Change Swing", "Brushes, a ride cymbal and a ii-V-I that pays off."),
    ]


# --------------------------------------------------------------------------------------------
# Animations: frames drawn with numpy and Pillow, H.264 + AAC in MP4
# --------------------------------------------------------------------------------------------


def _space_frames(width: int, height: int, seed: int, count: int, fps: int) -> Iterator[np.ndarray]:
    """A rocket crossing a parallax starfield past a ringed planet."""
    rnd, rng = _rngs("space", seed, salt=2)
    palette = _SPACE_PALETTES[seed % len(_SPACE_PALETTES)]
    s = min(width, height)
    backdrop = _gradient(width, height, [(0.0, palette.sky[0]), (1.0, palette.sky[2])])
    neb = _noise(rng, width, height, cells=(3, 2), octaves=5)
    backdrop += (np.clip((neb - 0.45) * 2, 0, 1) ** 1.5 * 0.5)[..., None] * _rgb(palette.nebula[0])
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
    rnd, _ = _rngs("fantasy", seed, salt=2)
    still = np.asarray(_fantasy_image(width, height, seed), dtype=np.uint8)
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
    lw, lh, scale = _pixel_size(width, height, 90)
    for index in range(count):
        canvas = _pixel_scene(lw, lh, seed, frame=index / fps)
        big = np.repeat(np.repeat(canvas, scale, axis=0), scale, axis=1)
        yield np.ascontiguousarray(big[:height, :width])


def _money_frames(width: int, height: int, seed: int, count: int, fps: int) -> Iterator[np.ndarray]:
    """Bars growing while gold coins tumble down and bounce."""
    rnd, _ = _rngs("money", seed, salt=2)
    palette = _MONEY_PALETTES[seed % len(_MONEY_PALETTES)]
    s = min(width, height)
    bg = palette.bg
    backdrop = _gradient(width, height, [(0.0, bg[0]), (0.55, bg[1]), (1.0, bg[2])])
    _glow(backdrop, width * 0.8, height * 0.15, s * 0.5, (255, 200, 90), 0.3)
    _vignette(backdrop, 0.3)
    base = _to_image(backdrop)
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
                sprites[key] = _spinning_coin(size, key[0] / 16, tilt)
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
    _theme_index(theme)
    width, height = size
    if width % 2 or height % 2 or width < 64 or height < 64:
        raise ValueError("Animations need even dimensions of at least 64 pixels.")
    if not 0.5 <= seconds <= 60 or not 1 <= fps <= 60:
        raise ValueError("Animations last 0.5 to 60 seconds at 1 to 60 frames a second.")
    count = round(seconds * fps)
    audio = _render_music(theme, seed, count / fps) * 0.8
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
                chunk = _audio_frame(audio[:, sent:until], "fltp")
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
