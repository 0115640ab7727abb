"""The moderators' queue and the appeals a page at a time: the longest-waiting first, each
once, the order held while moderators act between pages, and a bad cursor refused."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from riffhouse.accounts.models import Role, User
from riffhouse.core.errors import ApplicationError
from riffhouse.moderation import selectors, services
from riffhouse.moderation.models import Appeal, Report
from riffhouse.moderation.services import TargetRef

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(settings: Any, make_user: Callable[..., User], reporter: User) -> list[User]:
    """Five members reported by `reporter`, in order: the first has waited longest."""
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "report": (100, 3600)}
    members = [make_user(f"reported{i}") for i in range(5)]
    for member in members:
        services.report_create(
            reporter=reporter, target=TargetRef("member", member.pk), category="spam", text="x"
        )
    return members


def pages(moderator: User, limit: int) -> list[list[int]]:
    """Every page of the queue, followed cursor by cursor: the member ids on each."""
    found: list[list[int]] = []
    cursor = None
    while True:
        queue = selectors.moderation_queue(viewer=moderator, cursor=cursor, limit=limit)
        found.append([item.pk for item in queue.items])
        cursor = queue.next_cursor
        if cursor is None:
            return found


def test_the_queue_comes_a_page_at_a_time_oldest_first(
    moderator: User, reported: list[User], make_user: Callable[..., User]
) -> None:
    # A later report of the longest-waiting member does not move it back.
    services.report_create(
        reporter=make_user("second"),
        target=TargetRef("member", reported[0].pk),
        category="spam",
        text="y",
    )
    ids = [m.pk for m in reported]
    assert pages(moderator, 2) == [ids[0:2], ids[2:4], ids[4:5]]
    assert pages(moderator, 5) == [ids]
    first = selectors.moderation_queue(viewer=moderator, limit=2)
    assert (first.open_reports, first.open_targets) == (6, 5)
    assert first.items[0].count == 2


def test_acting_between_pages_moves_nothing_on_the_next(
    moderator: User, reported: list[User], make_user: Callable[..., User]
) -> None:
    ids = [m.pk for m in reported]
    first = selectors.moderation_queue(viewer=moderator, limit=2)
    assert [item.pk for item in first.items] == ids[0:2]
    # The moderator deals with the first page, and a new report of a later member arrives.
    for pk in ids[0:2]:
        services.reports_dismiss(moderator=moderator, target=TargetRef("member", pk))
    services.report_create(
        reporter=make_user("late"), target=TargetRef("member", ids[3]), category="spam", text="y"
    )
    second = selectors.moderation_queue(viewer=moderator, cursor=first.next_cursor, limit=2)
    assert [item.pk for item in second.items] == ids[2:4]


def test_targets_reported_at_the_same_moment_keep_one_order(
    moderator: User, reported: list[User]
) -> None:
    Report.objects.update(created_at=timezone.now())
    seen = [pk for page in pages(moderator, 2) for pk in page]
    assert sorted(seen) == sorted(m.pk for m in reported)


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "bm9wZQ",  # "nope"
        "MjAyNi0wMS0wMVQwMDowMDowMHwx",  # a time without its zone, "2026-01-01T00:00:00|1"
        "MjAyNi0wMS0wMVQwMDowMDowMCswMDowMHwtMQ",  # a negative id
    ],
)
def test_a_malformed_cursor_is_refused(moderator: User, cursor: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        selectors.moderation_queue(viewer=moderator, cursor=cursor)
    assert (refused.value.status, refused.value.code) == (400, "invalid_cursor")


@pytest.fixture
def appealed(moderator: User, make_user: Callable[..., User]) -> list[Appeal]:
    """Three members warned, each appealing, the first the longest-waiting."""
    appeals = []
    for i in range(3):
        member = make_user(f"warned{i}")
        action = services.action_take(
            moderator=moderator, target=TargetRef("member", member.pk), kind="warn", reason="x"
        )
        appeals.append(services.appeal_create(member=member, action_id=action.pk, text="No"))
    return appeals


def test_appeals_come_a_page_at_a_time_oldest_first(
    moderator: User, make_user: Callable[..., User], appealed: list[Appeal]
) -> None:
    other = make_user("max", role=Role.MODERATOR)
    first = selectors.appeals_open(viewer=moderator, limit=2)
    assert [a.pk for a in first.items] == [a.pk for a in appealed[:2]]
    # Mona took these actions and Max could decide them: hers say so, and the page after
    # still reaches the rest.
    assert all(a.decide_refusal.code == "own_action" for a in first.items)
    services.appeal_decide(moderator=other, appeal_id=appealed[0].pk, grant=False, note="No")
    second = selectors.appeals_open(viewer=moderator, cursor=first.next_cursor, limit=2)
    assert [a.pk for a in second.items] == [appealed[2].pk] and second.next_cursor is None
    with pytest.raises(ApplicationError) as refused:
        selectors.appeals_open(viewer=moderator, cursor="nope")
    assert refused.value.code == "invalid_cursor"
