"""The community flow of issue 13 as two members do it, each in their own browser: Ana follows
Ben from his profile, hearts his record and comments on it (once plainly, once mentioning
him); Ben's header badge and notifications page show the follow, the comment and the
mention, whose link leads to the comment; Ben replies and Ana is told; then Ana finds Ben's
record from the header search box as she types.

Notifications are jobs: the live server enqueues them in the database and the browser tests'
job worker (tests/browser/conftest.py, `TASKS_BACKEND=db`) delivers them, so the test waits
for the worker's rows before a page can show them. The badge polls every 30 seconds
(templates/base.html, not a setting), so the member reloads instead of waiting for it."""

import re

import pytest
from playwright.sync_api import expect

from riffhouse.community.models import Notification
from riffhouse.core.testing import wait_for
from tests.browser.members import log_in
from tests.browser.pages import watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def delivered(recipient, verb: str, count: int = 1) -> None:
    """Wait until the job worker has delivered `count` notifications of `verb`."""
    wait_for(
        lambda: Notification.objects.filter(recipient=recipient, verb=verb).count() >= count,
        timeout=60,
        message=f"the worker to deliver {verb!r} to {recipient.username}",
    )


def test_follow_heart_comment_notify_reply_and_search(
    browser, live_site, live_site_media, make_user, make_record
) -> None:
    ana = make_user("ana", display_name="Ana Reyes")
    ben = make_user("ben", display_name="Ben Okafor")
    record = make_record(author=ben, title="Lighthouse keeper", body="The lamp turns.")
    a_context = browser.new_context(base_url=live_site.url, viewport={"width": 1280, "height": 900})
    b_context = browser.new_context(base_url=live_site.url, viewport={"width": 1280, "height": 900})
    a = watched_page(a_context)
    b = watched_page(b_context)
    log_in(a, "ana")
    log_in(b, "ben")
    b.goto("/notifications/")
    badge = b.locator("#notification-badge")
    expect(badge).to_have_text("")  # nothing yet

    # Ana follows Ben from his profile.
    a.goto(ben.get_absolute_url())
    follow = a.get_by_role("button", name="Follow Ben Okafor")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "true")
    expect(a.get_by_role("link", name="1 follower", exact=True)).to_be_visible()

    # She hearts his record: the count goes up.
    a.goto(record.get_absolute_url())
    heart = a.get_by_role("button", name=re.compile("^Heart “Lighthouse keeper”"))
    expect(heart.locator(".social-count")).to_have_text("0")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart.locator(".social-count")).to_have_text("1")

    # She comments, then mentions him: the mention is a link to his profile.
    section = a.locator("#comments")
    section.get_by_label("Add a comment").fill("The lamp line is lovely.")
    section.get_by_role("button", name="Post comment").click()
    expect(section.locator("article.comment", has_text="The lamp line")).to_be_visible()
    section.get_by_label("Add a comment").fill("@ben did you write it at night?")
    section.get_by_role("button", name="Post comment").click()
    mention_comment = section.locator("article.comment", has_text="did you write it")
    mention = mention_comment.locator("a.mention")
    expect(mention).to_have_text("@ben")
    expect(mention).to_have_attribute("href", "/@ben")

    # Ben: the worker delivers, and his badge and page show it.
    delivered(ben, "followed")
    delivered(ben, "commented")
    delivered(ben, "mentioned")
    b.reload()
    expect(badge).to_contain_text("3")
    expect(badge).to_contain_text("unread")
    items = b.locator(".notification-list > li")
    expect(items).to_have_count(3)  # the mention is not also a second "commented"
    followed = items.filter(has_text="followed you.")
    commented = items.filter(has_text="commented on “Lighthouse keeper”")
    mentioned = items.filter(has_text="mentioned you in a comment on “Lighthouse keeper”")
    expect(followed.get_by_role("link", name="Ana Reyes")).to_be_visible()
    expect(commented).to_contain_text("The lamp line is lovely.")
    expect(mentioned).to_contain_text("did you write it at night?")

    # The mention's link leads to the comment, shown first and targeted.
    mentioned.get_by_role("link", name="See the comment").click()
    expect(b).to_have_url(re.compile(rf"{record.get_absolute_url()}\?comment=\d+#comment-\d+$"))
    # The section loads by htmx after the page: the comment the fragment names.
    target = b.locator(f"article.comment{b.url[b.url.index('#') :]}")
    expect(b.locator(".comment-focus")).to_contain_text("did you write it at night?")
    expect(target).to_contain_text("did you write it at night?")
    expect(target.locator("a.mention")).to_have_attribute("href", "/@ben")
    expect(badge).to_contain_text("2")  # opening it marked it read

    # Ben replies; Ana is told.
    target.locator("summary", has_text="Reply").click()
    target.get_by_label("Reply to").fill("Yes, by the lamp itself.")
    target.get_by_role("button", name="Post reply").click()
    expect(b.locator(".comment-replies article.comment").first).to_contain_text(
        "by the lamp itself"
    )
    delivered(ana, "replied")
    a.goto("/notifications/")
    expect(a.locator("#notification-badge")).to_contain_text("1")
    reply = a.locator(".notification-list > li").filter(
        has_text="replied to your comment on “Lighthouse keeper”"
    )
    expect(reply).to_contain_text("Yes, by the lamp itself.")
    reply.get_by_role("link", name="See the comment").click()
    expect(a).to_have_url(re.compile(r"#comment-\d+$"))
    expect(a.locator(f"article.comment{a.url[a.url.index('#') :]}")).to_contain_text(
        "Yes, by the lamp itself."
    )

    # Ana types part of the title in the header: the result appears without Enter.
    a.goto("/")
    a.get_by_role("search").get_by_label("Search Riffhouse").press_sequentially("lightho", delay=40)
    result = a.locator(".search-results").get_by_role("link", name="Lighthouse keeper")
    expect(result).to_be_visible()
    result.click()
    expect(a.get_by_role("heading", name="Lighthouse keeper")).to_be_visible()
    assert a.url.startswith(f"{live_site.url}{record.get_absolute_url()}")

    assert a.console_errors == []
    assert b.console_errors == []
    a_context.close()
    b_context.close()
