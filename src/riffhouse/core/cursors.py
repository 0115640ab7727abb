"""Keyset page cursors: the place of the last row a page showed, a time and an id, opaque to
clients (URL-safe base64 of "iso-time|id"). The next page starts after that place, so rows
added or removed meanwhile never make a page repeat or skip one (an offset would).

Lists written before this module keep their own copies of the same codec (notifications,
comments, follows, submissions); new lists use this one.
"""

import base64
import binascii
from datetime import datetime

from riffhouse.core.errors import ApplicationError


def cursor_encode(*, at: datetime, pk: int) -> str:
    """The cursor of the place (`at`, `pk`): an aware time and a row id."""
    raw = f"{at.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(*, cursor: str) -> tuple[datetime, int]:
    """The place a cursor names; 400 `invalid_cursor` (field `cursor`) for anything that is
    not a cursor this module made: a time without its zone or an id outside any database's
    range is refused too, so no query sees a made-up value."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        at, number = datetime.fromisoformat(stamp), int(pk)
        if at.tzinfo is None or not 0 < number < 2**63:
            raise ValueError("out of range")
        return at, number
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc
