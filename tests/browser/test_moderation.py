"""Long lists in moderation and settings, as a moderator and a member page through them in
the browser: "Show more" fetches the next page with htmx, and what it brings works."""

import pytest
from playwright.sync_api import expect

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import Role
from riffhouse.accounts.selectors import BLOCKS_PER_PAGE
from riffhouse.moderation import services as moderation
from riffhouse.moderation.selectors import QUEUE_PAGE
from tests.browser.members import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_reaches_the_cases_past_the_first_page(page, settings, user, make_user):
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "report": (100, 3600)}
    make_user("mona", role=Role.MODERATOR, display_name="Mona Mod")
    names = [f"spammer{i:02d}" for i in range(QUEUE_PAGE + 1)]
    for name in names:
        member = make_user(name, display_name=f"Spammer {name[-2:]}")
        moderation.report_create(
            reporter=user,
            target=moderation.target_ref(member=member.pk),
            category="spam",
            text=f"Ads from {name}",
        )
    log_in(page, "mona")

    page.goto("/moderation/")
    cases = page.locator(".moderation-case")
    expect(cases).to_have_count(QUEUE_PAGE)
    page.get_by_role("link", name="Show more reports").click()
    expect(cases).to_have_count(QUEUE_PAGE + 1)
    expect(page.get_by_role("link", name="Show more reports")).to_have_count(0)
    assert page.url.endswith("/moderation/")  # htmx added the page in place

    # The case htmx brought in acts like any other.
    last = cases.last
    expect(last.get_by_role("heading")).to_contain_text("Spammer 25")
    last.get_by_label("Action").select_option("warn")
    last.get_by_label("Reason").fill("Advertising in every comment.")
    last.get_by_role("button", name="Act").click()
    expect(page.get_by_text("Done: warn. The member is told why.")).to_be_visible()
    expect(page.get_by_text("25 open reports about 25 things")).to_be_visible()
    assert page.console_errors == []


def test_a_member_sees_every_member_they_blocked(page, user, make_user):
    for i in range(BLOCKS_PER_PAGE + 1):
        accounts.block_add(
            blocker=user, blocked=make_user(f"pest{i:02d}", display_name=f"Pest {i:02d}")
        )
    log_in(page, "orion")

    page.goto("/settings/blocks/")
    unblock = page.get_by_role("button", name="Unblock")
    expect(unblock).to_have_count(BLOCKS_PER_PAGE)
    expect(page.get_by_role("link", name="Pest 00")).to_have_count(0)  # the first blocked
    page.get_by_role("link", name="Show more").click()
    expect(unblock).to_have_count(BLOCKS_PER_PAGE + 1)
    page.get_by_role("button", name="Unblock Pest 00").click()
    expect(page.get_by_text("You unblocked Pest 00.")).to_be_visible()
    assert page.console_errors == []
