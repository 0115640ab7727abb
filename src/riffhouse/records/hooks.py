"""Where the apps above records take part in its writes (decision 0016).

Records may not import lineage, productions or the ledger, yet their rules apply to every
write of a record: a remix waiting for consent stays a draft, a record credited in a
released production stays, a frozen split keeps its records. So records owns these hooks
and its services call them by name, in the write's transaction; the apps above register
in their `AppConfig.ready()`:

- guards ("may it?") raise `ApplicationError` to refuse, and nothing is saved:
  `may_publish`, `may_change_licence`, `may_delete`;
- a grant widens a read: `may_view` lets a viewer other than its author see one draft
  (its page, its files, its API detail; never lists, feeds or search); `page_personal`
  says a public record's page shows a member something of their own (so they do not get
  the page kept for every member);
- steps run after the change, in the same transaction (an exception rolls it back):
  `after_publish` (a first publication), `after_visibility_change` (published again or
  back to draft), `after_change` (what people find of it changed), `after_delete`;
- `sources`: the one handler of a record's sources (lineage), which `record_create` and
  `record_update` call when they are given `sources`, and the API's rendering of them;
- `source_art`: a read, not a write — the art a track without its own cover borrows from
  its first image source (lineage knows the sources), for records' cover selectors.

Only records' services run the hooks. `Record.objects.update()` refuses the fields they
guard (`HOOKED_FIELDS`) so that no bulk write skips them silently; records' own bulk write
(`records_delete_for_author`) runs the hooks for the whole batch and then writes with
`update_after_hooks`. A `save()` outside records' services skips them too: don't (the
admin shows those fields read-only).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from riffhouse.core.errors import ApplicationError
from riffhouse.core.hooks import Grant, Hook

if TYPE_CHECKING:
    from django.http import HttpRequest

    from riffhouse.accounts.models import User
    from riffhouse.records.models import Record

# Fields whose changes run hooks: a bulk update of any of them must go through a service.
HOOKED_FIELDS = frozenset({"visibility", "published_at", "deleted_at", "licence"})


class HooksBypassed(RuntimeError):
    """A write tried to change a hooked field without records' services (a programming
    error, never a person's: it answers 500 and is logged)."""


# Guards --------------------------------------------------------------------------------------
def _may_publish(*, record: "Record") -> None:
    """Before `record` is set to published (by its author, or on a request's approval):
    raise ApplicationError to keep it a draft. Lineage: a remix waiting on a pending or
    declined remix request."""


def _may_change_licence(*, record: "Record", licence: str) -> None:
    """Before `record` takes `licence` (set whenever an edit names a licence): raise
    ApplicationError to refuse. Lineage: a remix's licence must be one its sources allow."""


def _may_delete(*, records: Sequence["Record"]) -> None:
    """Before `records` become tombstones (one by its author, or all of a member who deleted
    their account): raise ApplicationError to refuse. Nobody registers yet; productions
    (a record in a released production stays credited) and the ledger (a record in a frozen
    split cannot vanish) will."""


may_publish = Hook(_may_publish)
may_change_licence = Hook(_may_change_licence)
may_delete = Hook(_may_delete)


# Grants --------------------------------------------------------------------------------------
def _may_view(*, viewer: "User", record: "Record") -> bool:
    """Whether `viewer` (signed in, not its author) may see the draft `record` by its
    address: its page, its files (not the original) and its API detail. Asked only for an
    undeleted draft and someone other than its author, never for lists, feeds or search.
    Lineage: the author of a source the draft asks to use, while that request is pending."""
    return False


may_view = Grant(_may_view)


def _page_personal(*, viewer: "User", record_id: int) -> bool:
    """Whether the page of public record `record_id` shows `viewer` (signed in, not its
    author) something of their own that other members do not see, so that the page kept for
    every member (decision 0042) is not theirs. Lineage: a record of theirs among its direct
    sources or remixes (the lineage panel shows it them even as a draft)."""
    return False


page_personal = Grant(_page_personal)


# Steps ---------------------------------------------------------------------------------------
def _after_publish(*, record: "Record") -> None:
    """`record` is public for the first time (`published_at` was just set: on publication
    with a processed version, or when its first version finished processing). Lineage:
    recount its sources' remixes and tell their authors."""


def _after_visibility_change(*, record: "Record") -> None:
    """`record`'s visibility changed after its first publication: published again, or back
    to a draft. Lineage: recount its sources' remixes."""


