"""Following a member and hearting their record, as a member does it in the browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.members import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_a_member_and_heart_their_record(page, live_site, user, make_user, make_record):
    record = make_record("text", title="Moon song")
    make_user("ana", display_name="Ana Reyes")
    log_in(page, "ana")

    page.goto(user.get_absolute_url())
    follow = page.get_by_role("button", name="Follow Orion Vale")
    expect(follow).to_have_attribute("aria-pressed", "false")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("link", name="1 follower", exact=True)).to_be_visible()
    expect(follow).to_be_focused()  # htmx kept the focus on the swapped button

    page.goto(record.get_absolute_url())
    heart = page.get_by_role("button", name=re.compile("^Heart “Moon song”"))
    expect(heart).to_have_attribute("aria-pressed", "false")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart.locator(".social-count")).to_have_text("1")

    page.reload()  # the state is stored, not just drawn
    expect(heart).to_have_attribute("aria-pressed", "true")
    page.get_by_role("link", name="Orion Vale").first.click()
    page.get_by_role("link", name="1 follower", exact=True).click()
    expect(page.get_by_role("heading", name="Followers of Orion Vale")).to_be_visible()
    expect(page.get_by_role("link", name="Ana Reyes @ana")).to_be_visible()
    assert page.console_errors == []
