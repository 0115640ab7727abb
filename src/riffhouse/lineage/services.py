"""Every write to the remix graph: creating a remix, editing a record's sources, and asking
for (and giving) a source author's consent.

The rules, checked before anything is saved:
- a source must exist, be visible to the remixer, not be deleted, and not be closed to
  remixes (its own author may always build on their work);
- a source whose author asks first (`ask`), or whose licence needs permission ("all rights
  reserved"), needs an approved remix request; until every such request is approved the
  remix stays a draft, and it is published on approval when its author asked for that;
- the remix's licence must be one every source allows;
- no record is its own source, no source is listed twice, and no edit makes a cycle.

Source links point at the exact source version used. `Record.remix_count` (published remixes)
is recounted under a lock on the source rows in the same transaction, so it stays exact
under concurrent remixes.

Records cannot import lineage: a record's sources reach here through records' hooks
(`records/hooks.py`), registered in `apps.py` — `remix_plan` and `record_sources_set` as the
sources handler that `record_create` and `record_update` call, and the guards and steps
below (`remix_check_publishable`, `remix_check_licence`, `remix_published`, ...) that
records' services call when a record is published, takes a licence or is deleted.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.selectors import block_between
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.core.ratelimit import rate_limit_hit
from riffhouse.lineage import hooks
from riffhouse.lineage.chains import chain_join, chain_leave
from riffhouse.lineage.licences import LICENCES, licence_check
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.lineage.rules import (
    MAX_ASKS,
    Resolved,
    message_check,
    proposed_licence,
    remix_needs_approval,
    sources_error,
    sources_resolve,
)
from riffhouse.records import services as record_services
from riffhouse.records.hooks import SourceSpec as SourceSpec  # where remixers name it
from riffhouse.records.models import (
    Record,
    RemixPolicy,
    Visibility,
)
from riffhouse.records.selectors import record_check_editable

# Any fixed number: PostgreSQL's advisory lock that serialises edits of existing sources, the
# only writes that could close a cycle (a new record has no remixes yet).
_SOURCES_EDIT_LOCK = 0x5249_4646  # "RIFF"


def _link(remix: Record, resolved: Sequence[Resolved], start: int = 0) -> list[SourceLink]:
    return SourceLink.objects.bulk_create(
        SourceLink(
            record=remix,
            source=r.source,
            source_version=r.version,
            usage=r.spec.usage,
            start_ms=r.spec.start_ms,
            end_ms=r.spec.end_ms,
            position=start + i,
        )
        for i, r in enumerate(resolved)
    )


def _ask(
    *,
    remix: Record,
    requester: User,
    resolved: Iterable[Resolved],
    message: str,
    publish: bool,
    times_asked: int = 1,
) -> list[RemixRequest]:
    resolved = list(resolved)
    if resolved:  # one ask, however many sources it names, counts once
        rate_limit_hit(
            action="remix_request", user_id=requester.pk, joined_at=requester.date_joined
        )
    requests = []
    for r in resolved:
        request, _ = RemixRequest.objects.update_or_create(
            remix=remix,
            source=r.source,
            defaults={
                "requester": requester,
                "owner_id": r.source.author_id,
                "status": RemixRequest.Status.PENDING,
                "message": message,
                "response_note": "",
                "decided_at": None,
                "publish_on_approval": publish,
                "times_asked": times_asked,
            },
        )
        requests.append(request)
        hooks.after_remix_requested(request=request)
    return requests


@changes_public_pages
def remix_counts_refresh(*, source_ids: Iterable[int]) -> None:
    """Recount the published remixes of these records, holding their rows' locks: concurrent
    remixes of one source queue here, and each count sees the ones committed before it.
    Records writes the counts (`remix_counts_set`); lineage says what they are."""
    published = (
        SourceLink.objects.filter(
            source=OuterRef("pk"),
            record__visibility=Visibility.PUBLISHED,
            record__published_at__isnull=False,
        )
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    record_services.remix_counts_set(
        record_ids=source_ids, count=Coalesce(Subquery(published), Value(0))
    )


@changes_public_pages
def remix_published(*, record: Record) -> None:
    """A remix became public for the first time (records' `after_publish` hook, and
    `remix_create` when it is public at once): recount its sources and tell their authors —
    except those who approved it a moment ago."""
    links = list(
        SourceLink.objects.filter(record=record).select_related("source", "record__author")
    )
    if not links:
        return
    remix_counts_refresh(source_ids=[link.source_id for link in links])
    approved = set(
        RemixRequest.objects.filter(remix=record, status=RemixRequest.Status.APPROVED).values_list(
            "source_id", flat=True
        )
    )
    for link in links:
        if link.source.author_id != record.author_id and link.source_id not in approved:
            hooks.after_remix_created(link=link)


@changes_public_pages
def remix_sources_recount(*, record: Record) -> None:
    """Records' `after_visibility_change` hook: a remix published again or back to a draft
    counts again, or no longer, on its sources."""
    remix_counts_refresh(
        source_ids=SourceLink.objects.filter(record_id=record.pk).values_list(
            "source_id", flat=True
        )
    )


@changes_public_pages
def remix_sources_recount_deleted(*, records: Sequence[Record]) -> None:
    """Records' `after_delete` hook: recount the sources of these tombstones (a published
    remix keeps counting on its sources, as its credit does)."""
    remix_counts_refresh(
        source_ids=SourceLink.objects.filter(record_id__in=[r.pk for r in records]).values_list(
            "source_id", flat=True
        )
    )


def remix_check_publishable(*, record: Record) -> None:
    """Records' `may_publish` hook: a remix with a pending or declined remix request stays a
    draft — and keeps that source (`record_sources_set`), so a decline holds."""
    waiting = (
        RemixRequest.objects.filter(
            remix_id=record.pk,
            status__in=[RemixRequest.Status.PENDING, RemixRequest.Status.DECLINED],
        )
        .select_related("source")
        .first()
    )
    if waiting is None:
        return
    if waiting.status == RemixRequest.Status.PENDING:
        detail = (
            f"This remix stays a draft until the author of “{waiting.source.title}” answers "
            "your remix request."
        )
    elif waiting.times_asked < MAX_ASKS:
        detail = (
            f"This remix stays a draft: the author of “{waiting.source.title}” declined it. "
            "You can ask again with a new message, or delete it."
        )
    else:
        detail = (
            f"This remix stays a draft: the author of “{waiting.source.title}” declined it "
            "again, and that answer is final. You can delete it."
        )
    raise ApplicationError(detail, code="awaiting_approval", status=409, field="visibility")


def remix_check_licence(*, record: Record, licence: str) -> None:
    """Records' `may_change_licence` hook: a remix's licence stays one its sources allow."""
    licences = list(
        SourceLink.objects.filter(record_id=record.pk).values_list("source__licence", flat=True)
    )
    if licences:
        licence_check(remix=licence, sources=licences)


def _is_public_now(record_id: int) -> bool:
    return Record.objects.filter(
        pk=record_id, visibility=Visibility.PUBLISHED, published_at__isnull=False
    ).exists()


@dataclass
class RemixPlan:
    """The checked sources of a remix about to be created (records' `SourcesPlan`): the
    licence it gets, whether it waits as a draft, and `apply` to link it once it exists."""

    author: User
    resolved: list[Resolved]
    licence: str | None
    message: str
    publish: bool
    asking: list[Resolved] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        return bool(self.asking)

    def apply(self, *, record: Record) -> None:
        _link(record, self.resolved)
        chain_join(record.pk)
        _ask(
            remix=record,
            requester=self.author,
            resolved=self.asking,
            message=self.message,
            publish=self.publish,
        )
        if self.resolved and _is_public_now(record.pk):
            # Processed already (an immediate task backend): announce it here; otherwise its
            # first publication does, through records' `after_publish` hook.
            remix_published(record=record)
        audit(
            action=AuditEvent.Action.REMIX_CREATED,
            actor=self.author,
            subject=self.author,
            target=record,
            sources=[r.source.pk for r in self.resolved],
            asked=[r.source.pk for r in self.asking],
        )


def remix_plan(
    *,
    author: User,
    sources: Sequence[SourceSpec],
    licence: str | None,
    visibility: str,
    message: str,
) -> RemixPlan:
    """Check the sources of a record about to be created (records' sources handler, called
    by `record_create` in its transaction): each is locked and checked, the licence is
    proposed (None given: the most permissive one every source allows) or checked, and
    sources that need consent will get a remix request each, the remix waiting as a draft
    until all are approved (published then if `visibility` asked for it)."""
    message = message_check(message)
    resolved = sources_resolve(actor=author, specs=sources)
    source_licences = [r.source.licence for r in resolved]
    if licence is None or licence == "":
        licence = proposed_licence(sources=[r.source for r in resolved]) if resolved else None
        if licence is None and resolved:
            licence_check(remix="", sources=source_licences)  # says which cannot combine
    if licence is not None and resolved:
        if licence not in LICENCES:
            raise ApplicationError(
                f"Unknown licence “{licence[:40]}”.", code="invalid_licence", field="licence"
            )
        licence_check(remix=licence, sources=source_licences)
    return RemixPlan(
        author=author,
        resolved=resolved,
        licence=licence,
        message=message,
        publish=visibility == Visibility.PUBLISHED,
        asking=[r for r in resolved if r.needs_request],
    )


@changes_public_pages
def remix_create(
    *,
    author: User,
    sources: Sequence[SourceSpec],
    licence: str | None = None,
    visibility: str = Visibility.PUBLISHED,
    message: str = "",
    **fields: Any,
) -> Record:
    """Create a remix: a record built on `sources` (at least one), through
    `records.services.record_create`, which has the sources handler (`remix_plan`) check
    them and link them in its transaction. Sources that need consent get a remix request
    each, and the remix waits as a draft until all are approved (published then if
    `visibility` asked for it). Nothing is saved if any check fails."""
    if not sources:
        raise sources_error("A remix needs at least one source.", "no_sources")
    return record_services.record_create(
        author=author,
        sources=sources,
        licence=licence,
        visibility=visibility,
        message=message,
        **fields,
    )


def _sources_edit_lock() -> None:
    """Serialise source edits (SQLite's IMMEDIATE transactions already do)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SOURCES_EDIT_LOCK])


def _check_declarations_kept(*, record: Record, removed: Sequence[SourceLink]) -> None:
    """A record keeps a source whose author was asked and has not approved: removing it
    would publish the remix around a decline (or an answer still to come). Other sources
    may go. Asking again, or deleting the record, are the ways on (decision 0017)."""
    if not removed:
        return
    held = (
        RemixRequest.objects.filter(
            remix=record,
            source_id__in=[link.source_id for link in removed],
            status__in=[RemixRequest.Status.PENDING, RemixRequest.Status.DECLINED],
        )
        .select_related("source")
        .order_by("pk")
        .first()
    )
    if held is None:
        return
    if held.status == RemixRequest.Status.DECLINED:
        raise sources_error(
            f"“{held.source.title}” stays among the sources: its author declined this remix, "
            "and a declared source cannot be removed to publish it anyway. You can ask again "
            "with a new message, or delete the record.",
            "declined_source_kept",
            409,
        )
    raise sources_error(
        f"“{held.source.title}” stays among the sources while its author considers your "
        "remix request.",
        "requested_source_kept",
        409,
    )


@changes_public_pages
@transaction.atomic
def record_sources_set(
    *,
    actor: User,
    record: Record,
    sources: Sequence[SourceSpec],
    licence: str | None = None,
    message: str = "",
) -> list[SourceLink]:
    """Replace a record's sources. Kept sources keep their version unless a new one is named;
    a source whose author was asked and has not approved cannot be removed (pending or
    declined: `_check_declarations_kept`); new ones are checked like a remix's, plus
    the cycle check. A new source that needs consent turns a published record back into a
    draft until it is approved. `licence` is the licence the record is about to get (checked
    against the new sources), if it changes in the same edit."""
    from riffhouse.lineage.selectors import record_is_ancestor

    message = message_check(message)
    _sources_edit_lock()
    # The record and every source named, locked together in id order, as remix_create locks
    # its sources: two writers never wait on each other's rows in opposite orders.
    record_services.records_lock(record_ids=[record.pk, *(s.record_id for s in sources)])
    record = Record.objects.get(pk=record.pk)
    record_check_editable(actor=actor, record=record)
    resolved = sources_resolve(actor=actor, specs=sources, remix=record)
    licence_check(remix=licence or record.licence, sources=[r.source.licence for r in resolved])
    existing = {link.source_id: link for link in SourceLink.objects.filter(record=record)}
    wanted = {r.source.pk for r in resolved}
    for r in resolved:
        if r.source.pk not in existing and record_is_ancestor(
            candidate_id=record.pk, of=r.source.pk
        ):
            raise sources_error(
                f"“{r.source.title}” is built on this record, so it cannot also be one of its "
                "sources: that would make a loop.",
                "cycle",
                409,
            )
    removed = [link for source_id, link in existing.items() if source_id not in wanted]
    _check_declarations_kept(record=record, removed=removed)
    if set(existing) != wanted or len(wanted) != 1:
        chain_leave(record.pk)  # its chain now ends before it (joined again below if it can)
    SourceLink.objects.filter(pk__in=[link.pk for link in removed]).delete()
    added: list[Resolved] = []
    for position, r in enumerate(resolved):
        link = existing.get(r.source.pk)
        if link is None:
            added.append(r)
            continue
        link.source_version = r.version
        link.usage = r.spec.usage
        link.start_ms, link.end_ms = r.spec.start_ms, r.spec.end_ms
        link.position = position
        link.save(update_fields=["source_version", "usage", "start_ms", "end_ms", "position"])
    new_links = _link(record, added, start=len(resolved) - len(added))
    chain_join(record.pk)
    asking = [
        r
        for r in added
        if r.needs_request
        and not RemixRequest.objects.filter(
            remix=record, source=r.source, status=RemixRequest.Status.APPROVED
        ).exists()
    ]
    published = record.visibility == Visibility.PUBLISHED
    if asking and published:
        record_services.record_update(actor=actor, record=record, visibility=Visibility.DRAFT)
    _ask(remix=record, requester=actor, resolved=asking, message=message, publish=True)
    remix_counts_refresh(
        source_ids=[link.source_id for link in removed] + [r.source.pk for r in added]
    )
    if published and not asking and record.published_at is not None:
        for link in new_links:
            if link.source.author_id != actor.pk:
                hooks.after_remix_created(link=link)
    audit(
        action=AuditEvent.Action.SOURCES_CHANGED,
        actor=actor,
        subject=actor,
        target=record,
        sources=[r.source.pk for r in resolved],
        added=[r.source.pk for r in added],
        removed=[link.source_id for link in removed],
    )
    return list(SourceLink.objects.filter(record=record).select_related("source"))


def _check_may_ask_again(*, request: RemixRequest, message: str) -> None:
    """After a decline the remixer may ask once more, saying something new."""
    if request.times_asked >= MAX_ASKS:
        raise ApplicationError(
            f"The author of “{request.source.title}” declined this remix twice: that answer "
            "is final. The remix stays a draft; you can delete it.",
            code="decline_final",
            status=409,
        )
    message = message_check(message)
    if not message:
        raise ApplicationError(
            "Asking again needs a message: say what changed since they declined.",
            code="message_required",
            field="message",
        )
    if message == request.message:
        raise ApplicationError(
            "Write a new message: this is the one they already declined.",
            code="message_unchanged",
            field="message",
        )


@changes_public_pages
@transaction.atomic
def remix_request_create(
    *, actor: User, source_id: int, remix_id: int, usage: str = "", message: str = ""
) -> RemixRequest:
    """Ask to use `source_id` in your record `remix_id`: it becomes one of the remix's sources
    and its author is asked. Asking again after a decline reopens the request, with a new
    message, once (`MAX_ASKS`); at most one request per remix and source is ever open."""
    remix = Record.objects.filter(pk=remix_id, author=actor, deleted_at__isnull=True).first()
    if remix is None:
        raise NotFound("You have no record with that id to ask for.", code="remix_not_found")
    source = Record.objects.filter(pk=source_id).first()
    request = RemixRequest.objects.filter(remix=remix, source_id=source_id).first()
    declined = request is not None and request.status == RemixRequest.Status.DECLINED
    if (
        not declined  # a decline holds even if the source opened since: ask again
        and source is not None
        and source.is_public
        and source.author_id != actor.pk
        and source.remix_policy == RemixPolicy.OPEN
        and not remix_needs_approval(source=source, remixer_id=actor.pk)
    ):
        raise ApplicationError(
            f"“{source.title}” is open to remix: add it as a source, no need to ask.",
            code="no_permission_needed",
        )
    if source is not None and source.author_id == actor.pk:
        raise ApplicationError("This is your own record: no need to ask.", code="own_record")
    if source is not None and block_between(user_id=actor.pk, other_id=source.author_id):
        raise PermissionDenied(
            f"You cannot ask to remix “{source.title}”: one of you blocked the other.",
            code="blocked",
        )
    current = [
        SourceSpec(
            record_id=link.source_id,
            version=link.source_version.number,
            usage=link.usage,
            start_ms=link.start_ms,
            end_ms=link.end_ms,
        )
        for link in SourceLink.objects.filter(record=remix).select_related("source_version")
    ]
    if request is not None and declined:
        _check_may_ask_again(request=request, message=message)
        _ask(
            remix=remix,
            requester=actor,
            resolved=sources_resolve(
                actor=actor, specs=[s for s in current if s.record_id == source_id], remix=remix
            ),
            message=message_check(message),
            publish=request.publish_on_approval,
            times_asked=request.times_asked + 1,
        )
    elif request is None or request.status == RemixRequest.Status.WITHDRAWN:
        current = [s for s in current if s.record_id != source_id]
        current.append(SourceSpec(record_id=source_id, usage=usage))
        if request is not None:
            request.delete()  # a fresh request: the old one was withdrawn with its source
        record_sources_set(actor=actor, record=remix, sources=current, message=message)
    else:
        raise ApplicationError(
            f"You already asked; the request is {request.get_status_display().lower()}.",
            code="already_requested",
            status=409,
        )
    return RemixRequest.objects.select_related("remix", "source").get(
        remix=remix, source_id=source_id
    )


@changes_public_pages
@transaction.atomic
def remix_request_decide(
    *, actor: User, request_id: int, approve: bool, note: str = ""
) -> RemixRequest:
    """The source's author approves or declines. Approving the last open request of a remix
    publishes it if its author asked for that."""
    request = (
        RemixRequest.objects.select_for_update(of=("self",))
        .select_related("remix", "source", "remix__author")
        .filter(pk=request_id)
        .first()
    )
    if request is None or actor.pk not in {request.owner_id, request.requester_id}:
        raise NotFound("There is no such remix request.", code="request_not_found")
    if request.owner_id != actor.pk:
        raise PermissionDenied(
            f"Only the author of “{request.source.title}” can answer this request."
        )
    if request.status != RemixRequest.Status.PENDING:
        raise ApplicationError(
            f"This request is already {request.get_status_display().lower()}.",
            code="already_decided",
            status=409,
        )
    note = message_check(note)
    request.status = RemixRequest.Status.APPROVED if approve else RemixRequest.Status.DECLINED
    request.response_note = note
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "response_note", "decided_at", "updated_at"])
    remix = request.remix
    if (
        approve
        and request.publish_on_approval
        and remix.deleted_at is None
        and remix.author is not None
        and not RemixRequest.objects.filter(
            remix=remix, status__in=[RemixRequest.Status.PENDING, RemixRequest.Status.DECLINED]
        ).exists()
    ):
        record_services.record_update(
            actor=remix.author, record=remix, visibility=Visibility.PUBLISHED
        )
    audit(
        action=AuditEvent.Action.REMIX_REQUEST_APPROVED
        if approve
        else AuditEvent.Action.REMIX_REQUEST_DECLINED,
        actor=actor,
        subject=request.requester,
        target=request,
        remix=request.remix_id,
        source=request.source_id,
    )
    hooks.after_remix_request_decided(request=request)
    return request
