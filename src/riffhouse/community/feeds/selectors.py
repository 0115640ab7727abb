"""Feeds' reads: a member's home feed, and the public lists (latest, trending, never remixed,
open to remix, needs collaborators).

Every list is a `FeedPage` of `FeedItem`s, newest (or highest) first, paged by a cursor (no
offsets: a page never repeats or skips when new work arrives), in a fixed number of queries
however long the page or large the house. Each item says why it is there.

The home feed merges three sources, each read newest first from its own index up to one page
past the cursor: records by the members the viewer follows (the partial index
`records_feeds_author_idx`: a short range per followed member, never a scan of records),
updates of the productions they follow (opened for submissions, released), and the open
needs of open productions that ask for a kind of work the viewer makes. The page is the
newest `limit` of their union; the cursor is the last item's (time, source, id).
"""

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.community.feeds.models import RecordTrend
from riffhouse.community.models import Follow
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage.models import SourceLink
from riffhouse.productions.models import Need, Production, ProductionStatus
from riffhouse.records import selectors as records_selectors
from riffhouse.records.models import Kind, Record, Rendition

Viewer = User | AnonymousUser

PER_PAGE = 24
MAX_PER_PAGE = 100
# The windows followed members' records are read in, back from the page's start: most feeds
# fill a page from the last week, so each followed member's index range stays short however
# much they have made over the years; a quiet feed widens the window (at most four reads).
FOLLOWED_WINDOWS = (timedelta(days=7), timedelta(days=45), timedelta(days=365), None)

# What a call asks for, in a sentence: "A call for music".
KIND_WORDS = {
    Kind.AUDIO: "music",
    Kind.IMAGE: "art",
    Kind.TEXT: "writing",
    Kind.VIDEO: "film",
}


class ItemKind:
    RECORD = "record"  # a new record by a member the viewer follows
    REMIX = "remix"  # a new remix by a member the viewer follows
    OPENED = "opened"  # a production the viewer follows opened for submissions
    RELEASED = "released"  # a production the viewer follows was released
    CALL = "call"  # an open need asking for a kind of work (the viewer makes)
    TRENDING = "trending"
    LISTED = "listed"  # one of the public lists' records


