"""Reads of community data: a member's own notifications, and what the home page shows
(the community's work and a member's own start, read through records' and lineage's
selectors)."""

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from riffhouse.accounts.models import User
from riffhouse.community.models import (
    Delivery,
    Notification,
    NotificationCategory,
    NotificationPreference,
    NotificationVerb,
)
from riffhouse.community.targets import Target, targets_load
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage import selectors as lineage_selectors
from riffhouse.lineage.models import RemixRequest
from riffhouse.lineage.selectors import Node
from riffhouse.records import selectors as records_selectors
from riffhouse.records.models import Record

Viewer = User | AnonymousUser

NOTIFICATIONS_PER_PAGE = 20
NOTIFICATIONS_MAX_PER_PAGE = 100


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    next_cursor: str | None
    # The generic targets (ledger rows, moderation's appeals) by notification id, and where
    # each notification leads (`notification_url`), by notification id.
    targets: dict[int, Target] = field(default_factory=dict)
    urls: dict[int, str] = field(default_factory=dict)


def _encode_cursor(notification: Notification) -> str:
    raw = f"{notification.created_at.isoformat()}|{notification.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None:  # cursors carry aware times; this one was made up
            raise ValueError(stamp)
        number = int(pk)
        if not 0 < number < 2**63:  # outside any database's id range
            raise ValueError(pk)
        return when, number
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


def _for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk)


def notification_list(
    *,
    user: User,
    cursor: str | None = None,
    limit: int = NOTIFICATIONS_PER_PAGE,
    unread_only: bool = False,
) -> NotificationPage:
    """`user`'s notifications, newest first, with everything a page or the API shows of them
    (actor, remix, source, request) in one query. Pages follow a cursor on (created_at, id),
    so a page never repeats or skips when new notifications arrive. A malformed cursor is an
    ApplicationError (400)."""
    limit = max(1, min(limit, NOTIFICATIONS_MAX_PER_PAGE))
    notifications = _for(user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    if cursor:
        stamp, pk = _decode_cursor(cursor)
        notifications = notifications.filter(
            Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk)
        )
    items = list(
        notifications.select_related(
            "actor",
            "record",
            "source",
            "remix_request__remix__live_version",
            "production",
            "submission",
            "comment",
        ).order_by("-created_at", "-pk")[: limit + 1]
    )
    next_cursor = _encode_cursor(items[limit - 1]) if len(items) > limit else None
    items = items[:limit]
    targets = targets_load(notifications=items)
    return NotificationPage(
        items=items,
        next_cursor=next_cursor,
        targets=targets,
        urls={n.pk: notification_url(notification=n, target=targets.get(n.pk)) for n in items},
    )


def _reverse(name: str, *args: object) -> str | None:
    """A page of an app that may not be installed yet (comments, moderation): None when the
    URL name does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


_COMMENT_VERBS = {NotificationVerb.COMMENTED, NotificationVerb.REPLIED, NotificationVerb.MENTIONED}
_MODERATION_VERBS = {NotificationVerb.MODERATED, NotificationVerb.APPEAL_DECIDED}


def notification_url(*, notification: Notification, target: Target | None = None) -> str:
    """Where a notification leads (a path): the comment, the request, the submission, the
    appeal, the generic target, the production, the record or the member who followed —
    whichever it names first; the notifications page when none of them exists any more.
    Reads only what `notification_list` joined."""
    n = notification
    found: str | None = None
    if n.verb in _COMMENT_VERBS and n.comment_id is not None:
        found = _reverse("community:comment", n.comment_id)
    elif n.verb == NotificationVerb.REMIX_REQUESTED and n.remix_request_id is not None:
        found = _reverse("lineage:request", n.remix_request_id)
    elif n.submission_id is not None:
        found = _reverse("productions:submission", n.submission_id)
    elif n.verb in _MODERATION_VERBS and n.target_id is not None:
        found = _reverse("moderation:appeal", n.target_id)
    elif n.verb == NotificationVerb.FOLLOWED and n.production is None and n.actor is not None:
        found = None if n.actor.is_former else n.actor.get_absolute_url()
    if found is None and target is not None:
        found = target.url
    if found is None and n.production is not None:
        found = n.production.get_absolute_url()
    if found is None and n.record is not None:
        found = n.record.get_absolute_url()
    if found is None and n.comment is not None:
        if n.comment.record_id is not None:
            found = _reverse("records:detail", n.comment.record_id)
        elif n.comment.production_id is not None:
            found = _reverse("productions:detail", n.comment.production_id)
    return found or reverse("community:notifications")


def notification_get(*, user: User, notification_id: int) -> Notification | None:
    """One of `user`'s notifications with what `notification_url` reads, or None."""
    return (
        _for(user)
        .select_related("actor", "record", "production", "comment")
        .filter(pk=notification_id)
        .first()
    )


