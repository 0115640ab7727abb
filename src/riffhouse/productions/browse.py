"""Finding productions: open calls (soonest deadline first), released productions by kind
and theme (newest first), a member's productions, the history of one. Pages follow a
cursor, as records' feed does (no offsets: a page never repeats or skips when new
productions arrive), in a fixed number of queries however long the page.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.productions.models import (
    Producer,
    Production,
    ProductionKind,
    ProductionRevision,
    ProductionStatus,
)
from riffhouse.records.selectors import Viewer

# A call closes "soon" when its deadline is less than this far away.
CLOSING_SOON = timedelta(days=3)
STATUSES = ("open", "released")


@dataclass
class Page:
    items: list[Production]
    next_cursor: str | None


def closing_soon(*, deadline: datetime | None, now: datetime | None = None) -> bool:
    """Whether a deadline is still ahead but less than three days away."""
    if deadline is None:
        return False
    now = now or timezone.now()
    return now < deadline <= now + CLOSING_SOON


def _encode(*parts: object) -> str:
    raw = "|".join("" if part is None else str(part) for part in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, count: int) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        parts = raw.split("|")
        if len(parts) != count:
            raise ValueError(raw)
        int(parts[-1])
        if count == 2 and parts[0]:
            datetime.fromisoformat(parts[0])
        return parts
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


def _cards(productions: QuerySet[Production]) -> QuerySet[Production]:
    """What a production card shows: its cover and how many needs it has."""
    return productions.select_related("cover").annotate(needs_count=Count("needs", distinct=True))


def production_feed(
    *,
    status: str = "released",
    kind: str | None = None,
    theme: str | None = None,
    cursor: str | None = None,
    limit: int = 24,
) -> Page:
    """Public productions: `open` calls closing soonest first (those without a deadline
    last), or `released` ones newest first; optionally of one kind or theme."""
    if status not in STATUSES:
        raise ApplicationError(
            "Choose open or released productions.", code="invalid_status", field="status"
        )
    if kind and kind not in ProductionKind.values:
        raise ApplicationError(f"Unknown kind “{kind[:20]}”.", code="invalid_kind", field="kind")
    limit = max(1, min(limit, 100))
    productions = Production.objects.filter(hidden_at__isnull=True)
    if kind:
        productions = productions.filter(kind=kind)
    if theme:
        productions = productions.filter(theme__iexact=" ".join(theme.split()))
    if status == "open":
        productions = productions.filter(status=ProductionStatus.OPEN)
        order: list[str | Combinable] = [F("submission_deadline").asc(nulls_last=True), "pk"]
        if cursor:
            stamp, pk = _decode(cursor, 2)
            if stamp:
                moment = datetime.fromisoformat(stamp)
                productions = productions.filter(
                    Q(submission_deadline__gt=moment)
                    | Q(submission_deadline=moment, pk__gt=int(pk))
                    | Q(submission_deadline__isnull=True)
                )
            else:
                productions = productions.filter(submission_deadline__isnull=True, pk__gt=int(pk))
    else:
        productions = productions.filter(
            status__in=[ProductionStatus.RELEASED], released_at__isnull=False
        )
        order = ["-released_at", "-pk"]
        if cursor:
            stamp, pk = _decode(cursor, 2)
            if not stamp:
                raise ApplicationError(
                    "That page cursor is not valid.", code="invalid_cursor", field="cursor"
                )
            moment = datetime.fromisoformat(stamp)
            productions = productions.filter(
                Q(released_at__lt=moment) | Q(released_at=moment, pk__lt=int(pk))
            )
    items = list(_cards(productions).order_by(*order)[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        last = items[limit - 1]
        stamp_of = last.submission_deadline if status == "open" else last.released_at
        next_cursor = _encode(stamp_of.isoformat() if stamp_of else None, last.pk)
    return Page(items=items[:limit], next_cursor=next_cursor)


def member_productions(
    *, viewer: Viewer, member: User, cursor: str | None = None, limit: int = 24
) -> Page:
    """The productions `member` produces, newest first: the ones everyone sees, and their
    drafts too when `viewer` produces those."""
    limit = max(1, min(limit, 100))
    productions = Production.objects.filter(producers__user=member)
    visible = ~Q(status=ProductionStatus.DRAFT) & Q(hidden_at__isnull=True)
    if viewer.is_authenticated:
        visible |= Q(pk__in=Producer.objects.filter(user=viewer).values("production_id"))
    productions = productions.filter(visible)
    if cursor:
        (pk,) = _decode(cursor, 1)
        productions = productions.filter(pk__lt=int(pk))
    items = list(_cards(productions).order_by("-pk")[: limit + 1])
    next_cursor = _encode(items[limit - 1].pk) if len(items) > limit else None
    return Page(items=items[:limit], next_cursor=next_cursor)


def latest_released(*, kind: str = ProductionKind.EPISODE) -> Production | None:
    """The newest released production of `kind` (the home page's feature)."""
    return (
        Production.objects.filter(
            status=ProductionStatus.RELEASED,
            released_at__isnull=False,
            kind=kind,
            hidden_at__isnull=True,
        )
        .select_related("cover")
        .order_by("-released_at", "-pk")
        .first()
    )


def released_themes(*, limit: int = 20) -> list[str]:
    """The themes of released productions, most used first (the browse page's chips)."""
    rows = (
        Production.objects.filter(
            status=ProductionStatus.RELEASED, released_at__isnull=False, hidden_at__isnull=True
        )
        .exclude(theme="")
        .values("theme")
        .annotate(n=Count("pk"))
        .order_by("-n", "theme")[:limit]
    )
    return [row["theme"] for row in rows]


def production_revisions(*, production: Production) -> QuerySet[ProductionRevision]:
    """A production's history, newest first, with who made each edit."""
    return (
        ProductionRevision.objects.filter(production=production)
        .select_related("editor", "cover")
        .order_by("-created_at", "-pk")
    )
