"""The text rules of core/text.py: what no request may carry, what no name may hold."""

import pytest

from riffhouse.core.errors import ApplicationError
from riffhouse.core.text import JSON_MAX_DEPTH, json_problem, name_check, text_problem


@pytest.mark.parametrize(
    "text", ["plain", "tab\tand\nlines\r\n", "émoji 🎶", "فارسی", "\u202eis text, not a name"]
)
def test_text_that_any_field_may_hold(text: str) -> None:
    assert text_problem(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a\x00b", "U+0000"),
        ("bell\x07", "U+0007"),
        ("del\x7f", "U+007F"),
        ("c1\x85", "U+0085"),
        ("half \ud800", "surrogate"),
        ("bad \ufffd utf-8", "UTF-8"),
    ],
)
def test_text_no_field_may_hold(text: str, reason: str) -> None:
    problem = text_problem(text)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "name",
    [
        "Orion Vale",
        "می‌خواهم",  # Persian: ZWNJ between letters is spelling
        "👩‍🎤 singer",  # ZWJ inside an emoji
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Alba",  # flag
        "Zoë — Ōsaka",
    ],
)
def test_names_that_may_be_used(name: str) -> None:
    assert name_check(name, field="title", what="The title") == name


@pytest.mark.parametrize(
    "name",
    [
        "evil\u202egnp.exe",  # right-to-left override
        "a\u2066b\u2069",  # isolates
        "\u200fmark",
        "or\u200bion",  # zero-width space
        "or\u200dion",  # a joiner between ASCII letters only hides
        "\u200c",
        "word\u2060joiner",
        "\ufeffbom",
        "tag\U000e0041smuggled",
        "two\nlines",
        "tab\there",
        "line\u2028sep",
        "nul\x00",
    ],
)
def test_names_that_are_refused(name: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        name_check(name, field="title", what="The title")
    assert refused.value.code == "invalid_characters"
    assert refused.value.field == "title"


def test_json_problem_walks_keys_values_and_depth() -> None:
    assert json_problem({"a": ["b", {"c": 1}], "d": None}) is None
    assert json_problem({"a": [{"x\x00": 1}]}) == (
        "holds a control character (U+0000)",
        "invalid_characters",
    )
    assert json_problem([[["\ud83d"]]])[1] == "invalid_characters"  # type: ignore[index]
    deepest_allowed: list = []
    for _ in range(JSON_MAX_DEPTH - 1):
        deepest_allowed = [deepest_allowed]  # JSON_MAX_DEPTH lists inside each other
    assert json_problem(deepest_allowed) is None
    assert json_problem({"a": deepest_allowed})[1] == "too_deep"  # type: ignore[index]
