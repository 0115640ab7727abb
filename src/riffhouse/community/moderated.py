"""Moderators' writes to comments (owned here by moderation's part of issue 13; the rest of
comments is community's): hide, show again, remove. Moderation's services call these, in
their own transaction with the audit row; pages render a hidden or removed comment as a
placeholder that keeps the thread (community's comment templates)."""

from django.db import transaction
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.selectors import user_is_moderator
from riffhouse.accounts.services import audit
from riffhouse.community.models import Comment, CommentRevision
from riffhouse.core.errors import ApplicationError, PermissionDenied


def _check_moderator(actor: User) -> None:
    if not user_is_moderator(user=actor):
        raise PermissionDenied("Only moderators can do that.", code="not_moderator")


def _lock(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().get(pk=comment.pk)


@transaction.atomic
def comment_hide(*, moderator: User, comment: Comment, reason: str) -> Comment:
    """Hide `comment`: its text leaves the page (a placeholder keeps its replies in place)
    and stays for moderators. Hiding a hidden comment is harmless."""
    _check_moderator(moderator)
    comment = _lock(comment)
    if comment.hidden_at is None:
        comment.hidden_at = timezone.now()
        comment.save(update_fields=["hidden_at"])
        audit(
            action=AuditEvent.Action.CONTENT_HIDDEN,
            actor=moderator,
            subject=comment.author,
            target=comment,
            reason=reason,
        )
    return comment


@transaction.atomic
def comment_unhide(*, moderator: User, comment: Comment, reason: str = "") -> Comment:
    """Show a hidden comment again (a moderator's undo)."""
    _check_moderator(moderator)
    comment = _lock(comment)
    if comment.hidden_at is not None:
        comment.hidden_at = None
        comment.save(update_fields=["hidden_at"])
        audit(
            action=AuditEvent.Action.CONTENT_UNHIDDEN,
            actor=moderator,
            subject=comment.author,
            target=comment,
            reason=reason,
        )
    return comment


@transaction.atomic
def comment_remove(*, moderator: User, comment: Comment, reason: str) -> Comment:
    """Remove `comment` as its author's deletion would: a tombstone (`deleted_at`, text
    emptied) keeps the thread; its last text is kept as a revision for moderators. Final."""
    _check_moderator(moderator)
    comment = _lock(comment)
    if comment.deleted_at is not None:
        raise ApplicationError("This comment was deleted already.", code="deleted", status=410)
    if comment.body:
        CommentRevision.objects.create(comment=comment, body=comment.body)
    comment.deleted_at = timezone.now()
    comment.body = ""
    comment.body_html = ""
    comment.save(update_fields=["deleted_at", "body", "body_html"])
    audit(
        action=AuditEvent.Action.CONTENT_REMOVED,
        actor=moderator,
        subject=comment.author,
        target=comment,
        reason=reason,
    )
    return comment
