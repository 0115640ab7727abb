"""Moderation's reads: the moderators' queue (open reports grouped by what they report,
oldest first, a page at a time, with the reported content in context), the appeals waiting,
and a member's own case for their appeal page."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from riffhouse.accounts.models import User
from riffhouse.accounts.selectors import moderator_ids_besides, user_is_moderator
from riffhouse.community.models import Comment, CommentRevision
from riffhouse.core.cursors import cursor_decode, cursor_encode
from riffhouse.core.errors import NotFound, PermissionDenied
from riffhouse.moderation.models import TARGET_FIELDS, Appeal, ModerationAction, Report
from riffhouse.productions.models import Production
from riffhouse.records.models import Record
from riffhouse.records.selectors import Viewer, records_cover_art_attach

QUEUE_PAGE = 25
QUEUE_MAX_PAGE = 100
RECENT_RECORDS = 4


def moderator_check(*, viewer: Viewer) -> User:
    """The viewer, if they moderate; 403 otherwise (401 is the API's for visitors)."""
    if not user_is_moderator(user=viewer):
        raise PermissionDenied("Only moderators can see this.", code="not_moderator")
    assert isinstance(viewer, User)
    return viewer


@dataclass
class QueueItem:
    """One reported target: its open reports (oldest first) and what they report."""

    kind: str
    pk: int
    first_at: Any
    count: int
    reports: list[Report] = field(default_factory=list)
    target: Any = None
    # A member's recent records (member reports only).
    recent: list[Record] = field(default_factory=list)


@dataclass
class Queue:
    """One page of the queue, the counts of all of it, and the cursor of the next page."""

    items: list[QueueItem]
    open_reports: int
    open_targets: int
    open_appeals: int
    next_cursor: str | None = None


def _records_with_cards(ids: list[int]) -> dict[int, Record]:
    records = list(
        Record.objects.filter(pk__in=ids)
        .select_related("author", "live_version", "cover")
        .prefetch_related("live_version__renditions")
    )
    records_cover_art_attach(records=records)
    return {r.pk: r for r in records}


def moderation_queue(
    *, viewer: Viewer, cursor: str | None = None, limit: int | None = None
) -> Queue:
    """Open reports grouped by target, the longest-waiting target first, `limit` targets
    (`QUEUE_PAGE`) after `cursor` (the previous page's `next_cursor`), each with its reports
    and the content in context: the record (its card), the comment (its parent and edit
    history), the production, the member (profile summary and recent records). A fixed
    number of queries however many targets; a malformed cursor is an ApplicationError (400
    `invalid_cursor`).

    A target's place is its oldest open report (time, then id: the smallest report id is
    the target's alone, so no two targets tie). Reports of a target are closed together, so
    that place holds while it waits: acting on one page moves nothing on the next."""
    moderator_check(viewer=viewer)
    limit = max(1, min(QUEUE_PAGE if limit is None else limit, QUEUE_MAX_PAGE))
    open_reports = Report.objects.filter(status=Report.Status.OPEN)
    keys = [f"{name}_id" for name in TARGET_FIELDS]
    grouped = open_reports.values(*keys).annotate(
        first_at=Min("created_at"), first_id=Min("pk"), n=Count("pk")
    )
    if cursor:
        stamp, pk = cursor_decode(cursor=cursor)
        grouped = grouped.filter(Q(first_at__gt=stamp) | Q(first_at=stamp, first_id__gt=pk))
    groups = list(grouped.order_by("first_at", "first_id")[: limit + 1])
    next_cursor = None
    if len(groups) > limit:
        last = groups[limit - 1]
        next_cursor = cursor_encode(at=last["first_at"], pk=last["first_id"])
        groups = groups[:limit]
    items: list[QueueItem] = []
    for group in groups:
        kind = next(name for name in TARGET_FIELDS if group[f"{name}_id"] is not None)
        items.append(
            QueueItem(
                kind=kind, pk=group[f"{kind}_id"], first_at=group["first_at"], count=group["n"]
            )
        )
    by_kind: dict[str, list[int]] = {name: [] for name in TARGET_FIELDS}
    for item in items:
        by_kind[item.kind].append(item.pk)
    rows: dict[tuple[str, int], Any] = {}
    if by_kind["record"]:
        rows.update({("record", pk): r for pk, r in _records_with_cards(by_kind["record"]).items()})
    if by_kind["comment"]:
        comments = (
            Comment.objects.filter(pk__in=by_kind["comment"])
            .select_related("author", "parent", "parent__author", "record", "production")
            .prefetch_related(
                Prefetch(
                    "revisions", queryset=CommentRevision.objects.order_by("-created_at", "-pk")
                )
            )
        )
        rows.update({("comment", c.pk): c for c in comments})
    if by_kind["production"]:
        productions = Production.objects.filter(pk__in=by_kind["production"]).select_related(
            "created_by"
        )
        rows.update({("production", p.pk): p for p in productions})
    recent: dict[int, list[Record]] = {}
    if by_kind["member"]:
        members = User.objects.filter(pk__in=by_kind["member"])
        rows.update({("member", m.pk): m for m in members})
        ranked = (
            Record.objects.filter(author_id__in=by_kind["member"], deleted_at__isnull=True)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("author_id")], order_by=[F("created_at").desc()]
                )
            )
            .filter(rank__lte=RECENT_RECORDS)
            .select_related("author")
            .order_by("author_id", "-created_at")
        )
        for record in ranked:
            if record.author_id is not None:
                recent.setdefault(record.author_id, []).append(record)
    reports_of: dict[tuple[str, int], list[Report]] = {}
    if items:
        match = Q()
        for name, ids in by_kind.items():
            if ids:
                match |= Q(**{f"{name}_id__in": ids})
        for report in (
            open_reports.filter(match).select_related("reporter").order_by("created_at", "pk")
        ):
            reports_of.setdefault(report.target_key, []).append(report)
    for item in items:
        item.target = rows.get((item.kind, item.pk))
        item.reports = reports_of.get((item.kind, item.pk), [])
        if item.kind == "member":
            item.recent = recent.get(item.pk, [])
    return Queue(
        items=items,
        open_reports=open_reports.count(),
        open_targets=open_reports.values(*keys).distinct().count(),
        open_appeals=Appeal.objects.filter(status=Appeal.Status.OPEN).count(),
        next_cursor=next_cursor,
    )


