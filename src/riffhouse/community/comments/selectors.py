"""Reads of comments, each with its visibility rule: a target's threads (cursor-paged
top-level comments with their first replies), a thread's further replies, one comment for
its permalink, and the earlier texts of an edited comment (moderators only).

Every list is a fixed number of queries whatever its length: the page of top-level
comments, the pinned one, and the first replies of all of them in one windowed query.
What a viewer sees of a comment (its text, "Comment deleted", "Hidden by moderators", or
collapsed because they blocked its author) is decided here, in `comment_present`, so the API
and the pages agree. Whom the viewer blocked is read in the same queries as the comments
(an EXISTS on accounts' `blocks_made` per comment), so it costs no query of its own.
"""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from riffhouse.accounts.models import Block, User
from riffhouse.accounts.selectors import blocks_made, user_is_moderator
from riffhouse.community.models import Comment, CommentRevision, ProductionStats, RecordStats
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.productions.models import Producer, Production, ProductionStatus, Segment
from riffhouse.productions.selectors import (
    is_producer,
    production_can_view,
    production_get_visible,
)
from riffhouse.records.models import Record
from riffhouse.records.selectors import Viewer, record_can_view

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Replies shown under each top-level comment before "more replies".
FIRST_REPLIES = 3
# Replies shown under the thread a permalink points to.
FOCUS_REPLIES = 50

DELETED_TEXT = "Comment deleted"
HIDDEN_TEXT = "Hidden by moderators"


def is_moderator(*, viewer: Viewer) -> bool:
    """Whether `viewer` may read hidden comments and earlier texts (accounts' rule)."""
    return user_is_moderator(user=viewer)


# Targets -------------------------------------------------------------------------------------
def comment_target_record(*, record_id: int) -> Record:
    """A record that may be commented on: listed (published, live, not deleted; moderation
    adds "not hidden"). Anything else is NotFound, drafts not even admitted to exist."""
    record = Record.objects.listed().select_related("author").filter(pk=record_id).first()
    if record is None:
        raise NotFound("No record here.")
    return record


def comment_target_production(*, viewer: Viewer, production_id: int) -> Production:
    """A production that may be commented on: any but a draft (which is not public, even
    to its producers' own comments)."""
    production = production_get_visible(viewer=viewer, production_id=production_id)
    if production.status == ProductionStatus.DRAFT:
        raise NotFound("No production here.")
    return production


def comment_count(*, record_id: int | None, production_id: int | None) -> int:
    """What a comment section's heading counts (one query): the target's stats row, its live
    comments and replies (a production's with its segments'); 0 before the first comment."""
    if record_id is not None:
        record_stats = RecordStats.objects.filter(record_id=record_id)
        return record_stats.values_list("comments", flat=True).first() or 0
    assert production_id is not None
    production_stats = ProductionStats.objects.filter(production_id=production_id)
    return production_stats.values_list("comments", flat=True).first() or 0


def segment_count(*, production: Production) -> int:
    """How many segments a released production's lineup has (0 before its release: an
    unreleased lineup is its producers' draft, not something to comment on)."""
    if not production.is_released:
        return 0
    return Segment.objects.filter(production=production).count()


def segment_check(*, production: Production, segment_number: int | None) -> None:
    """Raise unless `segment_number` is None or a place in the released lineup."""
    if segment_number is None:
        return
    count = segment_count(production=production)
    if not 1 <= segment_number <= count:
        if count == 0:
            detail = "This production has no released lineup to comment on segment by segment."
        else:
            detail = f"Choose a segment from 1 to {count}."
        raise ApplicationError(detail, code="segment_invalid", field="segment")


def producer_ids(*, production_id: int) -> list[int]:
    """A production's producers' ids (one query): who its comments are told to."""
    return list(
        Producer.objects.filter(production_id=production_id)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)
    )


def blocks_with(*, user_id: int, other_ids: list[int]) -> set[int]:
    """Which of `other_ids` blocked `user_id` or were blocked by them (one query)."""
    others = [pk for pk in other_ids if pk is not None and pk != user_id]
    if not others:
        return set()
    found: set[int] = set()
    for blocker_id, blocked_id in Block.objects.filter(
        Q(blocker_id=user_id, blocked_id__in=others) | Q(blocked_id=user_id, blocker_id__in=others)
    ).values_list("blocker_id", "blocked_id"):
        found.add(blocked_id if blocker_id == user_id else blocker_id)
    return found


