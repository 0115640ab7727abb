"""`{% lineage_panel record %}`: "built on", "built upon by", the credit line and the Remix
button, for the record page (records' templates load it; records' code never imports
lineage). A fixed number of queries, however large the graph."""

from typing import Any

from django import template

from riffhouse.lineage import selectors
from riffhouse.lineage.rules import remix_needs_approval
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
        "waiting": selectors.record_pending_requests(viewer=viewer, record=record),
    }


@register.filter
def timecode(milliseconds: int | None) -> str:
    """12500 → "0:12.5"; None → "" (the start or end of the source)."""
    if milliseconds is None:
        return ""
    minutes, ms = divmod(int(milliseconds), 60_000)
    seconds = ms / 1000
    text = f"{seconds:04.1f}".rstrip("0").rstrip(".")
    return f"{minutes}:{text.zfill(2) if seconds < 10 else text}"
