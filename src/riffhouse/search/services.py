"""Writes of the search index (decision 0035). The lower apps' services call the handlers
here through their hooks, inside the transaction of their change, so the index changes
exactly when what it describes does: a record is indexed while `Record.objects.listed()`
returns it, a member while active and not deleted, a production while it is public (not a
draft). Each handler re-reads what it indexes and so is right whatever hook called it.
"""

import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from riffhouse.accounts.models import User
from riffhouse.lineage.models import SourceLink
from riffhouse.productions.models import Need, Production, ProductionStatus
from riffhouse.records.models import Record
from riffhouse.search.backends import Document, backend
from riffhouse.search.models import EntryType, SearchEntry

if TYPE_CHECKING:
    from riffhouse.lineage.models import SourceLink as SourceLinkType

# Things (re)indexed per batch by a rebuild.
BATCH = 1000


# Documents -----------------------------------------------------------------------------------
def _record_documents(record_ids: Sequence[int]) -> dict[int, Document]:
    """The documents of those of `record_ids` that are listed, in the order of `record_ids`:
    three reads of plain rows (no model instances: a rebuild reads a million)."""
    ids = list(record_ids)
    tags: dict[int, list[str]] = defaultdict(list)
    for record_id, name in Record.tags.through.objects.filter(record_id__in=ids).values_list(
        "record_id", "tag__name"
    ):
        tags[record_id].append(name)
    notes: dict[int, list[str]] = defaultdict(list)
    usages = SourceLink.objects.filter(record_id__in=ids).exclude(usage="").order_by("pk")
    for record_id, usage in usages.values_list("record_id", "usage"):
        notes[record_id].append(usage)
    rows = (
        Record.objects.listed()
        .filter(pk__in=ids)
        .values_list(
            "pk",
            "published_at",
            "title",
            "description",
            "live_version__body",
            "kind",
            "licence",
            "remix_policy",
        )
        .order_by()
    )
    documents = {}
    for pk, published_at, title, description, body, kind, licence, remix_policy in rows:
        assert published_at is not None  # listed
        documents[pk] = Document(
            type=EntryType.RECORD,
            object_id=pk,
            dated=published_at,
            title=title,
            description=description,
            body=body,
            notes="\n".join(notes[pk]),
            tags=tuple(sorted(tags[pk])),
            kind=kind,
            licence=licence,
            remix_policy=remix_policy,
        )
    return {pk: documents[pk] for pk in ids if pk in documents}


def _member_documents(user_ids: Sequence[int]) -> dict[int, Document]:
    members = User.objects.filter(
        pk__in=list(user_ids), is_active=True, deleted_at__isnull=True
    ).only("pk", "username", "display_name", "bio", "date_joined")
    return {
        member.pk: Document(
            type=EntryType.MEMBER,
            object_id=member.pk,
            dated=member.date_joined,
            title=f"{member.display_name} {member.username}".strip(),
            description=member.bio,
        )
        for member in members
    }


def _production_documents(production_ids: Sequence[int]) -> dict[int, Document]:
    productions = (
        Production.objects.filter(pk__in=list(production_ids))
        .exclude(status=ProductionStatus.DRAFT)
        .only("pk", "kind", "title", "theme", "brief", "created_at")
        .prefetch_related(Prefetch("needs", queryset=Need.objects.only("production_id", "title")))
    )
    return {
        production.pk: Document(
            type=EntryType.PRODUCTION,
            object_id=production.pk,
            dated=production.created_at,
            title=production.title,
            description=f"{production.theme}\n{production.brief}".strip(),
            body="\n".join(need.title for need in production.needs.all()),
            kind=production.kind,
        )
        for production in productions
    }


# Writing -------------------------------------------------------------------------------------
def _add(documents: Sequence[Document], *, replace: bool = True) -> None:
    """Index `documents`: their entries, then their text under the entries' ids, in the order
    given (entry ids grow with it: a search's candidates are the newest, decision 0039)."""
    if not documents:
        return
    entries = SearchEntry.objects.bulk_create(
        SearchEntry(
            type=doc.type,
            object_id=doc.object_id,
            kind=doc.kind,
            licence=doc.licence,
            remix_policy=doc.remix_policy,
            tags="".join(f"|{tag}" for tag in doc.tags) + "|" if doc.tags else "",
            dated=doc.dated,
        )
        for doc in documents
    )
    backend().write(
        [(entry.pk, doc) for entry, doc in zip(entries, documents, strict=True)],
        replace=replace,
    )


