"""Keyset page cursors: a place goes in and comes out the same; nothing else decodes."""

import base64
from datetime import UTC, datetime

import pytest

from riffhouse.core.cursors import cursor_decode, cursor_encode
from riffhouse.core.errors import ApplicationError


def test_a_place_comes_back_as_it_went_in() -> None:
    at = datetime(2026, 12, 7, 9, 5, 2, 123456, tzinfo=UTC)
    cursor = cursor_encode(at=at, pk=42)
    assert "=" not in cursor and "|" not in cursor  # fit a query string as they are
    assert cursor_decode(cursor=cursor) == (at, 42)


def _raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "été",
        _raw("nope"),
        _raw("2026-12-07T09:05:02|42"),  # a time without its zone
        _raw("2026-12-07T09:05:02+00:00|0"),
        _raw(f"2026-12-07T09:05:02+00:00|{2**63}"),
        _raw("2026-12-07T09:05:02+00:00|42|7"),
    ],
)
def test_anything_else_is_refused(cursor: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        cursor_decode(cursor=cursor)
    assert (refused.value.status, refused.value.code, refused.value.field) == (
        400,
        "invalid_cursor",
        "cursor",
    )