# Ties in time are broken by source, then id, in this order (highest first).
_RANK = {
    ItemKind.RECORD: 4,
    ItemKind.REMIX: 4,
    ItemKind.LISTED: 4,
    ItemKind.TRENDING: 4,
    ItemKind.OPENED: 3,
    ItemKind.RELEASED: 2,
    ItemKind.CALL: 1,
}


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: a record, a production's update or a production's need, when it
    happened (`at`) and why the reader sees it (`reason`)."""

    kind: str
    at: datetime
    reason: str
    record: Record | None = None
    production: Production | None = None
    need: Need | None = None
    score: float | None = None

    @property
    def key(self) -> tuple[datetime, int, int]:
        target = self.record or self.need or self.production
        assert target is not None
        return (self.at, _RANK[self.kind], target.pk)


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next_cursor: str | None = None


# Cursors ------------------------------------------------------------------------------------
def _invalid_cursor() -> ApplicationError:
    return ApplicationError("That page cursor is not valid.", code="invalid_cursor", field="cursor")


def _encode(*parts: object) -> str:
    raw = "|".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, count: int) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise _invalid_cursor() from exc
    parts = raw.split("|")
    if len(parts) != count:
        raise _invalid_cursor()
    return parts


def _id(text: str) -> int:
    number = int(text)
    if not 0 < number < 2**63:  # outside any database's id range
        raise ValueError(text)
    return number


def _decode_key(cursor: str) -> tuple[datetime, int, int]:
    stamp, rank, pk = _decode(cursor, 3)
    try:
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None:  # cursors carry aware times; this one was made up
            raise ValueError(stamp)
        return when, int(rank), _id(pk)
    except ValueError as exc:
        raise _invalid_cursor() from exc


def _after(field_name: str, kind: str, key: tuple[datetime, int, int] | None) -> Q:
    """Rows of the source `kind` that come after `key` in the order (time, rank, id) desc."""
    if key is None:
        return Q()
    stamp, rank, pk = key
    own = _RANK[kind]
    if own < rank:
        return Q(**{f"{field_name}__lte": stamp})
    if own > rank:
        return Q(**{f"{field_name}__lt": stamp})
    return Q(**{f"{field_name}__lt": stamp}) | Q(**{field_name: stamp, "pk__lt": pk})


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_PER_PAGE))


def _page(items: list[FeedItem], limit: int) -> FeedPage:
    """The newest `limit` of `items` (from sources read one past the page each)."""
    items.sort(key=lambda item: item.key, reverse=True)
    if len(items) > limit:
        at, rank, pk = items[limit - 1].key
        return FeedPage(items=items[:limit], next_cursor=_encode(at.isoformat(), rank, pk))
    return FeedPage(items=items)


# Records' cards -----------------------------------------------------------------------------
def _card_records(records: QuerySet[Record]) -> QuerySet[Record]:
    return records.select_related("author", "live_version", "cover")


def _cards_attach(records: list[Record]) -> None:
    """What a record card shows besides its row: tags, renditions, cover art (four queries
    at most, whatever the number of records; none without records)."""
    if not records:
        return
    prefetch_related_objects(
        records,
        "tags",
        Prefetch("live_version__renditions", queryset=Rendition.objects.order_by("label")),
    )
    records_selectors.records_cover_art_attach(records=records)


def _remixes_among(record_ids: Iterable[int]) -> set[int]:
    """Which of these records are remixes (built on another record): one query."""
    ids = list(record_ids)
    if not ids:
        return set()
    return set(
        SourceLink.objects.filter(record_id__in=ids).values_list("record_id", flat=True).distinct()
    )


def _name(user: User | None) -> str:
    return user.name if user is not None else "a former member"


# The home feed ------------------------------------------------------------------------------
def home_feed_kinds(*, viewer: User) -> list[str]:
    """The kinds of work `viewer` makes: the kinds of their own listed records (one query
    over records' author index)."""
    return sorted(
        set(Record.objects.listed().filter(author_id=viewer.pk).values_list("kind", flat=True))
    )


def _followed_records(
    viewer: User, key: tuple[datetime, int, int] | None, limit: int
) -> list[FeedItem]:
    followed = Follow.objects.filter(follower_id=viewer.pk, user__isnull=False).values("user_id")
    theirs = (
        Record.objects.listed()
        .filter(author_id__in=followed)
        .filter(_after("published_at", ItemKind.RECORD, key))
    )
    start = key[0] if key else timezone.now()
    for window in FOLLOWED_WINDOWS:
        recent = theirs if window is None else theirs.filter(published_at__gte=start - window)
        records = list(_card_records(recent).order_by("-published_at", "-pk")[: limit + 1])
        if len(records) > limit:
            break  # a full page (and one more) within the window: nothing older can be in it
    _cards_attach(records)
    remixes = _remixes_among(r.pk for r in records)
    items = []
    for record in records:
        assert record.published_at is not None
        remix = record.pk in remixes
        who = _name(record.author)
        items.append(
            FeedItem(
                kind=ItemKind.REMIX if remix else ItemKind.RECORD,
                at=record.published_at,
                reason=f"Because you follow {who}",
                record=record,
            )
        )
    return items


def _followed_productions(
    viewer: User, key: tuple[datetime, int, int] | None, limit: int
) -> list[FeedItem]:
    followed = Follow.objects.filter(follower_id=viewer.pk, production__isnull=False).values(
        "production_id"
    )
    productions = Production.objects.filter(pk__in=followed).select_related("cover")
    opened = productions.filter(
        opened_at__isnull=False,
        status__in=[
            ProductionStatus.OPEN,
            ProductionStatus.CURATING,
            ProductionStatus.RELEASED,
            ProductionStatus.ARCHIVED,
        ],
    ).filter(_after("opened_at", ItemKind.OPENED, key))
    released = productions.filter(
        released_at__isnull=False,
        status__in=[ProductionStatus.RELEASED, ProductionStatus.ARCHIVED],
    ).filter(_after("released_at", ItemKind.RELEASED, key))
    items = []
    for production in opened.order_by("-opened_at", "-pk")[: limit + 1]:
        assert production.opened_at is not None
        items.append(
            FeedItem(
                kind=ItemKind.OPENED,
                at=production.opened_at,
                reason=f"You follow {production.title}: it is open for submissions",
                production=production,
            )
        )
    for production in released.order_by("-released_at", "-pk")[: limit + 1]:
        assert production.released_at is not None
        items.append(
            FeedItem(
                kind=ItemKind.RELEASED,
                at=production.released_at,
                reason=f"You follow {production.title}: it has been released",
                production=production,
            )
        )
    return items


def _open_needs(kinds: Iterable[str] | None = None) -> QuerySet[Need]:
    """Needs still taking submissions: of an open production, before their deadline (or the
    production's). `kinds`: only needs that ask for one of these kinds of record."""
    now = timezone.now()
    needs = Need.objects.filter(
        production__status=ProductionStatus.OPEN, production__opened_at__isnull=False
    ).filter(
        Q(deadline__gt=now)
        | Q(
            deadline__isnull=True,
            production__submission_deadline__isnull=True,
        )
        | Q(deadline__isnull=True, production__submission_deadline__gt=now)
    )
    if kinds is not None:
        wanted = Q()
        for kind in kinds:
            # `kinds` is a comma-separated list of whole kind names, none a part of another.
            wanted |= Q(kinds__contains=kind)
        needs = needs.filter(wanted) if wanted else needs.none()
    return needs.select_related("production__cover")


def _call_reason(need: Need, kinds: Iterable[str] | None) -> str:
    wanted = [k for k in need.kind_list if kinds is None or k in kinds] or need.kind_list
    words = [KIND_WORDS.get(Kind(k), k) for k in wanted if k in Kind.values]
    return f"A call for {' or '.join(words) or 'work'}"


def _calls(
    viewer: User, key: tuple[datetime, int, int] | None, limit: int, kinds: list[str]
) -> list[FeedItem]:
    if not kinds:
        return []
    followed = Follow.objects.filter(follower_id=viewer.pk, production__isnull=False).values(
        "production_id"
    )
    needs = (
        _open_needs(kinds)
        # A production the viewer follows already shows up as "opened".
        .exclude(production_id__in=followed)
        .filter(_after("production__opened_at", ItemKind.CALL, key))
        .order_by("-production__opened_at", "-pk")[: limit + 1]
    )
    items = []
    for need in needs:
        assert need.production.opened_at is not None
        items.append(
            FeedItem(
                kind=ItemKind.CALL,
                at=need.production.opened_at,
                reason=_call_reason(need, kinds),
                production=need.production,
                need=need,
            )
        )
    return items


def home_feed_follows_version(*, viewer: User) -> tuple[int, int]:
    """What `viewer` follows, as a version: how many follows and the newest one's id. A follow
    or an unfollow changes it (rows are only ever added and deleted), so with the `public`
    generation it names one home feed exactly (community.views.home). One query on the
    follower's index, in SQL written once: it is asked on every visit of a member's home
    (decision 0043)."""
    with connection.cursor() as cursor:
        cursor.execute(_FOLLOWS_VERSION_SQL, [viewer.pk])
        count, last = cursor.fetchone()
    return int(count), int(last or 0)


_FOLLOWS_VERSION_SQL = (
    f"SELECT COUNT(*), MAX(id) FROM {Follow._meta.db_table}"  # noqa: S608 -- names from the model
    " WHERE follower_id = %s"
)


def home_feed(*, viewer: User, cursor: str | None = None, limit: int = PER_PAGE) -> FeedPage:
    """`viewer`'s home feed: new records and remixes by the members they follow, updates of
    the productions they follow, and open calls for the kinds of work they make, newest
    first. At most fourteen queries (eleven when the last week fills the page), whatever
    the number of follows or records."""
    limit = _limit(limit)
    key = _decode_key(cursor) if cursor else None
    kinds = home_feed_kinds(viewer=viewer)
    items = (
        _followed_records(viewer, key, limit)
        + _followed_productions(viewer, key, limit)
        + _calls(viewer, key, limit, kinds)
    )
    return _page(items, limit)


# Public lists -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordList:
    """A public list that is records' own feed with one filter (or none), and the reason
    each of its items gives."""

    reason: str
    remixable: bool = False
    never_remixed: bool = False


# The public lists read straight from records' own feed, by name (their Discover tab's).
RECORD_LISTS = {
    "latest": RecordList(reason="Just published"),
    "never-remixed": RecordList(reason="Nobody has remixed it yet", never_remixed=True),
    "open-to-remix": RecordList(reason="Open to remix", remixable=True),
}


def record_list(
    *,
    name: str,
    viewer: Viewer | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    limit: int = PER_PAGE,
) -> FeedPage:
    """One of RECORD_LISTS, newest first: every listed record ("latest"), the listed records
    nobody has remixed yet ("never-remixed": a place to start something), or those anyone
    may remix without asking ("open-to-remix")."""
    chosen = RECORD_LISTS[name]
    page = records_selectors.record_feed(
        viewer=viewer or AnonymousUser(),
        kind=kind,
        remixable=chosen.remixable,
        never_remixed=chosen.never_remixed,
        cursor=cursor,
        limit=_limit(limit),
    )
    items = []
    for record in page.items:
        assert record.published_at is not None
        items.append(
            FeedItem(
                kind=ItemKind.LISTED, at=record.published_at, reason=chosen.reason, record=record
            )
        )
    return FeedPage(items=items, next_cursor=page.next_cursor)


def needs_collaborators(*, cursor: str | None = None, limit: int = PER_PAGE) -> FeedPage:
    """Records whose authors asked for collaborators, and the open needs of open
    productions, newest first (a need dates from its production's opening). At most seven
    queries."""
    limit = _limit(limit)
    key = _decode_key(cursor) if cursor else None
    records = list(
        _card_records(
            Record.objects.listed()
            .filter(wants_collaborators=True)
            .filter(_after("published_at", ItemKind.LISTED, key))
        ).order_by("-published_at", "-pk")[: limit + 1]
    )
    _cards_attach(records)
    items = []
    for record in records:
        assert record.published_at is not None
        items.append(
            FeedItem(
                kind=ItemKind.LISTED,
                at=record.published_at,
                reason=f"{_name(record.author)} would like collaborators",
                record=record,
            )
        )
    needs = (
        _open_needs()
        .filter(_after("production__opened_at", ItemKind.CALL, key))
        .order_by("-production__opened_at", "-pk")[: limit + 1]
    )
    for need in needs:
        assert need.production.opened_at is not None
        items.append(
            FeedItem(
                kind=ItemKind.CALL,
                at=need.production.opened_at,
                reason=_call_reason(need, None),
                production=need.production,
                need=need,
            )
        )
    return _page(items, limit)


# Rounds of reading the score's index for listed records: the job keeps only listed
# records, so a round comes up short only by records unlisted since it ran (minutes ago).
_TRENDING_ROUNDS = 4


def trending(*, limit: int = PER_PAGE, cursor: str | None = None) -> FeedPage:
    """Listed records by their trending score (computed by `services.trending_compute`),
    highest first. The scores are read down their own index, twice the page at a time, and
    then those records that are still listed (the score table is not joined to the records
    in one query: a planner without fresh statistics sorts every scored record first). Two
    queries for the page, rarely more (`_TRENDING_ROUNDS` at most), then the cards' tags,
    renditions and cover art."""
    limit = _limit(limit)
    after: tuple[float, int] | None = None
    if cursor:
        after_score, after_pk = _decode(cursor, 2)
        try:
            after = (float(after_score), _id(after_pk))
        except ValueError as exc:
            raise _invalid_cursor() from exc
    found: list[tuple[Record, float]] = []
    for _ in range(_TRENDING_ROUNDS):
        scores = RecordTrend.objects.order_by("-score", "-record_id")
        if after:
            scores = scores.filter(
                Q(score__lt=after[0]) | Q(score=after[0], record_id__lt=after[1])
            )
        batch = list(scores.values_list("record_id", "score")[: (limit + 1) * 2])
        listed = _card_records(Record.objects.listed()).in_bulk([pk for pk, _ in batch])
        found += [(listed[pk], score) for pk, score in batch if pk in listed]
        if len(found) > limit or len(batch) < (limit + 1) * 2:
            break
        after = (batch[-1][1], batch[-1][0])
    next_cursor = None
    if len(found) > limit:
        last, last_score = found[limit - 1]
        next_cursor = _encode(repr(last_score), last.pk)
    found = found[:limit]
    _cards_attach([record for record, _ in found])
    items = []
    for record, score in found:
        assert record.published_at is not None
        items.append(
            FeedItem(
                kind=ItemKind.TRENDING,
                at=record.published_at,
                reason="Trending",
                record=record,
                score=score,
            )
        )
    return FeedPage(items=items, next_cursor=next_cursor)


def record_playable(*, record_id: int) -> Record | None:
    """The record if its plays count (a listed record), else None: one query."""
    return Record.objects.listed().filter(pk=record_id).first()