def members_mentionable(*, names: list[str]) -> list[User]:
    """The active members (not deleted, not deactivated) with these lower-cased usernames."""
    if not names:
        return []
    from django.db.models.functions import Lower

    return list(
        User.objects.annotate(lower_name=Lower("username")).filter(
            lower_name__in=names, is_active=True, deleted_at__isnull=True
        )
    )


def may_pin(*, viewer: Viewer, comment: Comment) -> bool:
    """The record's author, or one of the production's producers."""
    if not viewer.is_authenticated:
        return False
    if comment.record is not None:
        return comment.record.author_id == viewer.pk
    assert comment.production is not None
    return is_producer(viewer=viewer, production=comment.production)


# What a viewer sees --------------------------------------------------------------------------
def comment_present(
    *, comment: Comment, viewer: Viewer, moderator: bool, show_blocked: bool = False
) -> Comment:
    """Set what `viewer` sees of `comment` on it: `state` ("shown", "deleted", "hidden" —
    a moderator sees a hidden comment's text, marked — or "blocked": collapsed, because the
    viewer blocked its author, unless `show_blocked`), `shown_html` (its HTML, or empty),
    `is_mine`, `blocked_author` (the viewer blocked its author, collapsed or shown) and
    `blocked_parent_author` (they blocked the author of the comment it replies to). Blocks
    are read with the comment (`_comments`); a comment read otherwise counts as unblocked.
    Returns it, for chaining."""
    blocked = comment.deleted_at is None and getattr(comment, "blocked_author", False)
    if comment.deleted_at is not None:
        state, html = "deleted", ""
    elif blocked and not show_blocked:
        state, html = "blocked", ""
    elif comment.hidden_at is not None:
        state, html = "hidden", comment.body_html if moderator else ""
    else:
        state, html = "shown", comment.body_html
    comment.state = state  # type: ignore[attr-defined]
    comment.shown_html = html  # type: ignore[attr-defined]
    comment.shows_text = bool(html) or (state == "shown")  # type: ignore[attr-defined]
    comment.is_mine = viewer.is_authenticated and comment.author_id == viewer.pk  # type: ignore[attr-defined]
    comment.blocked_author = blocked  # type: ignore[attr-defined]
    comment.blocked_parent_author = getattr(comment, "blocked_parent_author", False)  # type: ignore[attr-defined]
    return comment


def comment_text_shown(*, comment: Comment, moderator: bool) -> str:
    """Its Markdown as the viewer may read it: empty when deleted, hidden from them, or
    collapsed because they blocked its author (`comment_present` said "blocked")."""
    if comment.deleted_at is not None or (comment.hidden_at is not None and not moderator):
        return ""
    if getattr(comment, "state", "") == "blocked":
        return ""
    return comment.body


# Cursors -------------------------------------------------------------------------------------
def _encode_cursor(comment: Comment) -> str:
    raw = f"{comment.created_at.isoformat()}|{comment.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        when, number = datetime.fromisoformat(stamp), int(pk)
        if when.tzinfo is None or not 0 < number < 2**62:
            raise ValueError("out of range")
        return when, number
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ApplicationError(
            f"Choose a limit from 1 to {MAX_PAGE_SIZE}.", code="invalid_limit", field="limit"
        )
    return limit


# Threads -------------------------------------------------------------------------------------
@dataclass
class Thread:
    """A top-level comment and its first replies (oldest first); `more_replies` when the
    thread holds more than those."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)
    more_replies: bool = False
    # Where "more replies" continues (after the last reply shown).
    replies_cursor: str = ""


@dataclass
class ThreadPage:
    """A page of a target's threads, newest first. `pinned` (first page only) is not
    repeated in `items`; `focus` is the thread a permalink asked for, shown first."""

    items: list[Thread]
    next_cursor: str | None
    pinned: Thread | None = None
    focus: Thread | None = None
    can_pin: bool = False
    moderator: bool = False
    count: int = 0


@dataclass
class ReplyPage:
    items: list[Comment]
    next_cursor: str | None


def _comments(*, viewer: Viewer) -> QuerySet[Comment]:
    """Comments with their authors and the comments they reply to. For a signed-in viewer,
    also whether they blocked each one's author and the replied-to author (`blocked_author`,
    `blocked_parent_author`): an EXISTS on their `blocks_made` per row, answered by the
    block's unique index, so a page of comments costs no query more for it."""
    comments = Comment.objects.select_related("author", "parent__author")
    if not isinstance(viewer, User):
        return comments
    blocks = blocks_made(user=viewer)
    return comments.annotate(
        blocked_author=Exists(blocks.filter(blocked_id=OuterRef("author_id"))),
        blocked_parent_author=Exists(blocks.filter(blocked_id=OuterRef("parent__author_id"))),
    )


