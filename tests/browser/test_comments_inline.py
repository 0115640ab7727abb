"""A comment posted in place on a record's page (htmx): the section loads, the comment with
its mention appears without a reload and takes the focus; a reply; delete after a
confirmation. The heading's count follows each of them. A comment from a member you blocked,
collapsed in its place, shown and collapsed again in place. Screenshots with
SCREENSHOTS=/some/folder."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from riffhouse.accounts.services import block_add
from riffhouse.community.comments.services import comment_create
from riffhouse.core.testing import wait_for
from riffhouse.records.models import Record
from riffhouse.records.services import record_create
from tests.browser.members import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_comment_reply_and_delete_in_place(page, live_site, make_user, width) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(40_000)
    mira = make_user("mira")
    make_user("tomas")
    make_user("lena")
    poem = record_create(author=mira, kind="text", title="Harbour poem", body="Salt.")
    wait_for(
        lambda: Record.objects.filter(pk=poem.pk, live_version__isnull=False).exists(),
        timeout=60,
        message="the worker to process the record",
    )
    log_in(page, "tomas")
    page.goto(f"/records/{poem.pk}/")
    section = page.locator("#comments")
    expect(section.get_by_label("Add a comment")).to_be_visible()
    count = section.locator("h2 #comments-count")
    expect(count).to_have_text("0")
    url = page.url
    section.get_by_label("Add a comment").fill("Lovely, @lena! <script>alert(1)</script>")
    section.get_by_role("button", name="Post comment").click()
    comment = section.locator("article.comment").first
    expect(comment).to_contain_text("Lovely, @lena!")
    expect(comment.locator("a.mention")).to_have_attribute("href", "/@lena")
    expect(comment).to_be_focused()
    expect(count).to_have_text("1")
    assert page.url == url  # no reload
    expect(section.get_by_label("Add a comment")).to_have_value("")
    shot(page, f"comments-posted-{width}")

    comment.locator("summary", has_text="Reply").click()
    comment.get_by_label("Reply to").fill("And a reply.")
    comment.get_by_role("button", name="Post reply").click()
    reply = section.locator(".comment-replies article.comment").first
    expect(reply).to_contain_text("And a reply.")
    expect(reply).to_be_focused()
    expect(count).to_have_text("2")

    comment.get_by_role("link", name="Delete").click()
    section.get_by_role("button", name="Delete").click()
    expect(section.locator("article.comment.is-deleted")).to_contain_text("Comment deleted")
    expect(section.locator(".comment-replies")).to_contain_text("And a reply.")
    expect(count).to_have_text("1")
    expect(section.locator("#comments-count")).to_have_count(1)
    assert page.url == url
    shot(page, f"comments-deleted-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_comment_from_a_member_you_blocked_is_collapsed_and_shown_on_request(
    page, live_site, make_user, width
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    mira = make_user("mira", display_name="Mira Sol")
    tomas = make_user("tomas", display_name="Tomas Berg")
    lena = make_user("lena")
    poem = record_create(author=mira, kind="text", title="Harbour poem", body="Salt.")
    wait_for(
        lambda: Record.objects.filter(pk=poem.pk, live_version__isnull=False).exists(),
        timeout=60,
        message="the worker to process the record",
    )
    top = comment_create(author=tomas, body="Too much salt.", record=poem)
    comment_create(author=mira, body="There is never too much.", parent=top)
    block_add(blocker=lena, blocked=tomas)

    log_in(page, "lena")
    page.goto(f"/records/{poem.pk}/")
    section = page.locator("#comments")
    collapsed = section.locator(f"#comment-{top.pk}")
    expect(collapsed).to_contain_text("Comment from a member you blocked")
    expect(collapsed).not_to_contain_text("Too much salt.")
    expect(collapsed).not_to_contain_text("Tomas Berg")
    # The reply under it keeps its place.
    expect(section.locator(f"#replies-{top.pk}")).to_contain_text("There is never too much.")
    shot(page, f"comments-blocked-{width}")

    url = page.url
    collapsed.get_by_role("link", name="Show the comment").click()
    shown = section.locator(f"#comment-{top.pk}")
    expect(shown).to_contain_text("Too much salt.")
    expect(shown).to_contain_text("You blocked this member.")
    expect(shown).to_be_focused()
    expect(shown.locator("summary", has_text="Reply")).to_have_count(0)
    assert page.url == url  # in place
    shot(page, f"comments-blocked-shown-{width}")

    shown.get_by_role("link", name="Hide the comment").click()
    expect(section.locator(f"#comment-{top.pk}")).to_contain_text(
        "Comment from a member you blocked"
    )
    expect(section.locator(f"#comment-{top.pk}")).to_be_focused()
    assert page.console_errors == []
