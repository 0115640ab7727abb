"""Fairness, release and credits endpoints: the report (live for producers, as released for
everyone once released), the rules, the release request, and the stored credits."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.core.api import error_responses
from riffhouse.core.errors import NotFound
from riffhouse.productions.fairness import fairness_report, fairness_rules_set
from riffhouse.productions.models import Production
from riffhouse.productions.release import production_credits_page, production_release
from riffhouse.productions.selectors import (
    is_producer,
    production_get_for_producer,
    production_get_visible,
)

router = Router(tags=["fairness"])


class FairnessShareOut(Schema):
    percent: float
    exact: str  # "p/q"


class FairnessContributorOut(Schema):
    user: int | None
    username: str | None
    display_name: str
    percent: float
    exact: str
    runtime_ms: int
    is_producer: bool
    is_staff: bool
    first_time: bool
    segments: list[int]


class FairnessRuleOut(Schema):
    rule: str
    limit: int
    actual: float
    passed: bool
    who: list[str]
    text: str
    message: str


class FairnessBrokenOut(Schema):
    rule: str
    limit: int
    actual: float
    who: list[str]
    message: str


class FairnessOut(Schema):
    production: int
    released: bool
    source_share_percent: int
    rule_text: str
    runtime_ms: int
    segment_count: int
    distinct_contributors: int
    first_time_contributors: int
    producers: FairnessShareOut
    staff: FairnessShareOut
    producers_and_staff: FairnessShareOut
    community: FairnessShareOut
    links: FairnessShareOut
    segments_with_producer: int
    segments_with_producer_percent: float
    contributors: list[FairnessContributorOut]
    rules: list[FairnessRuleOut]
    broken: list[FairnessBrokenOut]
    passes: bool


class FairnessRulesIn(Schema):
    max_contributor_percent: int | None = None
    max_producers_percent: int | None = None
    min_contributors: int | None = None
    source_share_percent: int


class FairnessRulesOut(Schema):
    max_contributor_percent: int | None
    max_producers_percent: int | None
    min_contributors: int | None
    source_share_percent: int


class ProductionReleaseOut(Schema):
    production: int
    status: str
    release_requested: bool
    released_at: Any = None


class ProductionCreditOut(Schema):
    position: int
    member: dict[str, Any]
    former_member: bool
    percent: float
    share: str  # exact, "p/q"
    share_ppm: int
    runtime_ms: int
    roles: list[str]
    segments: list[int]
    is_producer: bool
    is_staff: bool
    first_time: bool


class ProductionCreditsPageOut(Schema):
    items: list[ProductionCreditOut]
    next_cursor: str | None
    total: int


class ProductionCreditsQuery(Schema):
    cursor: str | None = None
    limit: int = 100


def _report(viewer: Any, production: Production) -> dict[str, Any]:
    """As released for everyone once released; live for its producers before; otherwise
    NotFound (an unreleased lineup is its producers')."""
    if production.is_released and production.released_report is not None:
        return {**production.released_report, "released": True}
    if not is_producer(viewer=viewer, production=production):
        raise NotFound("No production here.")
    return {**fairness_report(production=production).as_dict(), "released": False}


@router.get(
    "/productions/{production_id}/fairness",
    auth=bearer_session_or_anonymous,
    response={200: FairnessOut, **error_responses(404)},
    summary="The fairness report: who holds how much of the runtime, and the rules",
)
def fairness_get(request: HttpRequest, production_id: int) -> Any:
    production = production_get_visible(viewer=request.user, production_id=production_id)
    return _report(request.user, production)


@router.put(
    "/productions/{production_id}/fairness/rules",
    auth=bearer_or_session,
    response={200: FairnessRulesOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Set the fairness rules and the source share (producers; null: no such rule)",
)
def fairness_rules_put(request: HttpRequest, production_id: int, payload: FairnessRulesIn) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    production = production_get_for_producer(viewer=user, production_id=production_id)
    production = fairness_rules_set(actor=user, production=production, **payload.dict())
    return {
        "max_contributor_percent": production.rule_max_contributor_percent,
        "max_producers_percent": production.rule_max_producers_percent,
        "min_contributors": production.rule_min_contributors,
        "source_share_percent": production.source_share_percent,
    }


@router.post(
    "/productions/{production_id}/release",
    auth=bearer_or_session,
    response={202: ProductionReleaseOut, **error_responses(401, 403, 404, 409)},
    summary="Release: refused while the lineup is empty or a fairness rule is broken",
)
def release_post(request: HttpRequest, production_id: int) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    production = production_get_for_producer(viewer=user, production_id=production_id)
    production_release(actor=user, production=production)
    production.refresh_from_db()
    return Status(
        202,
        {
            "production": production.pk,
            "status": production.status,
            "release_requested": production.release_requested_at is not None,
            "released_at": production.released_at,
        },
    )


@router.get(
    "/productions/{production_id}/credits",
    auth=bearer_session_or_anonymous,
    response={200: ProductionCreditsPageOut, **error_responses(400, 404, 409)},
    summary="A released production's credits, largest share first",
)
def credits_get(
    request: HttpRequest, production_id: int, query: Query[ProductionCreditsQuery]
) -> Any:
    _, page = production_credits_page(
        viewer=request.user, production_id=production_id, cursor=query.cursor, limit=query.limit
    )
    return {
        "items": [
            {
                "position": c.position,
                "member": author_out(request, c.user),
                "former_member": c.user is None or c.user.is_former,
                "percent": round(c.share_ppm / 10_000, 1),
                "share": f"{c.share_numerator}/{c.share_denominator}",
                "share_ppm": c.share_ppm,
                "runtime_ms": c.runtime_ms,
                "roles": c.roles,
                "segments": c.segment_positions,
                "is_producer": c.is_producer,
                "is_staff": c.is_staff,
                "first_time": c.first_time,
            }
            for c in page.items
        ],
        "next_cursor": page.next_cursor,
        "total": page.total,
    }
