"""The released page's shared fragment, cached under a versioned key (decision 0026).

A released production's page is the same for every viewer but for the producers' tools and
the logged-in header: the lineup, the player's data, the fairness summary and the credits
are what the release stored. What can still change after release is few things, each
written through a service that calls a hook:

- a segment's record deleted, or taken back to a draft, shows "removed by its author"
  (records' `after_delete`, `after_visibility_change`);
- a member's name and avatar show their current values, and "a former member" once they
  deleted their account (accounts' `after_profile_change`, `after_account_delete`).

Each of those bumps `Production.show_version` of the productions that show it, in the
write's transaction; the key carries that version, so a page read after the write never
finds the fragment of before. Old entries are never deleted: they expire
(`SHOW_FRAGMENT_TTL`), which also bounds what no hook announces (an audio segment's art,
drawn from its record's current cover or its source's picture).

This is the first of the versioned keys issue 14 will generalise.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import F, Q

from riffhouse.productions.models import Production, ProductionCredit, Segment, SegmentCredit

if TYPE_CHECKING:
    from riffhouse.accounts.models import User
    from riffhouse.records.models import Record

# Bump when the fragment's shape or markup changes: a deploy then never serves the old one.
SHOW_FRAGMENT_FORMAT = 1
# How long a fragment lives: an hour of steady state per production, and the longest an
# audio segment's art (which no hook announces) can lag behind its record.
SHOW_FRAGMENT_TTL = 60 * 60


def show_cache_key(*, production: Production) -> str:
    """The cache key of `production`'s shared fragment: its version, and its cover (fixed
    at release, but cheap to name)."""
    return (
        f"productions:show:{SHOW_FRAGMENT_FORMAT}:{production.pk}:"
        f"{production.show_version}:{production.cover_id or 0}"
    )


def show_fragment_get(*, production: Production, render: Callable[[], Any]) -> Any:
    """`production`'s shared fragment from the cache, or `render()`ed and stored."""
    key = show_cache_key(production=production)
    fragment = cache.get(key)
    if fragment is None:
        fragment = render()
        cache.set(key, fragment, SHOW_FRAGMENT_TTL)
    return fragment


def _bump(productions: Q) -> None:
    """Move the version of the released productions `productions` selects: one query when
    none does (a record or member in no released production, most writes), two otherwise."""
    ids = list(
        Production.objects.filter(productions, released_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    if ids:
        Production.objects.filter(pk__in=ids).update(show_version=F("show_version") + 1)


# Hooks (registered in apps.py) --------------------------------------------------------------
def show_version_bump_for_deleted(*, records: Sequence["Record"]) -> None:
    """Records' `after_delete`: the productions whose lineup holds one of `records` show it
    removed by its author."""
    ids = [record.pk for record in records]
    _bump(Q(pk__in=Segment.objects.filter(record_id__in=ids).values("production_id")))


def show_version_bump_for_visibility(*, record: "Record") -> None:
    """Records' `after_visibility_change`: the productions whose lineup holds `record` show
    it removed (a draft) or playing again (published again)."""
    _bump(Q(pk__in=Segment.objects.filter(record_id=record.pk).values("production_id")))


def show_version_bump_for_member(*, user: "User", fields: Sequence[str] = ()) -> None:
    """Accounts' `after_profile_change` and `after_account_delete`: the productions that
    name `user` (a segment's author, a segment or a production credit) show their current
    name and avatar, or "a former member". A new bio shows nowhere on them."""
    if fields and not set(fields) & {"display_name", "avatar"}:
        return
    _bump(
        Q(pk__in=Segment.objects.filter(record__author_id=user.pk).values("production_id"))
        | Q(pk__in=ProductionCredit.objects.filter(user_id=user.pk).values("production_id"))
        | Q(pk__in=SegmentCredit.objects.filter(user_id=user.pk).values("segment__production_id"))
    )
