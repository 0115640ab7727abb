"""Comment endpoints: a record's or a production's (or a segment's) threads, one comment
and its replies; write, reply, edit, delete (a tombstone) and pin. Writes go through
`community.comments.services`, reads through its selectors (decision 0032).

A comment by a member the caller blocked keeps its place but comes collapsed, as on the
pages: `blocked_author` true, `author` null, `body` and `body_html` empty. Asking for it by
id with `?show_blocked=true` shows it (still marked `blocked_author`)."""

from datetime import datetime
from typing import Any, TypedDict, Unpack

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.community.comments import selectors, services
from riffhouse.community.models import Comment
from riffhouse.core.api import error_responses
from riffhouse.productions.models import Production
from riffhouse.records.models import Record
from riffhouse.records.schemas import AuthorOut

comments_router = Router(tags=["comments"], auth=bearer_or_session)
ERRORS = error_responses(400, 401, 403, 404, 422, 429)
READ_ERRORS = error_responses(400, 404, 422)


class CommentIn(Schema):
    body: str = Field(
        description="Markdown (at most 10,000 characters); `@username` mentions a member"
    )
    parent: int | None = Field(default=None, description="The comment replied to")


class CommentPatchIn(Schema):
    body: str = Field(description="The new Markdown text (at most 10,000 characters)")


class CommentOut(Schema):
    id: int
    url: str = Field(description="The comment in its page")
    record: int | None
    production: int | None
    segment_number: int | None
    parent: int | None
    root: int | None
    author: AuthorOut | None = Field(
        description="None once the comment is deleted, or collapsed (`blocked_author`)"
    )
    body: str = Field(
        description="Its Markdown; empty when deleted, hidden by moderators, or collapsed "
        "(`blocked_author`)"
    )
    body_html: str = Field(description="Sanitised HTML, mentions linked; empty as `body` is")
    created_at: datetime
    edited: bool
    edited_at: datetime | None
    deleted: bool
    hidden: bool = Field(description="Hidden by moderators (its text shows to moderators only)")
    blocked_author: bool = Field(
        description="You blocked its author: it comes collapsed (no author, no text) in its "
        "place, so its replies keep theirs; `GET /comments/{id}?show_blocked=true` shows it"
    )
    pinned: bool
    reply_count: int


class ThreadOut(Schema):
    comment: CommentOut
    replies: list[CommentOut] = Field(description="Its first replies, oldest first")
    more_replies: bool = Field(description="More replies at /comments/{id}/replies")


class ThreadPageOut(Schema):
    pinned: ThreadOut | None = Field(description="The pinned comment (first page only)")
    items: list[ThreadOut]
    next_cursor: str | None


