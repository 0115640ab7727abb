"""`{% lineage_panel record %}`: "built on", "built upon by", the credit line and the Remix
button, and `{% remix_request_notices record %}`: what became of a remix's requests, for the
record page (records' templates load it; records' code never imports
lineage). A fixed number of queries, however large the graph."""

from typing import Any

from django import template

from riffhouse.lineage import selectors
from riffhouse.lineage.rules import MAX_ASKS, remix_needs_approval
from riffhouse.records.models import Record, RemixPolicy

register = template.Library()

PANEL_REMIXES = 6
PANEL_CREDITS = 8


@register.inclusion_tag("lineage/_panel.html", takes_context=True)
def lineage_panel(context: dict[str, Any], record: Record) -> dict[str, Any]:
    request = context["request"]
    viewer = request.user
    own = viewer.is_authenticated and viewer.pk == record.author_id
    credits = selectors.record_credits(record=record)
    remixes = selectors.record_remixes(viewer=viewer, record=record, limit=PANEL_REMIXES)
    can_remix = (
        record.deleted_at is None
        and (record.is_public or own)
        and (record.remix_policy != RemixPolicy.CLOSED or own)
    )
    asks = remix_needs_approval(source=record, remixer_id=viewer.pk)
    return {
        "request": request,
        "record": record,
        "own": own,
        "sources": selectors.record_sources(viewer=viewer, record=record),
        "remixes": remixes,
        "credits": credits[:PANEL_CREDITS],
        "more_credits": max(0, len(credits) - PANEL_CREDITS),
        "contributors": len(credits),
        "can_remix": can_remix,
        "asks": asks,
    }


@register.inclusion_tag("lineage/_request_notices.html", takes_context=True)
def remix_request_notices(context: dict[str, Any], record: Record) -> dict[str, Any]:
    """`{% remix_request_notices record %}`: for a remix's author, what each source's author
    answered (or that they have not yet), at the top of the record page. One query, none
    for anyone else."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "record": record,
        "waiting": selectors.record_pending_requests(viewer=request.user, record=record),
        "max_asks": MAX_ASKS,
    }


# A sentence that ends on a quoted title or note takes no second full stop: “Why?” not
# “Why?”. (closing quotes and brackets are looked through).
_TERMINAL = ".?!…"
_CLOSING = "”’\"')]»"


@register.filter
def period(text: object) -> str:
    """ "." to end a sentence after `text`, or "" when `text` ends one already:
    `“{{ title }}”{{ title|period }}`."""
    stripped = str(text or "").rstrip().rstrip(_CLOSING)
    return "" if stripped.endswith(tuple(_TERMINAL)) else "."


@register.filter
def timecode(milliseconds: int | None) -> str:
    """12500 → "0:12.5"; None → "" (the start or end of the source)."""
    if milliseconds is None:
        return ""
    minutes, ms = divmod(int(milliseconds), 60_000)
    seconds = ms / 1000
    text = f"{seconds:04.1f}".rstrip("0").rstrip(".")
    return f"{minutes}:{text.zfill(2) if seconds < 10 else text}"
