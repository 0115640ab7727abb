"""Shares as the fairness report counts and shows them: exact (integers over one
denominator; a `Fraction` when asked), percentages for people, and the people they belong
to, named as the site names them."""

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import gcd

from riffhouse.accounts.models import FORMER_MEMBER_NAME, Role

STAFF_ROLES = (Role.STAFF, Role.ADMIN)


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
