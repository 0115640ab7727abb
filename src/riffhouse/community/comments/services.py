"""Writes of comments: create (a comment or a reply), edit, delete (a tombstone), pin and
unpin. Each checks its own permissions, keeps the target's comment count exact with F()
in its transaction, leaves an audit row, and tells people through `community.notify`.

Who is told about a new comment (one notification per member, the most specific wins):
each member it mentions (MENTIONED), else the author of the comment it replies to
(REPLIED), else, for a top-level comment, the target's owners (COMMENTED): the record's
author or the production's producers. Nobody is told of their own comment, nor anybody in
a block with its author (see `_mentions`; `notify`'s job checks blocks again).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.selectors import block_between
from riffhouse.accounts.services import audit
from riffhouse.community.comments import selectors
from riffhouse.community.comments.text import (
    MAX_BODY_CHARS,
    comment_excerpt,
    comment_render,
    link_mentions,
    mentioned_names,
)
from riffhouse.community.models import (
    Comment,
    CommentRevision,
    Mention,
    NotificationVerb,
    ProductionStats,
    RecordStats,
)
from riffhouse.community.notify import notify
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.core.ratelimit import rate_limit_hit
from riffhouse.productions.models import Production
from riffhouse.productions.selectors import production_lock
from riffhouse.records.models import Record

Action = AuditEvent.Action


# Checks --------------------------------------------------------------------------------------
def comment_body_check(*, body: str) -> str:
    """The body as stored (line endings made `\\n`), or ApplicationError: empty, or longer
    than MAX_BODY_CHARS (`too_long`)."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        raise ApplicationError("Write something first.", code="empty", field="body")
    if len(body) > MAX_BODY_CHARS:
        raise ApplicationError(
            f"A comment can be at most {MAX_BODY_CHARS:,} characters long "
            f"(this one has {len(body):,}).",
            code="too_long",
            field="body",
        )
    return body


def _check_not_blocked(*, author: User, other_ids: list[int], what: str) -> None:
    for other_id in other_ids:
        if block_between(user_id=author.pk, other_id=other_id):
            raise PermissionDenied(f"You can't comment on {what}.", code="blocked")


def _mentions(*, author: User, html: str) -> tuple[str, list[User]]:
    """The comment HTML with its mentions linked, and the members mentioned: active ones
    not in a block with `author` (anyone else's name stays plain text, harmlessly). Two
    queries at most."""
    members = selectors.members_mentionable(names=mentioned_names(html))
    blocked = selectors.blocks_with(user_id=author.pk, other_ids=[m.pk for m in members])
    members = [m for m in members if m.pk not in blocked]
    links = {m.username.lower(): m.get_absolute_url() for m in members}
    return link_mentions(html, links=links), members


def _stats_move(*, comment: Comment, delta: int) -> None:
    """Move the target's comment count by `delta` with F(), creating its stats row first."""
    enough = {"comments__gte": -delta} if delta < 0 else {}
    if comment.record_id is not None:
        RecordStats.objects.get_or_create(record_id=comment.record_id)
        RecordStats.objects.filter(record_id=comment.record_id, **enough).update(
            comments=F("comments") + delta
        )
    else:
        assert comment.production_id is not None
        ProductionStats.objects.get_or_create(production_id=comment.production_id)
        ProductionStats.objects.filter(production_id=comment.production_id, **enough).update(
            comments=F("comments") + delta
        )


