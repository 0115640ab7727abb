"""Themes and the seeded random generators every medium shares."""

from __future__ import annotations

import random

import numpy as np

THEMES = ("space", "fantasy", "games", "money")

Colour = tuple[int, int, int]
FloatImage = np.ndarray  # height x width x 3, float32, 0..1


def theme_index(theme: str) -> int:
    if theme not in THEMES:
        raise ValueError(f"Unknown theme {theme!r}; expected one of {', '.join(THEMES)}.")
    return THEMES.index(theme)


def rngs(theme: str, seed: int, salt: int = 0) -> tuple[random.Random, np.random.Generator]:
    """Two generators that depend only on theme, seed and salt (never on hash randomisation)."""
    index = theme_index(theme)
    key = (seed % 2**61) * 16 + index * 4 + salt
    return random.Random(key), np.random.default_rng(key)
