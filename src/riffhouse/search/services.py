"""Writes of the search index (decision 0035). The lower apps' services call the handlers
here through their hooks, inside the transaction of their change, so the index changes
exactly when what it describes does: a record is indexed while `Record.objects.listed()`
returns it, a member while active and not deleted, a production while it is public (not a
draft). Each handler re-reads what it indexes and so is right whatever hook called it.
"""

from collections.abc import Iterable, Sequence
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

BATCH = 500


# Documents -----------------------------------------------------------------------------------
def _record_documents(record_ids: Iterable[int]) -> dict[int, Document]:
    records = (
        Record.objects.listed()
        .filter(pk__in=list(record_ids))
        .select_related("live_version")
        .prefetch_related(
            "tags",
            Prefetch(
                "source_links",
                queryset=SourceLink.objects.exclude(usage="").only("record_id", "usage"),
            ),
        )
    )
    documents = {}
    for record in records:
        assert record.published_at is not None and record.live_version is not None
        documents[record.pk] = Document(
            type=EntryType.RECORD,
            object_id=record.pk,
            dated=record.published_at,
            title=record.title,
            description=record.description,
            body=record.live_version.body,
            notes="\n".join(link.usage for link in record.source_links.all()),
            tags=tuple(sorted(tag.name for tag in record.tags.all())),
            kind=record.kind,
            licence=record.licence,
            remix_policy=record.remix_policy,
        )
    return documents


def _member_documents(user_ids: Iterable[int]) -> dict[int, Document]:
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


def _production_documents(production_ids: Iterable[int]) -> dict[int, Document]:
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
def _sync(type_: str, object_ids: Sequence[int], documents: dict[int, Document]) -> None:
    """Make the index hold exactly `documents` for `object_ids` of `type_`: the others (no
    longer findable) leave it."""
    engine = backend()
    stale = list(
        SearchEntry.objects.filter(type=type_, object_id__in=object_ids).values_list(
            "pk", flat=True
        )
    )
    if stale:
        engine.remove(stale)
        SearchEntry.objects.filter(pk__in=stale).delete()
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
        for doc in documents.values()
    )
    engine.write([(entry.pk, doc) for entry, doc in zip(entries, documents.values(), strict=True)])


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


def _ids_in_batches(queryset: "QuerySet[Any, int]") -> Iterable[list[int]]:
    batch: list[int] = []
    for pk in queryset.iterator(chunk_size=BATCH * 4):
        batch.append(pk)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def search_reindex_all() -> int:
    """Rebuild the whole index from the database (after a restore, or on an instance that had
    data before search existed); returns how many documents it holds now. One transaction:
    searches see the old index until the new one is complete."""
    backend().clear()
    SearchEntry.objects.all().delete()
    for ids in _ids_in_batches(Record.objects.listed().order_by("pk").values_list("pk", flat=True)):
        search_index_records(record_ids=ids)
    members = User.objects.filter(is_active=True, deleted_at__isnull=True)
    for ids in _ids_in_batches(members.order_by("pk").values_list("pk", flat=True)):
        search_index_members(user_ids=ids)
    productions = Production.objects.exclude(status=ProductionStatus.DRAFT)
    for ids in _ids_in_batches(productions.order_by("pk").values_list("pk", flat=True)):
        search_index_productions(production_ids=ids)
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