# Create --------------------------------------------------------------------------------------
@transaction.atomic
def comment_create(
    *,
    author: User,
    body: str,
    record: Record | None = None,
    production: Production | None = None,
    segment_number: int | None = None,
    parent: Comment | None = None,
) -> Comment:
    """`author` comments on a record, a production or one of its released segments, or
    replies to `parent` (whose target it takes; naming another target is refused).

    Refused: an empty or too long body (400); a target that is not public — a draft,
    deleted or hidden record, a draft production (404); a segment outside the released
    lineup (400 `segment_invalid`); a reply to a comment hidden by moderators (400); a block
    between `author` and the target's owner or the replied-to author (403 `blocked`); too
    many comments in a short time (429). A reply to a deleted comment is allowed: the
    tombstone keeps the conversation's place (decision 0032).
    """
    body = comment_body_check(body=body)
    if parent is not None:
        parent = Comment.objects.select_related("record", "production").get(pk=parent.pk)
        if (record is not None and record.pk != parent.record_id) or (
            production is not None
            and (production.pk != parent.production_id or segment_number != parent.segment_number)
        ):
            raise ApplicationError(
                "That comment belongs to another conversation.",
                code="parent_elsewhere",
                field="parent",
            )
        if parent.hidden_at is not None:
            raise ApplicationError(
                "Moderators hid that comment, so it can't be replied to.",
                code="parent_hidden",
                field="parent",
            )
        record_id, production_id = parent.record_id, parent.production_id
        segment_number = parent.segment_number
    else:
        if (record is None) == (production is None):
            raise ApplicationError("Comment on a record or a production.", code="no_target")
        record_id = record.pk if record is not None else None
        production_id = production.pk if production is not None else None

    # Fresh reads of the target: what the caller holds may be stale.
    if record_id is not None:
        target_record = selectors.comment_target_record(record_id=record_id)
        if segment_number is not None:
            raise ApplicationError(
                "Only a production has segments.", code="segment_invalid", field="segment"
            )
        owners = [target_record.author_id] if target_record.author_id else []
        _check_not_blocked(author=author, other_ids=owners, what="this record")
        target_production = None
    else:
        assert production_id is not None
        target_production = selectors.comment_target_production(
            viewer=author, production_id=production_id
        )
        selectors.segment_check(production=target_production, segment_number=segment_number)
        owners = selectors.producer_ids(production_id=production_id)
        _check_not_blocked(author=author, other_ids=owners, what="this production")
        target_record = None
    if parent is not None and parent.author_id is not None and parent.deleted_at is None:
        _check_not_blocked(author=author, other_ids=[parent.author_id], what="this comment")

    rate_limit_hit(action="comment", user_id=author.pk, joined_at=author.date_joined)

    html, mentioned = _mentions(author=author, html=comment_render(body))
    comment = Comment.objects.create(
        author=author,
        record=target_record,
        production=target_production,
        segment_number=segment_number,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent is not None else None,
        body=body,
        body_html=html,
    )
    if parent is not None:
        Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
    Mention.objects.bulk_create([Mention(comment=comment, user=m) for m in mentioned])
    _stats_move(comment=comment, delta=1)
    audit(
        action=Action.COMMENT_CREATED,
        subject=author,
        actor=author,
        target=comment,
        record=record_id,
        production=production_id,
        segment=segment_number,
        parent=parent.pk if parent is not None else None,
    )

    told: set[int] = {author.pk}
    excerpt = comment_excerpt(body)

    def tell(user_ids: list[int], verb: str) -> None:
        fresh = [pk for pk in user_ids if pk not in told]
        told.update(fresh)
        notify(
            recipient_ids=fresh,
            actor_id=author.pk,
            verb=verb,
            record_id=record_id,
            production_id=production_id,
            comment_id=comment.pk,
            text=excerpt,
        )

    tell([m.pk for m in mentioned], NotificationVerb.MENTIONED)
    if parent is not None:
        if parent.author_id is not None and parent.deleted_at is None:
            tell([parent.author_id], NotificationVerb.REPLIED)
    else:
        tell(owners, NotificationVerb.COMMENTED)
    return comment


# Edit and delete -----------------------------------------------------------------------------
def _lock_own(*, actor: User, comment: Comment, doing: str) -> Comment:
    """The comment's row, locked, if `actor` wrote it and it still shows."""
    locked = (
        # Only the comment's own row: PostgreSQL locks no nullable side of an outer join.
        Comment.objects.select_for_update(of=("self",))
        .select_related("record", "production")
        .filter(pk=comment.pk)
        .first()
    )
    if locked is None:
        raise NotFound("No comment here.")
    if locked.author_id != actor.pk:
        raise PermissionDenied(f"Only its author can {doing} a comment.", code="not_author")
    return locked


