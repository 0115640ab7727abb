"""Reads of the remix graph: a record's sources and remixes, its ancestors and descendants
(`WITH RECURSIVE`, the same SQL on SQLite and PostgreSQL), and its credits.

Every read costs a fixed number of queries, whatever the size of the graph: one recursive
query for the ids and depths, one for the records of the page, one for their thumbnails.
The ancestors walk reads runs of single-source remixes as chains (lineage.chains): one index
range per run, however long.
"""

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import OuterRef, Q, Subquery

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.lineage.rules import remix_needs_approval, remix_request_may_ask_again
from riffhouse.records.models import (
    Kind,
    Record,
    RecordVersion,
    RemixPolicy,
    Rendition,
    Visibility,
)
from riffhouse.records.selectors import record_can_view, record_version_for

Viewer = User | AnonymousUser

MAX_DEPTH = 100_000  # deeper than any real lineage; a guard, not a product limit
MAX_PICKED = 20  # as many sources as a record may have (lineage.rules.MAX_SOURCES)
DESCENDANTS_CAP = 5_000  # rows read for a multi-level descendants page
THUMBNAIL_LABELS = ("w320.webp", "w320.jpg", "w320.png", "poster.jpg")
# By the kind's value (a plain string, as the walk's rows carry it).
KIND_ROLES: dict[str, str] = {
    Kind.TEXT: "writing",
    Kind.IMAGE: "art",
    Kind.AUDIO: "music",
    Kind.VIDEO: "film",
}


