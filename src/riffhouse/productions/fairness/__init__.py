"""The fairness report: who holds how much of a production's runtime, and the rules its
producers set that block the release while broken.

- `shares`: exact shares and percentages for people, and the people they belong to.
- `report`: `fairness_report` and `lineup_shares`, from the lineup and lineage's weighting.
- `rules`: whether each rule holds for a report, and `fairness_rules_set`.

The names below are this package's public face: import them from here.
"""

from riffhouse.productions.fairness.report import (
    FairnessReport,
    SegmentShares,
    fairness_report,
    lineup_shares,
)
from riffhouse.productions.fairness.rules import (
    MAX_MIN_CONTRIBUTORS,
    MAX_SOURCE_SHARE_PERCENT,
    RuleResult,
    fairness_rules_check,
    fairness_rules_set,
)
from riffhouse.productions.fairness.shares import (
    STAFF_ROLES,
    ContributorShare,
    Person,
    fraction_text,
    fraction_text_of,
    percent,
    percent_of,
)

__all__ = [
    "MAX_MIN_CONTRIBUTORS",
    "MAX_SOURCE_SHARE_PERCENT",
    "STAFF_ROLES",
    "ContributorShare",
    "FairnessReport",
    "Person",
    "RuleResult",
    "SegmentShares",
    "fairness_report",
    "fairness_rules_check",
    "fairness_rules_set",
    "fraction_text",
    "fraction_text_of",
    "lineup_shares",
    "percent",
    "percent_of",
]
