"""The fairness rules a production's producers set: whether each holds for a report (and,
when broken, who is over it, in words), and the service that sets them."""

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db import transaction

from riffhouse.accounts.models import User
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError
from riffhouse.productions.fairness.shares import percent
from riffhouse.productions.models import Production
from riffhouse.productions.selectors import production_check_producer, production_lock

if TYPE_CHECKING:  # the report module imports this one
    from riffhouse.productions.fairness.report import FairnessReport

MAX_SOURCE_SHARE_PERCENT = 90  # a segment's author always keeps at least a tenth
MAX_MIN_CONTRIBUTORS = 10_000


@dataclass
class RuleResult:
    """A rule the producers set, whether it holds, and who is over it when it does not."""

    rule: str  # max_contributor_percent | max_producers_percent | min_contributors
    limit: int
    actual: float  # a percentage, or a count for min_contributors
    passed: bool
    who: list[str]
    text: str  # the rule in plain words
    message: str  # why it is broken ("" when it holds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "limit": self.limit,
            "actual": self.actual,
            "passed": self.passed,
            "who": self.who,
            "text": self.text,
            "message": self.message,
        }


def fairness_rules_check(*, production: Production, report: "FairnessReport") -> list[RuleResult]:
    """Each rule `production` sets, checked against `report`."""
    results = []
    limit = production.rule_max_contributor_percent
    if limit is not None:
        over = [c for c in report.contributors if c.over(limit)]
        top = report.contributors[0].percent if report.contributors else 0.0
        results.append(
            RuleResult(
                rule="max_contributor_percent",
                limit=limit,
                actual=top,
                passed=not over,
                who=[c.name for c in over],
                text=f"No contributor may hold more than {limit} % of the runtime.",
                message=(
                    f"No contributor may hold more than {limit} % of the runtime: "
                    + ", ".join(f"{c.name} holds {c.percent:.1f} %" for c in over)
                    + "."
                    if over
                    else ""
                ),
            )
        )
    limit = production.rule_max_producers_percent
    if limit is not None:
        held = report.producers_staff_share
        passed = held <= Fraction(limit, 100)
        over = [c for c in report.contributors if c.is_producer or c.is_staff]
        results.append(
            RuleResult(
                rule="max_producers_percent",
                limit=limit,
                actual=percent(held),
                passed=passed,
                who=[] if passed else [c.name for c in over],
                text=f"Producers and staff together may hold at most {limit} % of the runtime.",
                message=""
                if passed
                else (
                    f"Producers and staff together may hold at most {limit} % of the runtime: "
                    f"they hold {percent(held):.1f} %"
                    + (
                        " (" + ", ".join(f"{c.name} {c.percent:.1f} %" for c in over[:10]) + ")"
                        if over
                        else " (the links)"
                    )
                    + "."
                ),
            )
        )
    minimum = production.rule_min_contributors
    if minimum is not None:
        count = report.distinct_contributors
        results.append(
            RuleResult(
                rule="min_contributors",
                limit=minimum,
                actual=float(count),
                passed=count >= minimum,
                who=[],
                text=f"At least {minimum} different contributors.",
                message=""
                if count >= minimum
                else f"At least {minimum} different contributors are needed: there are {count}.",
            )
        )
    return results


# The rules ---------------------------------------------------------------------------------
def _optional_percent(value: int | None, *, field: str, low: int, what: str) -> int | None:
    if value is None:
        return None
    if not low <= value <= 100:
        raise ApplicationError(
            f"{what} is a percentage from {low} to 100 (or none).", code="rule_invalid", field=field
        )
    return value


@transaction.atomic
def fairness_rules_set(
    *,
    actor: User,
    production: Production,
    max_contributor_percent: int | None,
    max_producers_percent: int | None,
    min_contributors: int | None,
    source_share_percent: int,
) -> Production:
    """Set the fairness rules (None: no such rule) and the source share. Producers only;
    refused once released or while the release runs (the released report is final)."""
    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    if production.is_released or production.release_requested_at is not None:
        raise ApplicationError(
            "It is released: its fairness rules stay as they were.",
            code="production_released",
            status=409,
        )
    fields = {
        "rule_max_contributor_percent": _optional_percent(
            max_contributor_percent,
            field="max_contributor_percent",
            low=1,
            what="The most one contributor may hold",
        ),
        "rule_max_producers_percent": _optional_percent(
            max_producers_percent,
            field="max_producers_percent",
            low=0,
            what="The most producers and staff may hold",
        ),
    }
    if min_contributors is not None and not 1 <= min_contributors <= MAX_MIN_CONTRIBUTORS:
        raise ApplicationError(
            f"The fewest contributors is a number from 1 to {MAX_MIN_CONTRIBUTORS:,} (or none).",
            code="rule_invalid",
            field="min_contributors",
        )
    fields["rule_min_contributors"] = min_contributors
    if not 0 <= source_share_percent <= MAX_SOURCE_SHARE_PERCENT:
        raise ApplicationError(
            f"The share that flows to sources is from 0 to {MAX_SOURCE_SHARE_PERCENT} % "
            "(a segment's author always keeps at least a tenth).",
            code="source_share_invalid",
            field="source_share_percent",
        )
    fields["source_share_percent"] = source_share_percent
    changed = {k: v for k, v in fields.items() if getattr(production, k) != v}
    if not changed:
        return production
    before = {k: getattr(production, k) for k in changed}
    for name, value in changed.items():
        setattr(production, name, value)
    production.save(update_fields=[*changed, "updated_at"])
    audit(
        action="production_fairness_rules_set",
        subject=actor,
        actor=actor,
        target=production,
        before=before,
        after=changed,
    )
    return production