def notification_preferences(*, user: User) -> dict[str, str]:
    """How `user` hears of each category (`NotificationCategory` value -> `Delivery` value),
    in the categories' order (no row: in the app). One query."""
    saved = dict(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("category", "delivery")
    )
    return {c: saved.get(c, Delivery.IN_APP) for c in NotificationCategory.values}


def notification_request_previews(
    *, notifications: list[Notification]
) -> dict[int, lineage_selectors.RequestPreview]:
    """For the remix requests still waiting on the reader: what the remix looks like
    (picture, excerpt or player) and what it used, by notification id — so the source's
    author decides with the remix in view. Two queries however many (none without any)."""
    asking = {
        n.pk: n.remix_request
        for n in notifications
        if n.verb == NotificationVerb.REMIX_REQUESTED
        and n.remix_request is not None
        and n.remix_request.owner_id == n.recipient_id
    }
    previews = lineage_selectors.remix_request_previews(
        requests=[r for r in asking.values() if r is not None]
    )
    return {pk: previews[r.pk] for pk, r in asking.items() if r is not None and r.pk in previews}


def notification_unread_count(*, user: User) -> int:
    """How many of `user`'s notifications are unread: one COUNT over the partial index.
    Asked on every logged-in page (the badge), so in SQL written once: the ORM's count cost
    fifteen times the query (decision 0043)."""
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_SQL, [user.pk])
        return int(cursor.fetchone()[0])


_UNREAD_SQL = (
    f"SELECT COUNT(*) FROM {Notification._meta.db_table}"  # noqa: S608 -- names from the model
    " WHERE recipient_id = %s AND read_at IS NULL"
)
# The same count, read with the member's session (`core.sessions.read_with_session`): the
# badge on a page costs no query of its own (decision 0044).
UNREAD_WITH_SESSION = "unread_notifications"
UNREAD_COLUMNS = (f"({_UNREAD_SQL.replace('%s', '{member}')})",)


# The home page -----------------------------------------------------------------------------
# What the front door shows, read through records' and lineage's selectors: a fixed number
# of queries however much work the house holds.
HOME_TRENDING = 6  # "Most remixed": two full rows of three, three of two
HOME_RECENT = 12  # "Just in": full rows of two, three and four
HOME_MINE = 4
TREE_CHILDREN = 4
TREE_GRANDCHILDREN = 2
TREE_CANDIDATES = 3


def fill_rows[T](*, items: Sequence[T], columns: Iterable[int]) -> list[T]:
    """The longest head of `items` whose last row is never a lonely card, for a grid of any
    of `columns` columns. A single row (fewer items than columns) is not an orphan."""
    count = len(items)
    while count > 1 and any(count > c and count % c == 1 for c in columns):
        count -= 1
    return list(items[:count])


@dataclass(frozen=True)
class TreeBranch:
    node: Node
    children: list["TreeBranch"]


@dataclass(frozen=True)
class LineageShowcase:
    """A real remix tree for the home page: a record and what was built on it, two levels
    down (a few branches of it: `total` counts every descendant within those levels)."""

    root: Node
    branches: list[TreeBranch]
    total: int


