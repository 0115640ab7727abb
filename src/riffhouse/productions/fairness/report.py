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
from dataclasses import dataclass
from fractions import Fraction
from operator import attrgetter
from typing import Any

from django.db import connection
from django.utils.text import capfirst

from riffhouse.accounts.models import FORMER_MEMBER_NAME, User
from riffhouse.lineage.credits import RecordCredits, record_credit_lineages
from riffhouse.lineage.selectors import MAX_ROLES
from riffhouse.productions.fairness.rules import RuleResult, fairness_rules_check
from riffhouse.productions.fairness.shares import (
    ContributorShare,
    Person,
    fraction_text,
    fraction_text_of,
    percent,
)
from riffhouse.productions.models import (
    Producer,
    Production,
    ProductionCredit,
    Segment,
    SegmentKind,
    Submission,
)


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
        rows = cursor.fetchall()  # (iterating Django's cursor costs a call per row)
    return {row[0]: Person(row[1], row[2], row[3], bool(row[4])) for row in rows}


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
        credited = [author for author, numerator in s.credits.numerators.items() if numerator]
        for author in credited:
            positions.setdefault(author, []).append(s.position)
        if with_roles:  # (without, the lineages carry no roles: only hosts have one)
            found_roles = s.credits.roles
            for author in credited:
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
    # In the order the list is shown when shares tie (members by id, former members last),
    # so that one stable sort by share, largest first, gives the list.
    for author in sorted(ids) + ([None] if None in totals else []):
        numerator = totals[author]
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
    contributors.sort(key=attrgetter("numerator"), reverse=True)  # stable: ties keep their order
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
    report.rules = fairness_rules_check(production=production, report=report)
    return report
