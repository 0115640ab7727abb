"""`{% lineage_panel record %}`: "built on", "built upon by", the credit line and the Remix
button, and `{% remix_request_notices record %}`: what became of a remix's requests, for the
record page (records' templates load it; records' code never imports
lineage). A fixed number of queries, however large the graph."""

from typing import Any

from django import template

from riffhouse.core import fragments
from riffhouse.lineage import selectors
from riffhouse.lineage.rules import MAX_ASKS, remix_needs_approval
from riffhouse.records.models import Record, RemixPolicy

register = template.Library()

PANEL_REMIXES = 6
PANEL_CREDITS = 8


# The fragments of the panel that are the same for every viewer (decision 0041), with the
# templates they include (their sources are part of the keys).
CREDITS_TEMPLATES = ("lineage/_panel_credits.html",)
COLUMNS_TEMPLATES = (
    "lineage/_panel_columns.html",
    "lineage/_node.html",
    "core/_icon_music.html",
)


@register.inclusion_tag("lineage/_panel.html", takes_context=True)
def lineage_panel(context: dict[str, Any], record: Record) -> dict[str, Any]:
    """The credit line is the same for everyone: a cached fragment. So are "built on" and
    "built upon by", except for the record's author (the "Edit sources" button, their drafts)
    and for a member with a record of their own among its sources or remixes (they see it
    even when others may not): those two get theirs rendered; everyone else, the cached
    fragment — one query to tell them apart for a logged-in viewer, none when logged out."""
    request = context["request"]
    viewer = request.user
    own = viewer.is_authenticated and viewer.pk == record.author_id
    can_remix = (
        record.deleted_at is None
        and (record.is_public or own)
        and (record.remix_policy != RemixPolicy.CLOSED or own)
    )

    def credits_context() -> dict[str, Any]:
        credits = selectors.record_credits(record=record)
        return {
            "record": record,
            "credits": credits[:PANEL_CREDITS],
            "more_credits": max(0, len(credits) - PANEL_CREDITS),
            "contributors": len(credits),
        }

    def columns_context() -> dict[str, Any]:
        return {
            "record": record,
            "own": own,
            "can_remix": can_remix,
            "sources": selectors.record_sources(viewer=viewer, record=record),
            "remixes": selectors.record_remixes(viewer=viewer, record=record, limit=PANEL_REMIXES),
        }

    if own or (
        viewer.is_authenticated
        and selectors.record_page_personal(viewer=viewer, record_id=record.pk)
    ):
        columns = fragments.fragment_render(COLUMNS_TEMPLATES[0], columns_context())
    else:
        columns = fragments.fragment(
            "lineage-columns",
            record.pk,
            int(can_remix),
            templates=COLUMNS_TEMPLATES,
            context=columns_context,
        )
    return {
        "request": request,
        "record": record,
        "own": own,
        "can_remix": can_remix,
        "asks": remix_needs_approval(source=record, remixer_id=viewer.pk),
        "credits_html": fragments.fragment(
            "lineage-credits", record.pk, templates=CREDITS_TEMPLATES, context=credits_context
        ),
        "columns_html": columns,
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