def _table(model: type[SourceLink] | type[Record]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Ancestors over chains (lineage.chains). `seg` holds the stretches of chains the walk passes
# through: the chain's head, the position the walk enters at, and the depth there. A chain's
# records up to that position are ancestors (one index range, `anc`'s first half); its head's
# sources start further stretches (the recursion, and `anc`'s second half). A record in no
# chain is the head of its own, entered at position 0.
_ANCESTORS_CTE = """
WITH RECURSIVE seg(head, pos, base) AS (
    SELECT COALESCE(MAX(chain_head_id), %(id)s), COALESCE(MAX(chain_position), 0), 0
    FROM {links} WHERE record_id = %(id)s AND chain_head_id IS NOT NULL
    UNION
    SELECT COALESCE(up.chain_head_id, l.source_id), COALESCE(up.chain_position, 0),
           seg.base + seg.pos + 1
    FROM seg
    JOIN {links} l ON l.record_id = seg.head
    LEFT JOIN {links} up ON up.record_id = l.source_id AND up.chain_head_id IS NOT NULL
    WHERE seg.base + seg.pos < %(depth)s
),
anc(id, depth, via, usage) AS (
    SELECT l.source_id, seg.base + seg.pos - l.chain_position + 1, l.record_id, l.usage
    FROM seg JOIN {links} l ON l.chain_head_id = seg.head AND l.chain_position <= seg.pos
    WHERE seg.base + seg.pos - l.chain_position < %(depth)s
    UNION ALL
    SELECT l.source_id, seg.base + seg.pos + 1, l.record_id, l.usage
    FROM seg JOIN {links} l ON l.record_id = seg.head
    WHERE seg.base + seg.pos < %(depth)s
)
"""
# Columns in sorting order: Python sorts the rows as tuples, nearest first.
_ANCESTORS_SQL = _ANCESTORS_CTE + "SELECT depth, id, via, usage FROM anc"  # noqa: S608 - constants
_CREDITS_SQL = (
    _ANCESTORS_CTE
    + "SELECT anc.depth, anc.id, anc.usage, r.kind, r.author_id "
    + "FROM anc JOIN {records} r ON r.id = anc.id"
)

_DESCENDANTS_SQL = """
WITH RECURSIVE des(id, depth, via, usage) AS (
    SELECT record_id, 1, source_id, usage FROM {links} WHERE source_id = %s
    UNION
    SELECT l.record_id, des.depth + 1, l.source_id, l.usage
    FROM des JOIN {links} l ON l.source_id = des.id
    WHERE des.depth < %s
)
SELECT depth, id, via, usage FROM des
LIMIT %s
"""

_IS_ANCESTOR_SQL = """
WITH RECURSIVE anc(id) AS (
    SELECT source_id FROM {links} WHERE record_id = %s
    UNION
    SELECT l.source_id FROM anc JOIN {links} l ON l.record_id = anc.id
)
SELECT 1 FROM anc WHERE id = %s LIMIT 1
"""


@dataclass(slots=True)
class Reached:
    """A record reached from the centre: its smallest depth, the records one step closer to
    the centre through which it is reached at that depth, and what it was used for (on any
    path)."""

    id: int
    depth: int
    via: list[int] = field(default_factory=list)
    usages: list[str] = field(default_factory=list)


def _rows(sql: str, params: Sequence[int] | dict[str, int]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(links=_table(SourceLink), records=_table(Record)), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    rows.sort()  # (depth, id, ...): nearest first, deterministic
    return rows


def _walk(sql: str, params: Sequence[int] | dict[str, int]) -> list[Reached]:
    """Each record reached once, by smallest depth then id."""
    best: dict[int, Reached] = {}
    for depth, node_id, via, usage in _rows(sql, params):
        seen = best.get(node_id)
        if seen is None:  # the first row of a record is at its smallest depth
            best[node_id] = Reached(node_id, depth, [via], [usage] if usage else [])
            continue
        if depth == seen.depth and via not in seen.via:
            seen.via.append(via)
        if usage and usage not in seen.usages:
            seen.usages.append(usage)
    return list(best.values())


def record_ancestors(*, record_id: int, depth: int = MAX_DEPTH) -> list[Reached]:
    """Every record `record_id` is built on, nearest first (by depth, then id)."""
    return _walk(_ANCESTORS_SQL, {"id": record_id, "depth": max(1, depth)})


def record_descendants(*, record_id: int, depth: int = 1) -> tuple[list[Reached], bool]:
    """Records built on `record_id` up to `depth` levels down, nearest first, read up to
    DESCENDANTS_CAP rows; the flag says whether the cap cut the walk short."""
    reached = _walk(_DESCENDANTS_SQL, [record_id, max(1, depth), DESCENDANTS_CAP + 1])
    rows = sorted(reached, key=lambda r: (r.depth, -r.id))
    return rows, len(rows) > DESCENDANTS_CAP


def record_is_ancestor(*, candidate_id: int, of: int) -> bool:
    """Whether `candidate_id` is `of` itself or among its ancestors (the cycle check)."""
    if candidate_id == of:
        return True
    with connection.cursor() as cursor:
        cursor.execute(_IS_ANCESTOR_SQL.format(links=_table(SourceLink)), [of, candidate_id])
        return cursor.fetchone() is not None


# Records as nodes ---------------------------------------------------------------------------
def _is_author(viewer: Viewer, record: Record) -> bool:
    return viewer.is_authenticated and record.author_id == viewer.pk


def node_is_visible(*, viewer: Viewer, record: Record) -> bool:
    """Whether a node shows its title and thumbnail. Tombstones show as "removed by its
    author"; a record that is no longer public shows as unavailable (the link stays)."""
    return record.deleted_at is None and (record.is_public or _is_author(viewer, record))


def _records(ids: Iterable[int]) -> dict[int, Record]:
    return {
        r.pk: r
        for r in Record.objects.filter(pk__in=list(ids)).select_related("author", "live_version")
    }


def record_thumbnails(*, records: Iterable[Record]) -> dict[int, Rendition]:
    """A small picture for each record that has one (art, film posters): one query."""
    by_version = {r.live_version_id: r.pk for r in records if r.live_version_id}
    found: dict[int, Rendition] = {}
    for rendition in Rendition.objects.filter(
        version_id__in=list(by_version), label__in=THUMBNAIL_LABELS
    ).select_related("version"):
        record_id = by_version[rendition.version_id]
        current = found.get(record_id)
        if current is None or THUMBNAIL_LABELS.index(rendition.label) < THUMBNAIL_LABELS.index(
            current.label
        ):
            found[record_id] = rendition
    return found


@dataclass(frozen=True)
class Node:
    record: Record
    visible: bool
    thumbnail: Rendition | None
    depth: int = 0
    via: tuple[int, ...] = ()
    usages: tuple[str, ...] = ()


def _nodes(viewer: Viewer, reached: Sequence[Reached], *, hide_drafts: bool) -> list[Node]:
    records = _records(r.id for r in reached)
    thumbs = record_thumbnails(
        records=(r for r in records.values() if node_is_visible(viewer=viewer, record=r))
    )
    nodes = []
    for r in reached:
        record = records.get(r.id)
        if record is None:
            continue
        visible = node_is_visible(viewer=viewer, record=record)
        if hide_drafts and not visible and record.deleted_at is None:
            continue  # someone else's remix in progress: not theirs to see
        if hide_drafts and record.deleted_at is not None and record.published_at is None:
            continue  # a draft deleted before it was ever shown
        nodes.append(
            Node(
                record=record,
                visible=visible,
                thumbnail=thumbs.get(record.pk) if visible else None,
                depth=r.depth,
                via=tuple(r.via),
                usages=tuple(r.usages),
            )
        )
    return nodes


def nodes_get(*, viewer: Viewer, records: Iterable[Record]) -> dict[int, Node]:
    """Records as nodes, by id, with their thumbnails in one query."""
    records = list(records)
    thumbs = record_thumbnails(
        records=(r for r in records if node_is_visible(viewer=viewer, record=r))
    )
    return {
        r.pk: Node(
            record=r, visible=node_is_visible(viewer=viewer, record=r), thumbnail=thumbs.get(r.pk)
        )
        for r in records
    }


def node_get(*, viewer: Viewer, record: Record) -> Node:
    return nodes_get(viewer=viewer, records=[record])[record.pk]


# The source picker ---------------------------------------------------------------------------
SOURCE_SEARCH_LIMIT = 8
_RECORD_ADDRESS = re.compile(r"^(?:\S*/records/)?(\d+)/?(?:[?#]\S*)?$")


@dataclass(frozen=True)
class SourceCandidate:
    """A record the remix form may offer as a source: whether the viewer may choose it (else
    why not) and whether its author approves each remix first."""

    record: Record
    thumbnail: Rendition | None
    available: bool
    reason: str = ""
    asks: bool = False


def _sources_visible(viewer: Viewer) -> Q:
    """What `lineage.rules.sources_resolve` lets a member name: public records, and their own
    that are not deleted and have a processed version (drafts included)."""
    shown = Q(
        visibility=Visibility.PUBLISHED,
        published_at__isnull=False,
        deleted_at__isnull=True,
        live_version__isnull=False,
    )
    if viewer.is_authenticated:
        shown |= Q(author_id=viewer.pk, deleted_at__isnull=True, live_version__isnull=False)
    return shown


def _candidates(viewer: Viewer, records: list[Record]) -> list[SourceCandidate]:
    thumbs = record_thumbnails(records=records)
    found = []
    for record in records:
        own = _is_author(viewer, record)
        closed = record.remix_policy == RemixPolicy.CLOSED and not own
        found.append(
            SourceCandidate(
                record=record,
                thumbnail=thumbs.get(record.pk),
                available=not closed,
                reason="Closed to remixes: its author keeps it as it is." if closed else "",
                asks=not closed
                and remix_needs_approval(
                    source=record, remixer_id=viewer.pk if viewer.is_authenticated else None
                ),
            )
        )
    return found


def source_candidates(
    *,
    viewer: Viewer,
    query: str,
    exclude_ids: Iterable[int] = (),
    limit: int = SOURCE_SEARCH_LIMIT,
) -> list[SourceCandidate]:
    """Records the viewer could build on whose title or author's name contains `query` (or
    whose number or address it is), newest first (by id), at most `limit`: two queries (the records
    with their authors, then their thumbnails). Records closed to remixes come back marked
    unavailable, with the reason; records the viewer may not see never come back.

    The title match is a `LIKE` walk of the newest records, stopped at `limit` matches; the
    search app's full-text index is the way to go past that when it lands."""
    query = " ".join(query.split())[:100]
    if not query:
        return []
    limit = max(1, min(limit, 20))
    records = Record.objects.filter(_sources_visible(viewer)).exclude(pk__in=list(exclude_ids))
    text = (
        Q(title__icontains=query)
        | Q(author__username__icontains=query)
        | Q(author__display_name__icontains=query)
    )
    address = _RECORD_ADDRESS.match(query)
    if address is not None and len(address.group(1)) < 10:
        number = Q(pk=int(address.group(1)))
        # A bare number may be in a title too ("1999"); an address is only an address.
        records = records.filter(number | text if query.isdigit() else number)
    else:
        records = records.filter(text)
    found = list(records.select_related("author", "live_version").order_by("-pk")[:limit])
    return _candidates(viewer, found)


def source_candidates_get(
    *, viewer: Viewer, record_ids: Iterable[int]
) -> dict[int, SourceCandidate]:
    """The chosen sources as the picker shows them, by id, in two queries; ids the viewer may
    not name are left out (the form's check on saving says why)."""
    ids = list(dict.fromkeys(record_ids))[:MAX_PICKED]
    if not ids:
        return {}
    records = list(
        Record.objects.filter(_sources_visible(viewer), pk__in=ids).select_related(
            "author", "live_version"
        )
    )
    return {c.record.pk: c for c in _candidates(viewer, records)}


# Pages --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineagePage:
    direction: str
    items: list[Node]
    next_cursor: str | None
    total: int | None
    truncated: bool = False


def _encode(depth: int, record_id: int) -> str:
    return base64.urlsafe_b64encode(f"{depth}:{record_id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        depth, record_id = raw.split(":")
        return int(depth), int(record_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


def lineage_page(
    *,
    viewer: Viewer,
    record: Record,
    direction: str = "ancestors",
    depth: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> LineagePage:
    """One page of a record's ancestors (nearest first) or descendants (nearest, then
    newest first). Descendants one level down page with an index; deeper walks read at most
    DESCENDANTS_CAP records."""
    if direction not in {"ancestors", "descendants"}:
        raise ApplicationError(
            "Direction is “ancestors” or “descendants”.",
            code="invalid_direction",
            field="direction",
        )
    limit = max(1, min(limit, 200))
    after = _decode(cursor) if cursor else None
    if direction == "descendants" and (depth or 1) == 1:
        return _remixes_page(viewer=viewer, record=record, after=after, limit=limit)
    sign = 1 if direction == "ancestors" else -1  # ancestors by id, descendants newest first
    if direction == "ancestors":
        reached = record_ancestors(record_id=record.pk, depth=depth or MAX_DEPTH)
        truncated = False
    else:
        reached, truncated = record_descendants(record_id=record.pk, depth=min(depth or 1, 50))
    total = len(reached)
    if after is not None:
        mark = (after[0], sign * after[1])
        reached = [r for r in reached if (r.depth, sign * r.id) > mark]
    page = reached[: limit + 1]
    more = len(page) > limit
    page = page[:limit]
    nodes = _nodes(viewer, page, hide_drafts=direction == "descendants")
    next_cursor = _encode(page[-1].depth, page[-1].id) if more and page else None
    return LineagePage(direction, nodes, next_cursor, total, truncated)


def _remixes_filter(viewer: Viewer) -> Q:
    """The remixes the viewer may see, checked per link by primary key (a scalar subquery).
    As a join, PostgreSQL may plan a merge join that walks the whole records table backwards
    before it finds the first remix of an old record (0.5-0.9 s at a million records)."""
    shown = Q(visibility=Visibility.PUBLISHED, published_at__isnull=False)
    if viewer.is_authenticated:
        shown |= Q(author_id=viewer.pk)
    visible = Record.objects.filter(shown, pk=OuterRef("record_id")).values("pk")[:1]
    return Q(record_id=Subquery(visible))


def _remixes_page(
    *, viewer: Viewer, record: Record, after: tuple[int, int] | None, limit: int
) -> LineagePage:
    links = SourceLink.objects.filter(source=record).filter(_remixes_filter(viewer))
    if after is not None:
        links = links.filter(record_id__lt=after[1])
    rows = list(links.order_by("-record_id").values_list("record_id", "usage")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    reached = [Reached(rid, 1, [record.pk], [usage] if usage else []) for rid, usage in rows]
    nodes = _nodes(viewer, reached, hide_drafts=True)
    next_cursor = _encode(1, rows[-1][0]) if more and rows else None
    return LineagePage("descendants", nodes, next_cursor, record.remix_count)


# The record page ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceRow:
    link: SourceLink
    visible: bool
    thumbnail: Rendition | None
    newer: RecordVersion | None  # the source's newer live version, if it has one
    # For the record's author: "pending" or "declined" when this source's author was asked
    # and has not approved — the source stays (decision 0017), so no form offers removing it.
    held: str = ""


def record_sources(*, viewer: Viewer, record: Record) -> list[SourceRow]:
    """ "Built on": the direct sources, each at the version used, with whether a newer version
    exists. Two queries; for the record's author a third says which sources are held by a
    request (`SourceRow.held`)."""
    links = list(
        SourceLink.objects.filter(record=record).select_related(
            "source__author", "source__live_version", "source_version"
        )
    )
    thumbs = record_thumbnails(
        records=(
            link.source for link in links if node_is_visible(viewer=viewer, record=link.source)
        )
    )
    held: dict[int, str] = {}
    if links and _is_author(viewer, record):
        held = dict(
            RemixRequest.objects.filter(
                remix_id=record.pk,
                status__in=[RemixRequest.Status.PENDING, RemixRequest.Status.DECLINED],
            ).values_list("source_id", "status")
        )
    rows = []
    for link in links:
        live = link.source.live_version
        newer = live if live is not None and live.number > link.source_version.number else None
        visible = node_is_visible(viewer=viewer, record=link.source)
        rows.append(
            SourceRow(
                link,
                visible,
                thumbs.get(link.source_id) if visible else None,
                newer,
                held.get(link.source_id, ""),
            )
        )
    return rows


def record_page_personal(*, viewer: User, record_id: int) -> bool:
    """Whether a record of `viewer`'s is among `record_id`'s direct sources or remixes: the
    lineage panel then shows them their own (drafts, hidden ones) where others see them not,
    or see them as no longer public, so the page is theirs alone (records' `page_personal`
    grant). Two EXISTS, each led by an index (a popular record's thousands of remixes are not
    joined one by one). Asked on every member's visit to a record page kept for members
    (decision 0042), so in SQL written once: building the ORM's two EXISTS cost more than
    the page's other work."""
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_PERSONAL_SQL, [record_id, viewer.pk, viewer.pk, record_id])
        return cursor.fetchone() is not None


_PAGE_PERSONAL_SQL = f"""
    SELECT 1 WHERE EXISTS (
        SELECT 1 FROM {SourceLink._meta.db_table} lk
          JOIN {Record._meta.db_table} src ON src.id = lk.source_id
         WHERE lk.record_id = %s AND src.author_id = %s
    ) OR EXISTS (
        SELECT 1 FROM {Record._meta.db_table} rmx
          JOIN {SourceLink._meta.db_table} lk ON lk.record_id = rmx.id
         WHERE rmx.author_id = %s AND lk.source_id = %s
    )
"""  # noqa: S608 -- table names from the models, values as parameters


def record_remixes(
    *, viewer: Viewer, record: Record, cursor: str | None = None, limit: int = 12
) -> LineagePage:
    """ "Built upon by": direct remixes, newest first."""
    return _remixes_page(
        viewer=viewer, record=record, after=_decode(cursor) if cursor else None, limit=limit
    )


def record_pending_requests(*, viewer: Viewer, record: Record) -> list[RemixRequest]:
    """For a remix's author: the requests their remix is waiting on (or was declined by)."""
    if not _is_author(viewer, record):
        return []
    return list(
        RemixRequest.objects.filter(remix=record)
        .exclude(status=RemixRequest.Status.WITHDRAWN)
        .select_related("source", "owner", "requester")
        .order_by("pk")
    )


# Credits ------------------------------------------------------------------------------------
@dataclass
class Credit:
    """One contributor: the member (None for a record whose author row is gone), how close
    their nearest work is (0: the record's own author), what they contributed, and to how many
    works in the ancestry."""

    author: User | None
    closeness: int
    roles: list[str]
    works: int


MAX_ROLES = 6
# What a credit line shows of a member (name, link, avatar): not the password hash, bio, ...
CREDIT_USER_FIELDS = (
    "id",
    "username",
    "display_name",
    "deleted_at",
    "avatar",
    "avatar_small",
    "avatar_medium",
)


def record_credits(*, record: Record) -> list[Credit]:
    """Everyone whose work this record stands on, once each, nearest first; the record's own
    author leads. Roles come from the usage notes of the links ("melody") or else the kind of
    work ("music"). Tombstones keep their credit; a member who left is a former member."""
    # One pass over the walk's rows (a row per link reached; a 10,000-deep lineage has
    # 10,000): each record's smallest depth and its usage notes on any path, then one pass
    # over the records, nearest first, adding each to its author's credit.
    works: dict[int, list[Any]] = {}
    for depth, node_id, usage, kind, author_id in _rows(
        _CREDITS_SQL, {"id": record.pk, "depth": MAX_DEPTH}
    ):
        seen = works.get(node_id)
        if seen is None:
            works[node_id] = seen = [depth, [], kind, author_id]
        if usage and usage not in seen[1]:
            seen[1].append(usage)
    by_author: dict[int | None, Credit] = {
        record.author_id: Credit(None, 0, [KIND_ROLES[record.kind]], 1)
    }
    for depth, usages, kind, author_id in works.values():
        credit = by_author.get(author_id)
        if credit is None:
            credit = by_author[author_id] = Credit(None, depth, [], 0)
        credit.works += 1
        roles = credit.roles
        for role in usages or (KIND_ROLES[kind],):
            if len(roles) < MAX_ROLES and role not in roles:
                roles.append(role)
    users = User.objects.only(*CREDIT_USER_FIELDS).in_bulk([a for a in by_author if a is not None])
    credits = list(by_author.values())
    for author_id, credit in by_author.items():
        credit.author = users.get(author_id) if author_id is not None else None
    credits.sort(key=lambda c: (c.closeness, -c.works))
    return credits


def remix_request_list(
    *, viewer: User, incoming: bool, status: str | None = None
) -> list[RemixRequest]:
    """Remix requests a member received (as a source's author) or sent; newest first."""
    requests = RemixRequest.objects.filter(
        **({"owner": viewer} if incoming else {"requester": viewer})
    ).filter(remix__deleted_at__isnull=True)
    if status:
        if status not in RemixRequest.Status.values:
            raise ApplicationError(
                f"Unknown status “{status[:20]}”.", code="invalid_status", field="status"
            )
        requests = requests.filter(status=status)
    return list(
        requests.select_related(
            "remix__author",
            "remix__live_version",
            "remix__current_version",
            "source__author",
            "requester",
            "owner",
        ).order_by("-created_at", "-pk")[:200]
    )


# A remix in view: what the source's author decides on -------------------------------------
def remix_draft_visible_to(*, viewer: User, record: Record) -> bool:
    """Records' `may_view` grant: the author of a source this draft asks to use sees it (its
    page, its files) while the request is open — consent with the remix in view. Once they
    answer it is the remix's author's again (or public, when approved). Records asks only
    for a draft and a viewer who is not its author: one query, in that rare case."""
    return RemixRequest.objects.filter(
        remix_id=record.pk, owner_id=viewer.pk, status=RemixRequest.Status.PENDING
    ).exists()


@dataclass(frozen=True)
class RequestPage:
    """One remix request as its page shows it: the request with its remix and source, the
    link (what was used, at which version), and — when the viewer may see it now — the
    remix's version and its files."""

    request: RemixRequest
    link: SourceLink | None
    version: RecordVersion | None
    renditions: dict[str, Rendition]
    source_visible: bool
    source_thumbnail: Rendition | None
    is_owner: bool

    @property
    def image_sources(self) -> list[Rendition]:
        """An image remix's WebP sizes, smallest first (a `srcset`)."""
        return sorted(
            (r for r in self.renditions.values() if r.label.endswith(".webp")),
            key=lambda r: r.width or 0,
        )

    @property
    def image_fallback(self) -> Rendition | None:
        """The largest JPEG or PNG size, for browsers without WebP."""
        sizes = [
            r
            for r in self.renditions.values()
            if r.label.startswith("w") and not r.label.endswith(".webp")
        ]
        return max(sizes, key=lambda r: r.width or 0, default=None)

    @property
    def may_decide(self) -> bool:
        return self.is_owner and self.request.status == RemixRequest.Status.PENDING

    @property
    def may_ask_again(self) -> bool:
        return not self.is_owner and remix_request_may_ask_again(remix_request=self.request)


def remix_request_get(*, viewer: Viewer, request_id: int) -> RequestPage:
    """A remix request for its page, if `viewer` is the source's author or the remixer
    (anyone else: NotFound). The remix's content comes with it when the viewer may see it:
    its author always, the source's author while the request is open (records'
    `may_view`, granted by `remix_draft_visible_to`) or once the remix is public."""
    if not viewer.is_authenticated:
        raise NotFound("There is no such remix request.", code="request_not_found")
    request = (
        RemixRequest.objects.select_related(
            "remix__author",
            "remix__live_version",
            "remix__current_version",
            "source__author",
            "source__live_version",
            "requester",
            "owner",
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None or viewer.pk not in {request.owner_id, request.requester_id}:
        raise NotFound("There is no such remix request.", code="request_not_found")
    remix = request.remix
    link = (
        SourceLink.objects.filter(record_id=remix.pk, source_id=request.source_id)
        .select_related("source_version")
        .first()
    )
    version = None
    renditions: dict[str, Rendition] = {}
    if remix.deleted_at is None and record_can_view(viewer=viewer, record=remix):
        version = record_version_for(viewer=viewer, record=remix)
        if version is not None:
            renditions = {r.label: r for r in version.renditions.all()}
    source = request.source
    source_visible = node_is_visible(viewer=viewer, record=source)
    thumbnail = record_thumbnails(records=[source]).get(source.pk) if source_visible else None
    return RequestPage(
        request=request,
        link=link,
        version=version,
        renditions=renditions,
        source_visible=source_visible,
        source_thumbnail=thumbnail,
        is_owner=request.owner_id == viewer.pk,
    )


@dataclass(frozen=True)
class RequestPreview:
    """What a notification shows of a remix waiting for its source author's answer: a
    picture (art, a film's poster), an excerpt (writing), or the file to play (music), and
    what was used."""

    thumbnail: Rendition | None
    excerpt: str
    audio: bool
    usage: str


def remix_request_previews(*, requests: Sequence[RemixRequest]) -> dict[int, RequestPreview]:
    """Previews of the remixes of these open requests, by request id: two queries however
    many (thumbnails, usage notes). The caller loads each request's `remix__live_version`
    and passes only requests whose reader is the source's author."""
    pending = [
        r
        for r in requests
        if r.status == RemixRequest.Status.PENDING and r.remix.deleted_at is None
    ]
    if not pending:
        return {}
    thumbnails = record_thumbnails(records=[r.remix for r in pending])
    usages = {
        (record_id, source_id): usage
        for record_id, source_id, usage in SourceLink.objects.filter(
            record_id__in=[r.remix_id for r in pending]
        ).values_list("record_id", "source_id", "usage")
    }
    previews = {}
    for r in pending:
        version = r.remix.live_version
        metadata = (
            version.metadata if version is not None and isinstance(version.metadata, dict) else {}
        )
        previews[r.pk] = RequestPreview(
            thumbnail=thumbnails.get(r.remix_id),
            excerpt=str(metadata.get("excerpt", "")) if r.remix.kind == Kind.TEXT else "",
            audio=r.remix.kind == Kind.AUDIO and version is not None,
            usage=usages.get((r.remix_id, r.source_id), ""),
        )
    return previews


def records_source_art(*, record_ids: Sequence[int]) -> dict[int, Record]:
    """Each record's first public image source (by position), with its live version: what a
    track without its own cover shows (records' `hooks.source_art`). One query."""
    found: dict[int, Record] = {}
    links = (
        SourceLink.objects.filter(
            record_id__in=list(record_ids),
            source__kind=Kind.IMAGE,
            source__visibility=Visibility.PUBLISHED,
            source__deleted_at__isnull=True,
            source__live_version__isnull=False,
        )
        .select_related("source__live_version")
        .order_by("record_id", "position", "pk")
    )
    for link in links:
        found.setdefault(link.record_id, link.source)
    return found
