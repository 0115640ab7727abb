"""Every CSS custom property the stylesheets and templates read is defined — in the light
palette and the dark one alike, since both come from app.css — or set by a script. An
undefined one falls back to its literal, which is a light colour in a dark page (a pinned
comment once was cream on cream)."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
USED = re.compile(r"var\(\s*(--[a-z0-9-]+)")
DEFINED = re.compile(r"(--[a-z0-9-]+)\s*:")
SET_BY_SCRIPT = re.compile(r"""setProperty\(\s*["'](--[a-z0-9-]+)""")


def _read(pattern: str) -> str:
    return "\n".join(path.read_text() for path in sorted(SRC.glob(pattern)))


def test_every_css_variable_read_is_defined() -> None:
    styles = _read("static/riffhouse/css/*.css") + _read("templates/**/*.html")
    scripts = _read("static/riffhouse/js/*.js")
    defined = set(DEFINED.findall(styles)) | set(SET_BY_SCRIPT.findall(scripts))
    undefined = sorted(set(USED.findall(styles)) - defined)
    assert undefined == []