class ReplyPageOut(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class RevisionOut(Schema):
    body: str
    replaced_at: datetime


class ThreadsQuery(Schema):
    cursor: str | None = None
    limit: int = selectors.PAGE_SIZE


class ProductionThreadsQuery(ThreadsQuery):
    segment: int | None = Field(default=None, description="A segment's 1-based number")


class SegmentQuery(Schema):
    segment: int | None = Field(default=None, description="A segment's 1-based number")


class RepliesQuery(Schema):
    cursor: str | None = None
    limit: int = selectors.PAGE_SIZE


class CommentQuery(Schema):
    show_blocked: bool = Field(
        default=False, description="Show it even if you blocked its author (`blocked_author`)"
    )


def comment_out(request: HttpRequest, comment: Comment, *, moderator: bool) -> dict[str, Any]:
    """The comment as `selectors.comment_present` decided the caller sees it."""
    deleted = comment.deleted_at is not None
    hidden = comment.hidden_at is not None
    collapsed = getattr(comment, "state", "") == "blocked"
    shown_html = comment.body_html if not deleted and (not hidden or moderator) else ""
    return {
        "id": comment.pk,
        "url": request.build_absolute_uri(reverse("community:comment", args=[comment.pk])),
        "record": comment.record_id,
        "production": comment.production_id,
        "segment_number": comment.segment_number,
        "parent": comment.parent_id,
        "root": comment.root_id,
        "author": None if deleted or collapsed else author_out(request, comment.author),
        "body": selectors.comment_text_shown(comment=comment, moderator=moderator),
        "body_html": "" if collapsed else shown_html,
        "created_at": comment.created_at,
        "edited": comment.edited_at is not None,
        "edited_at": comment.edited_at,
        "deleted": deleted,
        "hidden": hidden,
        "blocked_author": getattr(comment, "blocked_author", False),
        "pinned": comment.pinned_at is not None,
        "reply_count": comment.reply_count,
    }


def _thread_out(
    request: HttpRequest, thread: selectors.Thread, *, moderator: bool
) -> dict[str, Any]:
    return {
        "comment": comment_out(request, thread.comment, moderator=moderator),
        "replies": [comment_out(request, r, moderator=moderator) for r in thread.replies],
        "more_replies": thread.more_replies,
    }


class _Target(TypedDict, total=False):
    """What comments are on, already found by `comment_target_*`: a record, or a production
    (or one of its segments)."""

    record: Record
    production: Production
    segment_number: int | None


def _threads_out(
    request: HttpRequest, query: ThreadsQuery, **target: Unpack[_Target]
) -> dict[str, Any]:
    page = selectors.comment_threads(
        viewer=request.user, cursor=query.cursor, limit=query.limit, **target
    )
    moderator = page.moderator
    return {
        "pinned": _thread_out(request, page.pinned, moderator=moderator) if page.pinned else None,
        "items": [_thread_out(request, t, moderator=moderator) for t in page.items],
        "next_cursor": page.next_cursor,
    }


def _create(
    request: HttpRequest, payload: CommentIn, **target: Unpack[_Target]
) -> Status[dict[str, Any]]:
    """Comment on the target, or reply: 201 and the comment as its author now sees it."""
    user: User = request.auth  # type: ignore[attr-defined]
    parent = None
    if payload.parent is not None:
        parent = selectors.comment_get_visible(viewer=user, comment_id=payload.parent)
    comment = services.comment_create(author=user, body=payload.body, parent=parent, **target)
    fresh = selectors.comment_get_visible(viewer=user, comment_id=comment.pk)
    return Status(201, comment_out(request, fresh, moderator=selectors.is_moderator(viewer=user)))


@comments_router.get(
    "/records/{record_id}/comments",
    auth=bearer_session_or_anonymous,
    response={200: ThreadPageOut, **READ_ERRORS},
    summary="A record's comments: top-level ones newest first (the pinned one first), each "
    "with its first replies",
)
def record_comments(request: HttpRequest, record_id: int, query: Query[ThreadsQuery]) -> Any:
    record = selectors.comment_target_record(record_id=record_id)
    return _threads_out(request, query, record=record)


@comments_router.post(
    "/records/{record_id}/comments",
    response={201: CommentOut, **ERRORS},
    summary="Comment on a record, or reply to one of its comments (`parent`)",
)
def record_comment_create(
    request: HttpRequest, record_id: int, payload: CommentIn
) -> Status[dict[str, Any]]:
    record = selectors.comment_target_record(record_id=record_id)
    return _create(request, payload, record=record)


@comments_router.get(
    "/productions/{production_id}/comments",
    auth=bearer_session_or_anonymous,
    response={200: ThreadPageOut, **READ_ERRORS},
    summary="A production's comments (`segment`: one released segment's), as for a record",
)
def production_comments(
    request: HttpRequest, production_id: int, query: Query[ProductionThreadsQuery]
) -> Any:
    production = selectors.comment_target_production(
        viewer=request.user, production_id=production_id
    )
    selectors.segment_check(production=production, segment_number=query.segment)
    return _threads_out(request, query, production=production, segment_number=query.segment)


@comments_router.post(
    "/productions/{production_id}/comments",
    response={201: CommentOut, **ERRORS},
    summary="Comment on a production or one of its released segments (`segment`), or reply",
)
def production_comment_create(
    request: HttpRequest, production_id: int, payload: CommentIn, query: Query[SegmentQuery]
) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    production = selectors.comment_target_production(viewer=user, production_id=production_id)
    return _create(request, payload, production=production, segment_number=query.segment)


@comments_router.get(
    "/comments/{comment_id}",
    auth=bearer_session_or_anonymous,
    response={200: CommentOut, **READ_ERRORS},
    summary="One comment (a tombstone once deleted; collapsed if you blocked its author, "
    "unless `show_blocked`)",
)
def comment_detail(request: HttpRequest, comment_id: int, query: Query[CommentQuery]) -> Any:
    comment = selectors.comment_get_visible(
        viewer=request.user, comment_id=comment_id, show_blocked=query.show_blocked
    )
    return comment_out(request, comment, moderator=selectors.is_moderator(viewer=request.user))


@comments_router.get(
    "/comments/{comment_id}/replies",
    auth=bearer_session_or_anonymous,
    response={200: ReplyPageOut, **READ_ERRORS},
    summary="Replies, oldest first: a top-level comment's whole thread, a reply's own replies",
)
def comment_replies(request: HttpRequest, comment_id: int, query: Query[RepliesQuery]) -> Any:
    comment = selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    page = selectors.comment_replies(
        viewer=request.user, comment=comment, cursor=query.cursor, limit=query.limit
    )
    moderator = selectors.is_moderator(viewer=request.user)
    return {
        "items": [comment_out(request, c, moderator=moderator) for c in page.items],
        "next_cursor": page.next_cursor,
    }


@comments_router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, **ERRORS},
    summary="Its author edits it (marked edited; the earlier text is kept for moderators)",
)
def comment_update(request: HttpRequest, comment_id: int, payload: CommentPatchIn) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    services.comment_edit(actor=user, comment=comment, body=payload.body)
    return _fresh(request, user, comment_id)


@comments_router.delete(
    "/comments/{comment_id}",
    response={200: CommentOut, **ERRORS},
    summary="Its author deletes it: a tombstone keeps its replies",
)
def comment_remove(request: HttpRequest, comment_id: int) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    services.comment_delete(actor=user, comment=comment)
    return _fresh(request, user, comment_id)


@comments_router.post(
    "/comments/{comment_id}/pin",
    response={200: CommentOut, **ERRORS},
    summary="The record's author (a production's producers) pins it; another pin is lifted",
)
def comment_pin(request: HttpRequest, comment_id: int) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    services.comment_pin(actor=user, comment=comment)
    return _fresh(request, user, comment_id)


@comments_router.delete(
    "/comments/{comment_id}/pin",
    response={200: CommentOut, **ERRORS},
    summary="Lift its pin",
)
def comment_unpin(request: HttpRequest, comment_id: int) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    services.comment_unpin(actor=user, comment=comment)
    return _fresh(request, user, comment_id)


@comments_router.get(
    "/comments/{comment_id}/history",
    response={200: list[RevisionOut], **ERRORS},
    summary="Moderators: its earlier texts, newest first",
)
def comment_history(request: HttpRequest, comment_id: int) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    revisions = selectors.comment_history(viewer=user, comment=comment)
    return [{"body": r.body, "replaced_at": r.created_at} for r in revisions]


def _fresh(request: HttpRequest, user: User, comment_id: int) -> dict[str, Any]:
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    return comment_out(request, comment, moderator=selectors.is_moderator(viewer=user))