def _sync(type_: str, object_ids: Sequence[int], documents: dict[int, Document]) -> None:
    """Make the index hold exactly `documents` for `object_ids` of `type_`: the others (no
    longer findable) leave it."""
    stale = list(
        SearchEntry.objects.filter(type=type_, object_id__in=object_ids).values_list(
            "pk", flat=True
        )
    )
    if stale:
        backend().remove(stale)
        SearchEntry.objects.filter(pk__in=stale).delete()
    _add(list(documents.values()), replace=False)


@transaction.atomic
def search_index_records(*, record_ids: Sequence[int]) -> None:
    """(Re)index these records: those `Record.objects.listed()` returns, with their live
    version's text, tags and their sources' usage notes; the others leave the index."""
    _sync(EntryType.RECORD, record_ids, _record_documents(record_ids))


@transaction.atomic
def search_index_members(*, user_ids: Sequence[int]) -> None:
    """(Re)index these members: active and not deleted ones; the others leave the index."""
    _sync(EntryType.MEMBER, user_ids, _member_documents(user_ids))


@transaction.atomic
def search_index_productions(*, production_ids: Sequence[int]) -> None:
    """(Re)index these productions: public ones (not drafts); the others leave the index."""
    _sync(EntryType.PRODUCTION, production_ids, _production_documents(production_ids))


def _dated_ids(type_: str, queryset: "QuerySet[Any, Any]", date: str) -> Iterator[tuple[Any, ...]]:
    """(date, type, id) of every thing in `queryset`, oldest first, read in chunks."""
    rows = queryset.order_by(date, "pk").values_list(date, "pk").iterator(chunk_size=BATCH * 4)
    return ((dated, type_, pk) for dated, pk in rows)


@transaction.atomic
def search_reindex_all() -> int:
    """Rebuild the whole index from the database (after a restore, or on an instance that had
    data before search existed); returns how many documents it holds now. One transaction:
    searches see the old index until the new one is complete. Records, members and
    productions are indexed in the order of their dates, merged, so that entry ids grow
    with the dates as they do when things are written (decision 0039)."""
    engine = backend()
    engine.clear()
    SearchEntry.objects.all().delete()
    documents: dict[str, Callable[[Sequence[int]], dict[int, Document]]] = {
        EntryType.RECORD: _record_documents,
        EntryType.MEMBER: _member_documents,
        EntryType.PRODUCTION: _production_documents,
    }
    merged = heapq.merge(
        _dated_ids(EntryType.RECORD, Record.objects.listed(), "published_at"),
        _dated_ids(
            EntryType.MEMBER,
            User.objects.filter(is_active=True, deleted_at__isnull=True),
            "date_joined",
        ),
        _dated_ids(
            EntryType.PRODUCTION,
            Production.objects.exclude(status=ProductionStatus.DRAFT),
            "created_at",
        ),
    )
    while batch := list(itertools.islice(merged, BATCH)):
        built = {
            type_: build([pk for _, of_type, pk in batch if of_type == type_])
            for type_, build in documents.items()
        }
        in_order = [built[type_][pk] for _, type_, pk in batch if pk in built[type_]]
        _add(in_order, replace=False)
    engine.analyze()
    return SearchEntry.objects.count()


# Hook handlers (registered in `SearchConfig.ready`) --------------------------------------------
def search_on_record(*, record: Record) -> None:
    """records' `after_publish`, `after_visibility_change` and `after_change`."""
    search_index_records(record_ids=[record.pk])


def search_on_records_deleted(*, records: Sequence[Record]) -> None:
    """records' `after_delete`."""
    search_index_records(record_ids=[record.pk for record in records])


def search_on_remix_created(*, link: "SourceLinkType") -> None:
    """lineage's `after_remix_created`: the remix's usage notes."""
    search_index_records(record_ids=[link.record_id])


def search_on_profile_change(*, user: User, fields: Sequence[str]) -> None:
    """accounts' `after_profile_change` (a new display name or bio; an avatar changes nothing
    here)."""
    if set(fields) - {"avatar"}:
        search_index_members(user_ids=[user.pk])


def search_on_member_joined(*, user: User) -> None:
    """accounts' `after_member_joined`: a new active member can be found at once."""
    search_index_members(user_ids=[user.pk])


def search_on_account_delete(*, user: User) -> None:
    """accounts' `after_account_delete`: the member leaves the index (their records leave it
    through records' `after_delete`)."""
    search_index_members(user_ids=[user.pk])


def search_on_production(*, production: Production) -> None:
    """productions' `after_change`."""
    search_index_productions(production_ids=[production.pk])


def search_on_release(*, production: Production, credited_user_ids: Sequence[int]) -> None:
    """productions' `after_release`."""
    search_index_productions(production_ids=[production.pk])
