"""House conventions that a reviewer should not have to catch by eye (STYLE.md): public
services and selectors take keyword-only arguments, so every call names what it passes."""

import ast
from pathlib import Path

import pytest

import riffhouse

APPS = Path(riffhouse.__file__).parent
MODULES = sorted(
    path for name in ("services.py", "selectors.py") for path in APPS.glob(f"*/{name}")
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_public_services_and_selectors_take_keyword_only_arguments(path: Path) -> None:
    tree = ast.parse(path.read_text())
    positional = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and (node.args.posonlyargs or node.args.args or node.args.vararg)
    ]
    assert not positional, f"{path.parent.name}/{path.name}: make these keyword-only: {positional}"


def test_the_check_sees_every_app() -> None:
    apps = {path.parent.name for path in MODULES}
    assert {"accounts", "records", "lineage", "community"} <= apps
