"""Follows and hearts (issue 13, items 1 and 2): services write the row and move its count
in one transaction; selectors read lists, a viewer's states and counts."""

from riffhouse.community.social.selectors import (
    HeartStates,
    MemberCounts,
    MemberPage,
    TargetCounts,
    follow_states,
    follower_list,
    following_list,
    heart_states,
    member_counts,
    member_get_followable,
    production_counts,
    production_follow_states,
    record_counts,
)
from riffhouse.community.social.services import (
    follow_add,
    follow_remove,
    heart_add,
    heart_remove,
)

__all__ = [
    "HeartStates",
    "MemberCounts",
    "MemberPage",
    "TargetCounts",
    "follow_add",
    "follow_remove",
    "follow_states",
    "follower_list",
    "following_list",
    "heart_add",
    "heart_remove",
    "heart_states",
    "member_counts",
    "member_get_followable",
    "production_counts",
    "production_follow_states",
    "record_counts",
]