def _attach_replies(threads: list[Thread], *, viewer: Viewer, per_thread: int) -> None:
    """The first `per_thread` replies of each thread, in one query (a window per thread)."""
    if not threads:
        return
    by_root = {thread.comment.pk: thread for thread in threads}
    ranked = (
        _comments(viewer=viewer)
        .filter(root_id__in=list(by_root))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("root_id")],
                order_by=[F("created_at").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=per_thread + 1)
        .order_by("root_id", "created_at", "id")
    )
    for reply in ranked:
        thread = by_root[reply.root_id]  # type: ignore[index]
        if len(thread.replies) < per_thread:
            thread.replies.append(reply)
        elif not thread.more_replies:
            thread.more_replies = True
            thread.replies_cursor = _encode_cursor(thread.replies[-1])


def _target_filter(
    *, record: Record | None, production: Production | None, segment_number: int | None
) -> Q:
    if record is not None:
        return Q(record=record)
    assert production is not None
    return Q(production=production, segment_number=segment_number)


def comment_threads(
    *,
    viewer: Viewer,
    record: Record | None = None,
    production: Production | None = None,
    segment_number: int | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    focus_id: int | None = None,
    show_id: int | None = None,
    replies: int = FIRST_REPLIES,
) -> ThreadPage:
    """A target's threads, newest first, `limit` a page, each with its first `replies`.
    The target must already be one the viewer may see (`comment_target_*`). The pinned
    comment comes first on the first page; `focus_id` (any comment of the target, from a
    permalink) brings its thread first with up to FOCUS_REPLIES replies. Comments by
    members the viewer blocked are collapsed, but `show_id`'s (the viewer asked to see it).
    At most four queries, and one more for a production's "may pin" (its producers)."""
    limit = _limit(limit)
    moderator = is_moderator(viewer=viewer)
    where = _target_filter(record=record, production=production, segment_number=segment_number)
    top = _comments(viewer=viewer).filter(where, root__isnull=True)
    page = top.filter(pinned_at__isnull=True)
    if cursor:
        when, pk = _decode_cursor(cursor)
        page = page.filter(Q(created_at__lt=when) | Q(created_at=when, id__lt=pk))
    rows = list(page.order_by("-created_at", "-id")[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    threads = [Thread(comment=c) for c in rows[:limit]]

    pinned = None
    focus = None
    extra: list[Thread] = []
    if not cursor:
        # The pinned comment and the permalinked one in one query.
        wanted = Q(pinned_at__isnull=False, root__isnull=True)
        if focus_id is not None:
            wanted |= Q(pk=focus_id)
        for comment in _comments(viewer=viewer).filter(where, wanted):
            if comment.pinned_at is not None and comment.root_id is None:
                pinned = Thread(comment=comment)
                extra.append(pinned)
            if comment.pk == focus_id:
                focus_root = comment.root_id or comment.pk
                if pinned is None or focus_root != pinned.comment.pk:
                    focus = Thread(comment=comment)
    if focus is not None and focus.comment.root_id is not None:
        root = _comments(viewer=viewer).filter(pk=focus.comment.root_id).first()
        focus = Thread(comment=root) if root is not None else None
    if focus is not None:
        # Not repeated below, and with more of its replies.
        threads = [t for t in threads if t.comment.pk != focus.comment.pk]
        _attach_replies([focus], viewer=viewer, per_thread=FOCUS_REPLIES)
    _attach_replies(threads + extra, viewer=viewer, per_thread=replies)
    result = ThreadPage(
        items=threads,
        next_cursor=next_cursor,
        pinned=pinned,
        focus=focus,
        moderator=moderator,
    )
    for thread in [*threads, *extra, *([focus] if focus else [])]:
        for comment in [thread.comment, *thread.replies]:
            comment_present(
                comment=comment,
                viewer=viewer,
                moderator=moderator,
                show_blocked=comment.pk == show_id,
            )
    if viewer.is_authenticated:
        if record is not None:
            result.can_pin = record.author_id == viewer.pk
        elif production is not None:
            result.can_pin = is_producer(viewer=viewer, production=production)
    return result


def comment_replies(
    *, viewer: Viewer, comment: Comment, cursor: str | None = None, limit: int = PAGE_SIZE
) -> ReplyPage:
    """Replies oldest first: a top-level comment's whole thread, a reply's direct replies.
    One query."""
    limit = _limit(limit)
    moderator = is_moderator(viewer=viewer)
    if comment.root_id is None:
        replies = _comments(viewer=viewer).filter(root=comment)
    else:
        replies = _comments(viewer=viewer).filter(parent=comment)
    if cursor:
        when, pk = _decode_cursor(cursor)
        replies = replies.filter(Q(created_at__gt=when) | Q(created_at=when, id__gt=pk))
    rows = list(replies.order_by("created_at", "id")[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return ReplyPage(
        items=[
            comment_present(comment=c, viewer=viewer, moderator=moderator) for c in rows[:limit]
        ],
        next_cursor=next_cursor,
    )


# One comment ---------------------------------------------------------------------------------
def comment_get_visible(*, viewer: Viewer, comment_id: int, show_blocked: bool = False) -> Comment:
    """The comment with its author and target, if `viewer` may see its target (a record
    they may see and not deleted, a production they may see); otherwise NotFound. A
    deleted or hidden comment still comes back: its place in the thread is kept. One by a
    member the viewer blocked comes back collapsed, unless `show_blocked`."""
    comment = (
        _comments(viewer=viewer)
        .select_related("record", "record__author", "production")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise NotFound("No comment here.")
    if comment.record is not None:
        if comment.record.deleted_at is not None or not record_can_view(
            viewer=viewer, record=comment.record
        ):
            raise NotFound("No comment here.")
    elif comment.production is None or not production_can_view(
        viewer=viewer, production=comment.production
    ):
        raise NotFound("No comment here.")
    return comment_present(
        comment=comment,
        viewer=viewer,
        moderator=is_moderator(viewer=viewer),
        show_blocked=show_blocked,
    )


def comment_target_url(*, comment: Comment) -> str:
    """The page its target shows comments on (a segment's comments: the production's page
    with `?segment=N`)."""
    if comment.record_id is not None:
        return reverse("records:detail", kwargs={"record_id": comment.record_id})
    url = reverse("productions:detail", kwargs={"production_id": comment.production_id})
    if comment.segment_number is not None:
        # The production page's own `?segment=` is the player's deep link.
        url += f"?segment_comments={comment.segment_number}"
    return url


def comment_page_url(*, comment: Comment) -> str:
    """Where a permalink leads: the target's page showing the comment's thread first,
    scrolled to the comment."""
    url = comment_target_url(comment=comment)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}comment={comment.pk}#comment-{comment.pk}"


def comment_section_url(*, comment: Comment, show_blocked: bool = False) -> str:
    """The comment in its target's comment section on a page of its own (community's): where
    a form posted without JavaScript comes back to (`show_blocked`: shown although the
    viewer blocked its author, `&show=1`)."""
    if comment.record_id is not None:
        url = reverse("community:record_comments", args=[comment.record_id])
    else:
        url = reverse("community:production_comments", args=[comment.production_id])
        if comment.segment_number is not None:
            url += f"?segment={comment.segment_number}"
    joiner = "&" if "?" in url else "?"
    show = "&show=1" if show_blocked else ""
    return f"{url}{joiner}comment={comment.pk}{show}#comment-{comment.pk}"


def comment_history(*, viewer: Viewer, comment: Comment) -> list[CommentRevision]:
    """Its earlier texts, newest first, for moderators only (everyone else sees "edited")."""
    if not is_moderator(viewer=viewer):
        raise PermissionDenied(
            "Only moderators can read a comment's earlier texts.", code="not_moderator"
        )
    return list(CommentRevision.objects.filter(comment=comment).order_by("-created_at", "-id"))
