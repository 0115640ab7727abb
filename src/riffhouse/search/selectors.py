"""Reads of the search index: `search(...)`, the one query the page, the API and the
benchmark call (decision 0035). The user's text never reaches an engine as syntax: it is
cut into terms of letters, digits and marks (`query_terms`), which the engines quote.
"""

import base64
import binascii
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.core.models import RemixPolicy
from riffhouse.productions.models import Production, ProductionKind, ProductionStatus
from riffhouse.records.models import Kind, Licence, Record, Rendition
from riffhouse.records.selectors import Viewer, records_cover_art_attach
from riffhouse.search.backends import Query, backend
from riffhouse.search.models import EntryType

# The longest query read (longer text is cut), the most terms used, and the shortest last
# term matched as a prefix (a one- or two-letter prefix matches too much to rank well).
QUERY_MAX_CHARS = 200
MAX_TERMS = 12
PREFIX_MIN_CHARS = 3
# Pages of results reach this far; a search is for finding, not for reading everything.
MAX_OFFSET = 1000
MAX_LIMIT = 50

TYPES = {
    "records": EntryType.RECORD,
    "members": EntryType.MEMBER,
    "productions": EntryType.PRODUCTION,
}
RECORD_FILTERS = ("tag", "licence", "remix_policy")


@dataclass
class SearchPage:
    """One page of results of one `type`: `items` are records, members or productions with
    what their cards show; `next_cursor` reads the next page (None: no more)."""

    type: str
    q: str
    items: list[Any] = field(default_factory=list)
    next_cursor: str | None = None


def query_clean(*, q: str) -> str:
    """The text a person typed, made safe to show and to cut: control characters (NUL
    included) become spaces, runs of space one, at most `QUERY_MAX_CHARS` characters."""
    text = "".join(
        " " if unicodedata.category(ch)[0] == "C" else ch for ch in q[: QUERY_MAX_CHARS * 4]
    )
    return " ".join(text.split())[:QUERY_MAX_CHARS]


def query_terms(*, q: str) -> list[str]:
    """The terms searched for: runs of letters, digits and combining marks, lower-cased (the
    engines' tokenisers split on everything else too, so these are words they indexed).
    Quotes, `*`, `-`, `^`, `:`, parentheses, `NEAR(`, SQL — all separators, never syntax."""
    terms: list[str] = []
    current: list[str] = []
    for ch in query_clean(q=q).lower():
        if unicodedata.category(ch)[0] in "LNM":
            current.append(ch)
        elif current:
            terms.append("".join(current))
            current = []
    if current:
        terms.append("".join(current))
    return terms[:MAX_TERMS]


def _cursor_encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _cursor_decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("o"):
            raise ValueError(raw)
        offset = int(raw[1:])
        if not 0 <= offset <= MAX_OFFSET:
            raise ValueError(offset)
        return offset
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


def _choice(value: str | None, choices: Any, name: str, label: str) -> str | None:
    if not value:
        return None
    if value not in choices.values:
        raise ApplicationError(
            f"Unknown {label} “{value[:20]}”: use one of {', '.join(choices.values)}.",
            code=f"invalid_{name}",
            field=name,
        )
    return value


def search_validate(
    *,
    q: str,
    type: str = "records",
    kind: str | None = None,
    tag: str | None = None,
    licence: str | None = None,
    remix_policy: str | None = None,
) -> Query:
    """The search asked for, checked: an unknown type or filter value, or a filter that does
    not apply to the type, is a 400 with a message; an empty query too."""
    if type not in TYPES:
        raise ApplicationError(
            f"Search records, members or productions, not “{type[:20]}”.",
            code="invalid_type",
            field="type",
        )
    if not query_clean(q=q):
        raise ApplicationError("Type something to search for.", code="empty_query", field="q")
    entry_type = TYPES[type]
    if entry_type != EntryType.RECORD:
        filters = {"tag": tag, "licence": licence, "remix_policy": remix_policy}
        given = [name for name in RECORD_FILTERS if filters[name]]
        if entry_type == EntryType.MEMBER and kind:
            given.insert(0, "kind")
        if given:
            raise ApplicationError(
                f"Filter {type} by {'kind only' if type == 'productions' else 'text only'}: "
                f"{', '.join(given)} applies to records.",
                code="filter_not_applicable",
                field=given[0],
            )
    kind_choices = ProductionKind if entry_type == EntryType.PRODUCTION else Kind
    terms = query_terms(q=q)
    return Query(
        type=entry_type,
        terms=tuple(terms),
        prefix=bool(terms) and len(terms[-1]) >= PREFIX_MIN_CHARS,
        kind=_choice(kind, kind_choices, "kind", "kind"),
        licence=_choice(licence, Licence, "licence", "licence"),
        remix_policy=_choice(remix_policy, RemixPolicy, "remix_policy", "remix policy"),
        tag=(" ".join(tag.lower().split())[:40] or None) if tag else None,
    )


def _records(ids: list[int]) -> list[Record]:
    records = (
        Record.objects.listed()
        .filter(pk__in=ids)
        .select_related("author", "live_version", "cover")
        .prefetch_related(
            Prefetch("live_version__renditions", queryset=Rendition.objects.order_by("label"))
        )
    )
    items = list(records)
    records_cover_art_attach(records=items)
    return items


def _members(ids: list[int]) -> list[User]:
    return list(User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True))


def _productions(ids: list[int]) -> list[Production]:
    return list(
        Production.objects.filter(pk__in=ids)
        .exclude(status=ProductionStatus.DRAFT)
        .select_related("cover")
        .annotate(needs_count=Count("needs", distinct=True))
    )


LOADERS: dict[str, Callable[[list[int]], list[Any]]] = {
    EntryType.RECORD: _records,
    EntryType.MEMBER: _members,
    EntryType.PRODUCTION: _productions,
}


def search(
    *,
    viewer: Viewer,
    q: str,
    type: str = "records",
    kind: str | None = None,
    tag: str | None = None,
    licence: str | None = None,
    remix_policy: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> SearchPage:
    """Records, members or productions (`type`) matching `q`, best first, optionally
    filtered (kind for records and productions; tag, licence and remix policy for records).
    Only what anyone may find: listed records, active members, public productions — for
    every viewer alike, their own drafts included. A fixed number of queries: the match
    and one read (with its prefetches) of the page's items."""
    query = search_validate(
        q=q, type=type, kind=kind, tag=tag, licence=licence, remix_policy=remix_policy
    )
    page = SearchPage(type=type, q=query_clean(q=q))
    if not query.terms:
        return page  # only symbols or emoji: nothing a word index can match
    limit = max(1, min(limit, MAX_LIMIT))
    offset = _cursor_decode(cursor) if cursor else 0
    ids = backend().search(query, offset=offset, limit=limit + 1)
    if len(ids) > limit and offset + limit <= MAX_OFFSET:
        page.next_cursor = _cursor_encode(offset + limit)
    ids = ids[:limit]
    if ids:
        # The index follows every write; re-reading through the visibility rules keeps a
        # page right even in the moment a write's transaction has not reached it.
        found = {item.pk: item for item in LOADERS[query.type](ids)}
        page.items = [found[pk] for pk in ids if pk in found]
    return page