def _actions() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related(
        "moderator", "subject", "record", "comment", "production", "member", "undone_by"
    )


def appeal_decide_refusal(
    *, moderator: User, appeal: Appeal, others: Sequence[int] | None = None
) -> PermissionDenied | None:
    """Why `moderator` may not decide `appeal`, or None when they may. An appeal asks for a
    second look, so it is decided by someone other than the member appealing (403
    `own_appeal`) and other than the moderator who took the action (403 `own_action`) —
    unless no other moderator could: on an instance with one moderator, they decide, or the
    member would never hear back. `others` is `moderator_ids_besides(user_id=moderator.pk,
    limit=2)`, read here when not given (a page of appeals reads it once for all)."""
    if appeal.member_id == moderator.pk:
        return PermissionDenied(
            "This is your own appeal: another moderator decides it.", code="own_appeal"
        )
    if appeal.action.moderator_id != moderator.pk:
        return None
    if others is None:
        others = moderator_ids_besides(user_id=moderator.pk, limit=2)
    if any(pk != appeal.member_id for pk in others):
        return PermissionDenied(
            "You took this action, so another moderator decides its appeal.", code="own_action"
        )
    return None


@dataclass
class AppealPage:
    """One page of the appeals waiting, the oldest first, and the cursor of the next."""

    items: list[Appeal]
    next_cursor: str | None


def appeals_open(
    *, viewer: Viewer, cursor: str | None = None, limit: int | None = None
) -> AppealPage:
    """Appeals waiting for a decision, the oldest first, `limit` (`QUEUE_PAGE`) after
    `cursor`, with their actions; each with `decide_refusal`, why the viewer may not decide
    it (None when they may). Paged, so appeals a moderator may not decide (their own
    actions') never hide the others. A malformed cursor is a 400 `invalid_cursor`."""
    moderator = moderator_check(viewer=viewer)
    limit = max(1, min(QUEUE_PAGE if limit is None else limit, QUEUE_MAX_PAGE))
    waiting = Appeal.objects.filter(status=Appeal.Status.OPEN)
    if cursor:
        at, pk = cursor_decode(cursor=cursor)
        waiting = waiting.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
    appeals = list(
        waiting.select_related(
            "member",
            "action",
            "action__moderator",
            "action__record",
            "action__comment",
            "action__production",
            "action__member",
        ).order_by("created_at", "pk")[: limit + 1]
    )
    next_cursor = None
    if len(appeals) > limit:
        next_cursor = cursor_encode(at=appeals[limit - 1].created_at, pk=appeals[limit - 1].pk)
        appeals = appeals[:limit]
    others = moderator_ids_besides(user_id=moderator.pk, limit=2)
    for appeal in appeals:
        appeal.decide_refusal = appeal_decide_refusal(  # type: ignore[attr-defined]
            moderator=moderator, appeal=appeal, others=others
        )
    return AppealPage(items=appeals, next_cursor=next_cursor)


def actions_recent(*, viewer: Viewer, limit: int = QUEUE_PAGE) -> list[ModerationAction]:
    """The latest actions, newest first (for undo)."""
    moderator_check(viewer=viewer)
    return list(_actions().order_by("-created_at", "-pk")[:limit])


def action_get_for_member(*, viewer: Viewer, action_id: int) -> ModerationAction:
    """An action as its member sees it (what, why, their appeal); moderators see any.
    404 for anyone else."""
    action = _actions().filter(pk=action_id).first()
    if action is None or not viewer.is_authenticated:
        raise NotFound("No moderation action here.")
    if action.subject_id != viewer.pk and not user_is_moderator(user=viewer):
        raise NotFound("No moderation action here.")
    action.appeal_row = Appeal.objects.filter(action=action).first()  # type: ignore[attr-defined]
    return action
