"""Releasing a production: a producer asks (`production_release`, which checks the lineup and
the fairness rules and enqueues the job), and the job (`release_run`) computes the credits
once, stores them with the fairness report, and marks the production released.

After release nothing is recomputed: the public page reads the stored `ProductionCredit`,
`SegmentCredit` and `released_report`, and segments pin their record versions, so editing
or deleting a record later changes nothing (a deleted one shows as "removed by its author"
and keeps its credit).
"""

import base64
import binascii
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.lineage.selectors import CREDIT_USER_FIELDS
from riffhouse.productions import hooks
from riffhouse.productions.fairness import FairnessReport, fairness_report
from riffhouse.productions.models import (
    Production,
    ProductionCredit,
    ProductionStatus,
    Segment,
    SegmentCredit,
)
from riffhouse.productions.selectors import (
    production_check_producer,
    production_get_visible,
    production_lock,
)
from riffhouse.records.models import Visibility
from riffhouse.records.selectors import Viewer

PPM = 1_000_000
CREDIT_FIELDS = (
    "production_id",
    "user_id",
    "position",
    "share_numerator",
    "share_denominator",
    "share_ppm",
    "runtime_ms",
    "roles",
    "segment_positions",
    "is_producer",
    "is_staff",
    "first_time",
)


NOT_CURATING: dict[str, str] = {
    ProductionStatus.OPEN: "It is still open for submissions: close submissions and curate "
    "it before you release.",
    ProductionStatus.DRAFT: "It is a draft: start curating it before you release.",
}


def _check_releasable(production: Production) -> None:
    if production.is_released or production.status in {
        ProductionStatus.RELEASED,
        ProductionStatus.ARCHIVED,
    }:
        raise ApplicationError("It is released already.", code="already_released", status=409)
    if production.release_requested_at is not None:
        raise ApplicationError(
            "It is being released: give it a moment.", code="release_in_progress", status=409
        )
    if production.status != ProductionStatus.CURATING:
        # A release credits what was curated: submissions close first, so nobody's answer
        # arrives after the credits are stored.
        raise ApplicationError(
            NOT_CURATING.get(
                production.status, "Close submissions and curate it before you release."
            ),
            code="not_curating",
            status=409,
        )


def _unavailable_positions(production: Production) -> list[int]:
    """Positions of segments whose record was deleted or is no longer public."""
    gone = Q(record__deleted_at__isnull=False) | ~Q(record__visibility=Visibility.PUBLISHED)
    return list(
        Segment.objects.filter(production=production)
        .filter(gone)
        .order_by("position")
        .values_list("position", flat=True)
    )


@changes_public_pages
@transaction.atomic
def production_release(*, actor: User, production: Production) -> Production:
    """Ask to release: producers only, once submissions are closed and it is curating.
    Refused (409, with a code) for a production not curating (`not_curating`), an empty
    lineup, a production released or being released, segments whose records were deleted or
    unpublished, and broken fairness rules (the message names the rule and who is over it).
    Otherwise `release_requested_at` is set and the release job enqueued (on the database
    queue, in this transaction)."""
    from riffhouse.productions.tasks import release_task  # tasks import this module

    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    _check_releasable(production)
    if not Segment.objects.filter(production=production).exists():
        raise ApplicationError(
            "The lineup is empty: add segments before you release.",
            code="lineup_empty",
            status=409,
        )
    unavailable = _unavailable_positions(production)
    if unavailable:
        numbers = ", ".join(str(p + 1) for p in unavailable)
        raise ApplicationError(
            f"Segment {numbers}: its record was deleted or is no longer public. "
            "Replace it in the lineup first.",
            code="segment_unavailable",
            status=409,
        )
    report = fairness_report(production=production)
    broken = [r for r in report.rules if not r.passed]
    if broken:
        raise ApplicationError(
            " ".join(r.message for r in broken),
            code="fairness_rule_broken",
            status=409,
            field=broken[0].rule,
        )
    production.release_requested_at = timezone.now()
    production.save(update_fields=["release_requested_at", "updated_at"])
    audit(action="production_release_requested", subject=actor, actor=actor, target=production)
    release_task.enqueue(production_id=production.pk)
    return production


