"""Fragments kept in the cache (core.fragments, decision 0041): read once per `public`
generation, their data read only on a miss."""

from typing import Any

import pytest

from riffhouse.core import fragments
from riffhouse.core.page_cache import public_pages_changed

pytestmark = pytest.mark.django_db

TEMPLATES = ("core/_icon_music.html",)


def test_a_kept_fragment_reads_nothing_until_public_moves() -> None:
    calls: list[int] = []

    def context() -> dict[str, Any]:
        calls.append(1)
        return {"size": "48"}

    first = fragments.fragment("icon", 1, templates=TEMPLATES, context=context)
    again = fragments.fragment("icon", 1, templates=TEMPLATES, context=context)
    assert first == again and 'width="48"' in first
    assert len(calls) == 1
    fragments.fragment("icon", 2, templates=TEMPLATES, context=context)  # another object
    assert len(calls) == 2
    public_pages_changed()
    fragments.fragment("icon", 1, templates=TEMPLATES, context=context)
    assert len(calls) == 3


def test_the_key_follows_the_templates_source(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fragments.fragment_key("x", 1, templates=TEMPLATES) != fragments.fragment_key(
        "x", 1, templates=("records/_card.html",)
    )
    monkeypatch.setattr(fragments, "_digest_once", lambda *names: "remembered")
    assert fragments.templates_digest(*TEMPLATES) == "remembered"
    settings.DEBUG = True  # read each time, so an edited template shows while developing
    assert fragments.templates_digest(*TEMPLATES) == fragments._digest(*TEMPLATES)
    assert fragments.templates_digest(*TEMPLATES) != "remembered"
