"""House conventions that a reviewer should not have to catch by eye (STYLE.md): public
services and selectors take keyword-only arguments, so every call names what it passes."""

import ast
from pathlib import Path

import pytest

import riffhouse

APPS = Path(riffhouse.__file__).parent
# An app's services and selectors, and those of the packages an app splits them into
# (productions/submissions/services.py).
MODULES = sorted(
    path
    for name in ("services.py", "selectors.py")
    for pattern in (f"*/{name}", f"*/*/{name}")
    for path in APPS.glob(pattern)
    if "tests" not in path.parts
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(APPS)))
def test_public_services_and_selectors_take_keyword_only_arguments(path: Path) -> None:
    tree = ast.parse(path.read_text())
    positional = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and (node.args.posonlyargs or node.args.args or node.args.vararg)
    ]
    assert not positional, f"{path.relative_to(APPS)}: make these keyword-only: {positional}"


def test_the_check_sees_every_app() -> None:
    apps = {path.relative_to(APPS).parts[0] for path in MODULES}
    assert {"accounts", "records", "lineage", "community", "productions"} <= apps
    packages = {str(path.relative_to(APPS).parent) for path in MODULES}
    assert {"productions/submissions", "productions/lineup"} <= packages


def test_one_music_icon() -> None:
    """Music is marked with one icon everywhere (templates/core/_icon_music.html; the remix
    tree's script draws the same path): no note characters, no second drawing of notes."""
    icon = (APPS / "templates/core/_icon_music.html").read_text()
    path = icon[icon.index('<path d="') + 9 :].split('"', 1)[0]
    sources = [
        p
        for folder in ("templates", "static/riffhouse")
        for p in (APPS / folder).rglob("*")
        if p.suffix in {".html", ".js", ".css", ".txt"}
    ]
    stray = [
        str(p.relative_to(APPS))
        for p in sources
        if any(glyph in p.read_text() for glyph in ("♪", "♫", "🎵", "🎶"))
        or ("M9 18V5l12-2v13" in p.read_text())
    ]
    assert not stray, f"use templates/core/_icon_music.html in: {stray}"
    assert path in (APPS / "static/riffhouse/js/lineage-tree.js").read_text()