def _after_delete(*, records: Sequence["Record"]) -> None:
    """`records` are tombstones now (`deleted_at` set; drafts lose their files once the
    transaction commits). Lineage: recount their sources' remixes."""


def _after_change(*, record: "Record") -> None:
    """What people find of `record` changed, whatever its visibility: it was created (with
    its tags and sources), edited (title, description, tags, language, licence, remix
    policy, sources) or a newer version became the live one (its text). Search: reindex
    it."""


after_publish = Hook(_after_publish)
after_visibility_change = Hook(_after_visibility_change)
after_change = Hook(_after_change)
after_delete = Hook(_after_delete)


# Sources -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceSpec:
    """One source as a remixer names it: a record, optionally one of its version numbers
    (default: the version they see), what was used, and optionally a time range."""

    record_id: int
    version: int | None = None
    usage: str = ""
    start_ms: int | None = None
    end_ms: int | None = None


class SourcesPlan(Protocol):
    """What the sources handler decided before the record exists: its licence (None: the
    caller's choice stands), whether it must wait as a draft, and how to link it."""

    @property
    def licence(self) -> str | None: ...

    @property
    def draft(self) -> bool: ...

    def apply(self, *, record: "Record") -> None: ...


class SourcesParse(Protocol):
    def __call__(self, *, raw: str | Sequence[Any] | None) -> list[SourceSpec]: ...


class SourcesPlanMake(Protocol):
    def __call__(
        self,
        *,
        author: "User",
        sources: Sequence[SourceSpec],
        licence: str | None,
        visibility: str,
        message: str,
    ) -> SourcesPlan: ...


class SourcesReplace(Protocol):
    def __call__(
        self,
        *,
        actor: "User",
        record: "Record",
        sources: Sequence[SourceSpec],
        licence: str | None,
        message: str,
    ) -> object: ...


class SourcesOut(Protocol):
    def __call__(
        self, request: "HttpRequest", viewer: "User", record: "Record"
    ) -> dict[str, list[dict[str, Any]]]: ...


@dataclass(frozen=True)
class Sources:
    """The handler of a record's sources:
    - `parse`: sources as the API sends them (JSON text or a list) → `SourceSpec`s;
    - `plan`: check (and lock) the sources of a record about to be created, in the write's
      transaction; `record_create` then writes the record and calls `plan.apply`;
    - `replace`: replace an existing record's sources (`record_update(sources=...)`);
    - `out`: the API's `sources` and `remix_requests` of a record."""

    parse: SourcesParse
    plan: SourcesPlanMake
    replace: SourcesReplace
    out: SourcesOut


_sources: list[Sources] = []


def sources_register(handler: Sources) -> None:
    """Install the sources handler (one only: sources have one owner)."""
    if _sources and _sources[0] != handler:
        raise RuntimeError("A sources handler is registered already.")
    _sources[:] = [handler]


def sources() -> Sources:
    """The sources handler; a record named with sources on an instance without one is
    refused rather than saved without them."""
    if not _sources:
        raise ApplicationError(
            "This instance does not take sources.", code="sources_unsupported", field="sources"
        )
    return _sources[0]


def sources_parse(*, raw: str | Sequence[Any] | None) -> list[SourceSpec]:
    """Sources from the API (see `Sources.parse`); none given is an empty list."""
    if raw is None or raw == "":
        return []
    return sources().parse(raw=raw)


def sources_out(
    request: "HttpRequest", viewer: "User", record: "Record"
) -> dict[str, list[dict[str, Any]]]:
    """A record's `sources` and `remix_requests` as the API shows them (none without a
    handler)."""
    if not _sources:
        return {"sources": [], "remix_requests": []}
    return _sources[0].out(request, viewer, record)


# Source art ----------------------------------------------------------------------------------
class SourceArt(Protocol):
    def __call__(self, *, record_ids: Sequence[int]) -> dict[int, "Record"]: ...


_source_art: list[SourceArt] = []


def source_art_register(finder: SourceArt) -> None:
    """Install the finder of records' first image sources (one only: lineage's)."""
    if _source_art and _source_art[0] != finder:
        raise RuntimeError("A source art finder is registered already.")
    _source_art[:] = [finder]


def source_art(*, record_ids: Sequence[int]) -> dict[int, "Record"]:
    """For each of `record_ids` that has one, its first public image source, with its live
    version joined, in one query (none without a finder). Covers of audio remixes of art
    show the art (decision 0018)."""
    if not _source_art or not record_ids:
        return {}
    return _source_art[0](record_ids=record_ids)
