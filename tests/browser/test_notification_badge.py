"""The header's unread badge polls for news only while the tab is shown, and catches up as
soon as it is shown again."""

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
