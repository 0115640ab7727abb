"""The header's unread badge polls for news only while the tab is shown, and catches up as
soon as it is shown again; marking notifications read moves it at once."""

import pytest
from playwright.sync_api import expect

from riffhouse.community.notify import notify
from tests.browser.members import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BADGE = "/notifications/badge/"


def _set_visibility(page, state: str) -> None:
    page.evaluate(
        """state => {
            Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def test_a_hidden_tab_skips_polls_and_a_shown_one_catches_up(page, live_site, user, make_user):
    ana = make_user("ana", display_name="Ana Reyes")
    log_in(page, "orion")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if BADGE in request.url else None)
    badge = page.locator("#notification-badge")
    expect(badge).to_have_text("")

    _set_visibility(page, "hidden")
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    # Any of the badge's triggers (the 30 s timer among them) goes through htmx's
    # beforeRequest, which a hidden tab cancels.
    page.evaluate("htmx.trigger('#notification-badge', 'badge-refresh')")
    page.evaluate("() => new Promise(requestAnimationFrame)")
    assert asked == []  # hidden: no request, and nothing new drawn
    expect(badge).to_have_text("")

    with page.expect_request(lambda request: BADGE in request.url):
        _set_visibility(page, "visible")
    expect(badge).to_contain_text("1")
    assert page.console_errors == []


def test_mark_read_drops_the_badge_at_once_not_at_the_next_poll(page, live_site, user, make_user):
    ana = make_user("ana", display_name="Ana Reyes")
    for _ in range(3):
        notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    log_in(page, "orion")
    page.goto("/notifications/")
    badge = page.locator("#notification-badge")
    summary = page.locator("#notifications-summary")
    expect(badge).to_contain_text("3")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if BADGE in request.url else None)

    first = page.locator(".notification-list > li").first
    with page.expect_response(lambda response: response.url.endswith("/read/")):
        first.get_by_role("button", name="Mark read").click()
    expect(first.get_by_role("status")).to_have_text("Read")
    expect(badge).to_contain_text("2")
    expect(summary).to_have_text("2 unread")
    # The mark-read answer carried the count: the badge did not ask (its poll is every 30 s).
    assert asked == []

    # "Mark all as read" posts and comes back to the page, its header counted anew.
    page.get_by_role("button", name="Mark all as read").click()
    expect(summary).to_have_text("You’re all caught up.")
    expect(badge).to_have_text("")
    assert asked == []
    assert page.console_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_unread_count_shows_beside_the_bell(page, live_site, user, make_user, width):
    """The header hides its icons' words (they stay for screen readers), never the count."""
    page.set_viewport_size({"width": width, "height": 900})
    ana = make_user("ana", display_name="Ana Reyes")
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    log_in(page, "orion")
    count = page.locator("#notification-badge .badge")
    expect(count).to_have_text("1")
    box = page.locator("#notification-badge").bounding_box()
    assert box is not None and box["width"] >= 12 and box["height"] >= 12, box
    # Drawn where it is, not clipped away: the point at its middle is the count.
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('#notification-badge') !== null",
        middle,
    )
    word = page.locator(".nav-icon", has=page.locator("#notification-badge")).get_by_text(
        "Notifications", exact=True
    )
    word_box = word.bounding_box()
    assert word_box is not None and word_box["width"] <= 1  # the word stays hidden
