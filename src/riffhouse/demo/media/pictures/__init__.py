"""Demo pictures, one painter per theme, as PNG bytes."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from riffhouse.demo.media.common import theme_index
from riffhouse.demo.media.pictures.drawing import png
from riffhouse.demo.media.pictures.fantasy import fantasy_image
from riffhouse.demo.media.pictures.games import games_image
from riffhouse.demo.media.pictures.money import money_image
from riffhouse.demo.media.pictures.space import space_image

_PAINTERS: dict[str, Callable[[int, int, int], Image.Image]] = {
    "space": space_image,
    "fantasy": fantasy_image,
    "games": games_image,
    "money": money_image,
}


def image(*, theme: str, seed: int, width: int = 1600, height: int = 1000) -> Image.Image:
    """An illustrative picture for a theme (RGB), to draw on before encoding."""
    theme_index(theme)
    if width < 64 or height < 64:
        raise ValueError("Pictures need at least 64 x 64 pixels.")
    return _PAINTERS[theme](width, height, seed)


def image_png(*, theme: str, seed: int, width: int = 1600, height: int = 1000) -> bytes:
    """An illustrative picture for a theme, as PNG bytes."""
    return png(image(theme=theme, seed=seed, width=width, height=height))


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