@transaction.atomic
def comment_edit(*, actor: User, comment: Comment, body: str) -> Comment:
    """Its author changes its text. The earlier text is kept (CommentRevision, for
    moderators), the comment is marked edited, and only members mentioned for the first
    time are told. Refused: someone else's comment (403), a deleted one (400), one hidden
    by moderators (403), an empty or too long body (400)."""
    body = comment_body_check(body=body)
    comment = _lock_own(actor=actor, comment=comment, doing="edit")
    if comment.deleted_at is not None:
        raise ApplicationError("A deleted comment can't be edited.", code="deleted")
    if comment.hidden_at is not None:
        raise PermissionDenied("Moderators hid this comment; it can't be edited.", code="hidden")
    if body == comment.body:
        return comment
    html, mentioned = _mentions(author=actor, html=comment_render(body))
    CommentRevision.objects.create(comment=comment, body=comment.body)
    comment.body = body
    comment.body_html = html
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    # Mention rows record who was told: a name edited out and back in is not told twice.
    already = set(Mention.objects.filter(comment=comment).values_list("user_id", flat=True))
    new = [m for m in mentioned if m.pk not in already]
    Mention.objects.bulk_create([Mention(comment=comment, user=m) for m in new])
    audit(action=Action.COMMENT_EDITED, subject=actor, actor=actor, target=comment)
    notify(
        recipient_ids=[m.pk for m in new],
        actor_id=actor.pk,
        verb=NotificationVerb.MENTIONED,
        record_id=comment.record_id,
        production_id=comment.production_id,
        comment_id=comment.pk,
        text=comment_excerpt(body),
    )
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """Its author deletes it: a tombstone ("Comment deleted") keeps its place and its
    replies; the text moves to a CommentRevision for moderators, a pin is lifted and the
    target's count goes down. Deleting it again changes nothing. Someone else's: 403."""
    comment = _lock_own(actor=actor, comment=comment, doing="delete")
    if comment.deleted_at is not None:
        return comment
    CommentRevision.objects.create(comment=comment, body=comment.body)
    comment.body = ""
    comment.body_html = ""
    comment.deleted_at = timezone.now()
    comment.pinned_at = None
    comment.save(update_fields=["body", "body_html", "deleted_at", "pinned_at"])
    _stats_move(comment=comment, delta=-1)
    audit(action=Action.COMMENT_DELETED, subject=actor, actor=actor, target=comment)
    return comment


# Pins ----------------------------------------------------------------------------------------
def _lock_for_pin(*, actor: User, comment: Comment) -> Comment:
    """Lock the target (so two pins of one target queue) and check `actor` may pin there."""
    comment = Comment.objects.select_related("record", "production").get(pk=comment.pk)
    if comment.record_id is not None:
        Record.objects.select_for_update().filter(pk=comment.record_id).first()
    else:
        assert comment.production_id is not None
        production_lock(production_id=comment.production_id)
    comment.refresh_from_db(fields=["pinned_at", "deleted_at", "hidden_at", "root"])
    if not selectors.may_pin(viewer=actor, comment=comment):
        what = "the record's author" if comment.record_id else "the production's producers"
        raise PermissionDenied(f"Only {what} can pin a comment.", code="not_owner")
    return comment


@transaction.atomic
def comment_pin(*, actor: User, comment: Comment) -> Comment:
    """The record's author (a production's producers) pins a top-level comment that still
    shows: it comes first. One pinned comment per record or production (a segment's
    comments included): pinning another lifts the pin of the first."""
    comment = _lock_for_pin(actor=actor, comment=comment)
    if comment.root_id is not None:
        raise ApplicationError("Only a top-level comment can be pinned.", code="not_top_level")
    if comment.deleted_at is not None or comment.hidden_at is not None:
        raise ApplicationError("That comment no longer shows.", code="not_shown")
    if comment.pinned_at is not None:
        return comment
    target = (
        {"record_id": comment.record_id}
        if comment.record_id is not None
        else {"production_id": comment.production_id}
    )
    for previous in Comment.objects.filter(**target, pinned_at__isnull=False):
        Comment.objects.filter(pk=previous.pk).update(pinned_at=None)
        audit(action=Action.COMMENT_UNPINNED, subject=previous.author, actor=actor, target=previous)
    comment.pinned_at = timezone.now()
    comment.save(update_fields=["pinned_at"])
    audit(action=Action.COMMENT_PINNED, subject=comment.author, actor=actor, target=comment)
    return comment


@transaction.atomic
def comment_unpin(*, actor: User, comment: Comment) -> Comment:
    """Lift the pin (nothing changes if it is not pinned)."""
    comment = _lock_for_pin(actor=actor, comment=comment)
    if comment.pinned_at is None:
        return comment
    comment.pinned_at = None
    comment.save(update_fields=["pinned_at"])
    audit(action=Action.COMMENT_UNPINNED, subject=comment.author, actor=actor, target=comment)
    return comment