def home_lineage_showcase(
    *, viewer: Viewer, candidates: Sequence[Record]
) -> LineageShowcase | None:
    """The richest tree among the first few of `candidates` (the "Most remixed" list, already
    read): the one with the most records two levels down, then the most remixed. Its remixes
    and theirs, those with remixes of their own first. At most seven queries (a walk per
    candidate, then the tree's walk, records and thumbnails, and the root's thumbnail); None
    when nothing public has been remixed yet."""
    remixed = [r for r in candidates if r.remix_count > 0][:TREE_CANDIDATES]
    if not remixed:
        return None
    reach = {
        r.pk: len(lineage_selectors.record_descendants(record_id=r.pk, depth=2)[0]) for r in remixed
    }
    record = max(remixed, key=lambda r: reach[r.pk])  # max keeps the first of a tie
    page = lineage_selectors.lineage_page(
        viewer=viewer, record=record, direction="descendants", depth=2, limit=40
    )
    nodes = [n for n in page.items if n.visible]
    children = [n for n in nodes if n.depth == 1]
    below: dict[int, list[Node]] = {n.record.pk: [] for n in children}
    for node in nodes:
        if node.depth == 2:
            parent = next((p for p in node.via if p in below), None)
            if parent is not None:
                below[parent].append(node)
    children.sort(key=lambda n: -len(below[n.record.pk]))  # stable: newest first on a tie
    branches = [
        TreeBranch(node=child, children=[TreeBranch(node=g, children=[]) for g in grand])
        for child in children[:TREE_CHILDREN]
        for grand in [below[child.record.pk][:TREE_GRANDCHILDREN]]
    ]
    root = lineage_selectors.Node(
        record=record,
        visible=True,
        thumbnail=lineage_selectors.record_thumbnails(records=[record]).get(record.pk),
    )
    return LineageShowcase(root=root, branches=branches, total=page.total or len(nodes))


@dataclass(frozen=True)
class MemberStart:
    """A member's own start on the home page: their latest public work (with its remix
    counts), how many drafts wait, and the remix requests waiting for their answer."""

    records: list[Record]
    drafts: int
    pending_requests: list[RemixRequest]


def home_member_start(*, user: User) -> MemberStart:
    """Four queries (records, their renditions, drafts, requests); the cards show no tags."""
    mine = records_selectors.record_feed(
        viewer=user, author=user.username, limit=HOME_MINE, with_tags=False
    )
    return MemberStart(
        records=fill_rows(items=mine.items, columns=(2, 4)),
        drafts=records_selectors.record_drafts(viewer=user).count(),
        pending_requests=lineage_selectors.remix_request_list(
            viewer=user, incoming=True, status=RemixRequest.Status.PENDING
        ),
    )


@dataclass(frozen=True)
class HomeGallery:
    trending: list[Record]
    recent: list[Record]
    showcase: LineageShowcase | None


def home_gallery(*, viewer: Viewer) -> HomeGallery:
    """The community's work: the most remixed records, the newest others, and the remix tree
    of the richest of the most remixed. At most 11 queries, whatever the size of the house
    (the cards show no tags: none are read)."""
    trending = [
        r
        for r in records_selectors.record_feed(
            viewer=viewer, sort="most_remixed", limit=HOME_TRENDING, with_tags=False
        ).items
        if r.remix_count > 0
    ]
    shown = {r.pk for r in trending}
    recent = [
        r
        for r in records_selectors.record_feed(
            viewer=viewer, limit=HOME_RECENT + HOME_TRENDING, with_tags=False
        ).items
        if r.pk not in shown
    ]
    return HomeGallery(
        trending=fill_rows(items=trending, columns=(2, 3)),
        recent=fill_rows(items=recent[:HOME_RECENT], columns=(2, 3, 4)),
        showcase=home_lineage_showcase(viewer=viewer, candidates=trending),
    )