def _store_credits(production: Production, report: FairnessReport) -> list[int]:
    credits = [
        ProductionCredit(
            production=production,
            user_id=c.user_id,
            position=position,
            share_numerator=str(c.share.numerator),
            share_denominator=str(c.share.denominator),
            share_ppm=(2 * c.numerator * PPM + c.denominator) // (2 * c.denominator),
            runtime_ms=c.runtime_ms,
            roles=c.roles,
            segment_positions=c.segment_positions,
            is_producer=c.is_producer,
            is_staff=c.is_staff,
            first_time=c.first_time,
        )
        for position, c in enumerate(report.contributors)
    ]
    ProductionCredit.objects.bulk_create(credits, batch_size=2000)
    segment_ids = dict(Segment.objects.filter(production=production).values_list("position", "id"))
    rows = []
    for s in report.segments:
        segment_id = segment_ids[s.position]
        if s.credits is None:  # a link: its author's
            rows.append(
                SegmentCredit(
                    segment_id=segment_id,
                    user_id=s.author_id,
                    position=0,
                    closeness=0,
                    roles=["host"],
                    share_ppm=PPM,
                )
            )
            continue
        numerators, denominator = s.credits.numerators, s.credits.denominator
        closeness, roles = s.credits.closeness, s.credits.roles
        ordered = sorted(
            (a for a, n in numerators.items() if n),
            key=lambda a: (closeness.get(a, 0), -numerators[a], a is None, a or 0),
        )
        rows.extend(
            SegmentCredit(
                segment_id=segment_id,
                user_id=author,
                position=position,
                closeness=closeness.get(author, 0),
                roles=roles.get(author, []),
                share_ppm=(2 * numerators[author] * PPM + denominator) // (2 * denominator),
            )
            for position, author in enumerate(ordered)
        )
    SegmentCredit.objects.bulk_create(rows, batch_size=2000)
    return [c.user_id for c in report.contributors if c.user_id is not None]


@changes_public_pages
@transaction.atomic
def release_run(*, production_id: int) -> str:
    """The release job: compute the report once, store the credits and the report, mark the
    production released, and tell the apps above (`hooks.after_release`: community notifies
    every credited contributor). Idempotent: a production already released, or one nobody
    asked to release, is left as it is."""
    production = production_lock(production_id=production_id)
    if production.is_released:
        return "already released"
    if production.release_requested_at is None:
        return "not requested"
    # What the checks at the request saw may have changed while the job waited in the queue:
    # a record deleted since then still keeps its credit (the segment pins its version), so
    # the release goes ahead with the lineup as it stands.
    report = fairness_report(production=production, with_roles=True)
    ProductionCredit.objects.filter(production=production).delete()  # a crashed earlier try
    SegmentCredit.objects.filter(segment__production=production).delete()
    credited = _store_credits(production, report)
    now = timezone.now()
    production.released_report = report.as_dict()
    production.status = ProductionStatus.RELEASED
    production.released_at = now
    production.release_requested_at = None
    production.save(
        update_fields=[
            "released_report",
            "status",
            "released_at",
            "release_requested_at",
            "updated_at",
        ]
    )
    audit(
        action="production_released",
        subject=None,
        target=production,
        contributors=len(report.contributors),
        runtime_ms=report.runtime_ms,
    )
    hooks.after_release(production=production, credited_user_ids=credited)
    return f"released with {len(report.contributors)} credits"


# Reading the stored credits ------------------------------------------------------------------
@dataclass(frozen=True)
class CreditsPage:
    items: list[ProductionCredit]
    next_cursor: str | None
    total: int


def _cursor_encode(position: int) -> str:
    return base64.urlsafe_b64encode(f"c{position}".encode()).decode().rstrip("=")


def _cursor_decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("c"):
            raise ValueError(raw)
        return int(raw[1:])
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc


def production_credits_page(
    *, viewer: Viewer, production_id: int, cursor: str | None = None, limit: int = 100
) -> tuple[Production, CreditsPage]:
    """A released production's stored credits, largest share first, a page at a time (three
    queries). NotFound when `viewer` may not see the production; 409 `not_released` before
    its release (the credits do not exist yet)."""
    production = production_get_visible(viewer=viewer, production_id=production_id)
    if not production.is_released:
        raise ApplicationError(
            "It is not released yet: its credits are stored at release.",
            code="not_released",
            status=409,
        )
    limit = max(1, min(limit, 500))
    credits = ProductionCredit.objects.filter(production=production)
    total = credits.count()
    if cursor:
        credits = credits.filter(position__gt=_cursor_decode(cursor))
    rows = list(
        credits.select_related("user")
        .only(*(f"user__{f}" for f in CREDIT_USER_FIELDS), *CREDIT_FIELDS)
        .order_by("position")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return production, CreditsPage(
        rows, _cursor_encode(rows[-1].position) if more and rows else None, total
    )
