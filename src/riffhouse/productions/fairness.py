"""The fairness report: who holds how much of a production's runtime, and the rules its
producers set that block the release while broken.

Each segment weighs its share of the runtime. Within a segment, the weight divides as
lineage's one weighting divides a record (`lineage.credits`): the segment's author keeps a
part, the rest flows up to the works it stands on (the production's `source_share_percent`).
A link (a title card, a host segment) counts wholly as its author's, a producer's: the
producers' share always includes it. Shares are exact (`Fraction`); percentages are for
people.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import gcd
from typing import Any

from django.db import connection, transaction
from django.utils.text import capfirst

from riffhouse.accounts.models import FORMER_MEMBER_NAME, Role, User
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage.credits import RecordCredits, record_credit_lineages
from riffhouse.lineage.selectors import MAX_ROLES
from riffhouse.productions.models import (
    Producer,
    Production,
    ProductionCredit,
    Segment,
    SegmentKind,
    Submission,
)
from riffhouse.productions.selectors import production_check_producer, production_lock

STAFF_ROLES = (Role.STAFF, Role.ADMIN)
MAX_SOURCE_SHARE_PERCENT = 90  # a segment's author always keeps at least a tenth
MAX_MIN_CONTRIBUTORS = 10_000


def percent_of(numerator: int, denominator: int) -> float:
    """`numerator / denominator` as a percentage with one decimal (half up), for people:
    integer arithmetic, however large the numbers."""
    tenths = (numerator * 2000 + denominator) // (2 * denominator)
    return tenths / 10


def percent(share: Fraction) -> float:
    return percent_of(share.numerator, share.denominator)


def fraction_text(share: Fraction) -> str:
    return f"{share.numerator}/{share.denominator}"


def fraction_text_of(numerator: int, denominator: int) -> str:
    """`numerator / denominator` in lowest terms, as "p/q" (without making a Fraction)."""
    common = gcd(numerator, denominator)
    return f"{numerator // common}/{denominator // common}"


@dataclass(frozen=True, slots=True)
class Person:
    """What the report shows of a contributor's account."""

    username: str
    display_name: str
    role: str
    former: bool

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def _id_list(ids: list[int]) -> tuple[str, list[Any]]:
    """A SQL condition "IN these ids" with one parameter however many ids (thousands of
    placeholders cost more to build than the query takes)."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [ids]
    return "IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


def _people(ids: list[int]) -> dict[int, Person]:
    if not ids:
        return {}
    condition, params = _id_list(ids)
    table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, username, display_name, role, deleted_at IS NOT NULL "  # noqa: S608
            f"FROM {table} WHERE id {condition}",
            params,
        )
        return {row[0]: Person(row[1], row[2], row[3], bool(row[4])) for row in cursor}


def _credited_elsewhere(ids: list[int], production: Production) -> set[int]:
    """Which of these members hold a credit in another released production."""
    if not ids:
        return set()
    condition, params = _id_list(ids)
    table = connection.ops.quote_name(ProductionCredit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT user_id FROM {table} "  # noqa: S608
            f"WHERE production_id <> %s AND user_id {condition}",
            [production.pk, *params],
        )
        return {row[0] for row in cursor}


def _name(person: Person | None) -> str:
    """The name the site shows for a member (their display name, else their username), as
    in the chart, so a refusal names people as the report does."""
    if person is None or person.former:
        return FORMER_MEMBER_NAME
    return person.display_name or person.username


@dataclass
class ContributorShare:
    """One contributor's part of the runtime (user None: a former member), exactly
    `numerator / denominator` (the denominator is the report's, shared by all: sorting and
    comparing are integer operations; `share` reduces it once, when asked)."""

    user_id: int | None
    user: Person | None
    numerator: int
    denominator: int
    runtime_ms: int
    is_producer: bool
    is_staff: bool
    first_time: bool
    segment_positions: list[int] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return _name(self.user)

    @cached_property
    def share(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def percent(self) -> float:
        return percent_of(self.numerator, self.denominator)

    def over(self, limit_percent: int) -> bool:
        return self.numerator * 100 > limit_percent * self.denominator


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


@dataclass
class SegmentShares:
    """One segment's place in the report: its runtime share and its contributors' parts of
    the segment (`credits` is None for a link, which is wholly its author's)."""

    position: int
    kind: str
    record_id: int
    author_id: int | None
    duration_ms: int
    credits: RecordCredits | None
    has_producer: bool = False


@dataclass
class FairnessReport:
    production_id: int
    source_share: Fraction
    runtime_ms: int
    segment_count: int
    contributors: list[ContributorShare]
    segments: list[SegmentShares]
    producers_share: Fraction
    staff_share: Fraction
    producers_staff_share: Fraction
    link_share: Fraction
    segments_with_producer: int
    rules: list[RuleResult]

    @property
    def community_share(self) -> Fraction:
        return 1 - self.producers_staff_share if self.runtime_ms else Fraction(0)

    @property
    def distinct_contributors(self) -> int:
        return len(self.contributors)

    @property
    def first_time_contributors(self) -> int:
        return sum(1 for c in self.contributors if c.first_time)

    @property
    def segments_with_producer_share(self) -> Fraction:
        if not self.segment_count:
            return Fraction(0)
        return Fraction(self.segments_with_producer, self.segment_count)

    @property
    def broken(self) -> list[dict[str, Any]]:
        """The rules that do not hold: {rule, limit, actual, who, message}."""
        return [
            {
                "rule": r.rule,
                "limit": r.limit,
                "actual": r.actual,
                "who": r.who,
                "message": r.message,
            }
            for r in self.rules
            if not r.passed
        ]

    @property
    def source_share_percent(self) -> int:
        return int(self.source_share * 100)

    @property
    def rule_text(self) -> str:
        keep = 100 - self.source_share_percent
        return (
            f"Each segment's author keeps {keep} % of it; the other {self.source_share_percent} % "
            "flows up to the works it stands on, shared equally among them, and on up their "
            "lineage by the same rule. Links between pieces count as the producers'."
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: percentages with one decimal, exact shares as "p/q" text."""

        def share(value: Fraction) -> dict[str, Any]:
            return {"percent": percent(value), "exact": fraction_text(value)}

        return {
            "production": self.production_id,
            "source_share_percent": self.source_share_percent,
            "rule_text": self.rule_text,
            "runtime_ms": self.runtime_ms,
            "segment_count": self.segment_count,
            "distinct_contributors": self.distinct_contributors,
            "first_time_contributors": self.first_time_contributors,
            "producers": share(self.producers_share),
            "staff": share(self.staff_share),
            "producers_and_staff": share(self.producers_staff_share),
            "community": share(self.community_share),
            "links": share(self.link_share),
            "segments_with_producer": self.segments_with_producer,
            "segments_with_producer_percent": percent(self.segments_with_producer_share),
            "contributors": [
                {
                    "user": c.user_id,
                    "username": c.user.username if c.user and not c.user.former else None,
                    "display_name": (
                        c.name if c.user and not c.user.former else capfirst(FORMER_MEMBER_NAME)
                    ),
                    "percent": c.percent,
                    "exact": fraction_text_of(c.numerator, c.denominator),
                    "runtime_ms": c.runtime_ms,
                    "is_producer": c.is_producer,
                    "is_staff": c.is_staff,
                    "first_time": c.first_time,
                    "segments": c.segment_positions,
                }
                for c in self.contributors
            ],
            "rules": [r.as_dict() for r in self.rules],
            "broken": self.broken,
            "passes": not self.broken,
        }


# Reading the segments ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Seg:
    position: int
    kind: str
    record_id: int
    duration_ms: int


def _segments(production: Production, segments: Sequence[Any] | None) -> list[_Seg]:
    if segments is None:
        return [
            _Seg(*row)
            for row in Segment.objects.filter(production=production)
            .order_by("position")
            .values_list("position", "kind", "record_id", "duration_ms")
        ]
    # Proposed segments: pieces may name their submission only.
    wanted = [
        s.submission_id
        for s in segments
        if getattr(s, "record_id", None) is None and getattr(s, "submission_id", None)
    ]
    by_submission = (
        dict(Submission.objects.filter(pk__in=wanted).values_list("pk", "record_id"))
        if wanted
        else {}
    )
    out = []
    for index, s in enumerate(segments):
        record_id = getattr(s, "record_id", None) or by_submission.get(
            getattr(s, "submission_id", None) or 0
        )
        if record_id is None:
            continue
        out.append(
            _Seg(
                getattr(s, "position", index) if isinstance(s, Segment) else index,
                str(s.kind),
                record_id,
                int(s.duration_ms),
            )
        )
    return out


def _source_share(production: Production) -> Fraction:
    return Fraction(production.source_share_percent, 100)


def _segment_credits(
    production: Production, segs: list[_Seg], *, with_roles: bool = False
) -> list[SegmentShares]:
    credits = record_credit_lineages(
        record_ids=[s.record_id for s in segs],
        source_share=_source_share(production),
        with_roles=with_roles,
    )
    return [
        SegmentShares(
            position=s.position,
            kind=s.kind,
            record_id=s.record_id,
            author_id=credits[s.record_id].author_id,
            duration_ms=s.duration_ms,
            credits=credits[s.record_id] if s.kind != SegmentKind.LINK else None,
        )
        for s in segs
        if s.record_id in credits
    ]


def lineup_shares(
    *, production: Production, segments: Sequence[Any] | None = None
) -> dict[int | None, Fraction]:
    """Each contributor's exact share of the runtime (user id; None for former members):
    the sum over segments of the segment's runtime share times the contributor's part of
    its record. Sums to 1 when the lineup has any runtime. `segments` defaults to the stored
    lineup; the lineup editor may pass a proposed one."""
    segs = _segments(production, segments)
    shares = _segment_credits(production, segs)
    totals, denominator = _totals(shares)
    return {a: Fraction(n, denominator) for a, n in totals.items() if n}


def _totals(shares: list[SegmentShares]) -> tuple[dict[int | None, int], int]:
    """Integer numerators over one denominator (runtime times the credits' denominator), so the
    sums stay integer additions however many segments and contributors."""
    runtime = sum(s.duration_ms for s in shares)
    denominator = next((s.credits.denominator for s in shares if s.credits is not None), 1)
    totals: dict[int | None, int] = {}
    for s in shares:
        if s.credits is None:
            totals[s.author_id] = totals.get(s.author_id, 0) + s.duration_ms * denominator
            continue
        for author, numerator in s.credits.numerators.items():
            totals[author] = totals.get(author, 0) + s.duration_ms * numerator
    return totals, max(1, runtime) * denominator


# The report --------------------------------------------------------------------------------
def fairness_report(
    *, production: Production, segments: Sequence[Any] | None = None, with_roles: bool = False
) -> FairnessReport:
    """The report for the stored lineup (or a proposed one: `Segment`s, or the lineup
    editor's specs, whose pieces may name a submission instead of a record), with the
    production's rules.
    A fixed number of queries whatever the size of the lineup and its lineages: segments,
    the lineages (one recursive query), producers, the contributors' accounts, and their
    credits in other released productions. `with_roles`: each contributor's roles and
    closeness too (what the release stores)."""
    segs = _segments(production, segments)
    shares = _segment_credits(production, segs, with_roles=with_roles)
    totals, denominator = _totals(shares)
    runtime = sum(s.duration_ms for s in shares)
    producer_ids = set(
        Producer.objects.filter(production=production).values_list("user_id", flat=True)
    )
    ids = [a for a in totals if a is not None]
    users = _people(ids)
    credited_before = _credited_elsewhere(ids, production)
    positions: dict[int | None, list[int]] = {}
    roles: dict[int | None, list[str]] = {}
    for s in shares:
        if s.credits is None:  # a link: its author's, as host
            positions.setdefault(s.author_id, []).append(s.position)
            hosted = roles.setdefault(s.author_id, [])
            if "host" not in hosted:
                hosted.append("host")
            s.has_producer = True
            continue
        found_roles = s.credits.roles
        for author, numerator in s.credits.numerators.items():
            if not numerator:
                continue
            positions.setdefault(author, []).append(s.position)
            merged = roles.get(author)
            if merged is None:
                roles[author] = list(found_roles.get(author, ()))
            elif len(merged) < MAX_ROLES:
                for role in found_roles.get(author, ()):
                    if role not in merged and len(merged) < MAX_ROLES:
                        merged.append(role)
        s.has_producer = not producer_ids.isdisjoint(s.credits.numerators)
    contributors = []
    producers_n = staff_n = both_n = 0
    links = Fraction(0)
    for author, numerator in totals.items():
        if not numerator:
            continue
        user = users.get(author) if author is not None else None
        is_producer = author in producer_ids
        is_staff = user is not None and user.is_staff
        contributors.append(
            ContributorShare(
                user_id=author,
                user=user,
                numerator=numerator,
                denominator=denominator,
                runtime_ms=(2 * numerator * runtime + denominator) // (2 * denominator),
                is_producer=is_producer,
                is_staff=is_staff,
                first_time=author is not None and author not in credited_before,
                segment_positions=positions.get(author, []),
                roles=roles.get(author, []),
            )
        )
        if is_producer:
            producers_n += numerator
        if is_staff:
            staff_n += numerator
        if is_producer or is_staff:
            both_n += numerator
    producers = Fraction(producers_n, denominator)
    staff = Fraction(staff_n, denominator)
    both = Fraction(both_n, denominator)
    for s in shares:
        if s.kind == SegmentKind.LINK and runtime:
            link = Fraction(s.duration_ms, runtime)
            links += link
            if s.author_id not in producer_ids:
                # A link is the producers' whoever made it (its author counted it already
                # if they are staff).
                producers += link
                maker = users.get(s.author_id) if s.author_id is not None else None
                if maker is None or not maker.is_staff:
                    both += link
    contributors.sort(key=lambda c: (-c.numerator, c.user_id is None, c.user_id or 0))
    report = FairnessReport(
        production_id=production.pk,
        source_share=_source_share(production),
        runtime_ms=runtime,
        segment_count=len(shares),
        contributors=contributors,
        segments=shares,
        producers_share=producers,
        staff_share=staff,
        producers_staff_share=both,
        link_share=links,
        segments_with_producer=sum(1 for s in shares if s.has_producer),
        rules=[],
    )
    report.rules = _rules(production, report)
    return report


def _rules(production: Production, report: FairnessReport) -> list[RuleResult]:
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
