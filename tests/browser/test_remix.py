"""Remixing in the browser: the Remix button, the form with its sources, and consent."""

import pytest
from playwright.sync_api import expect

from riffhouse.core.testing import wait_for
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.records.models import Record
from riffhouse.records.services import record_create
from tests.browser.members import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def original(author, title: str, **fields) -> Record:
    record = record_create(
        author=author, kind="text", title=title, body=f"{title}, line one.", **fields
    )
    wait_for(
        lambda: Record.objects.filter(pk=record.pk, live_version__isnull=False).exists(),
        timeout=60,
        message="the worker to publish the record",
    )
    return record


def test_remix_with_two_sources(page, live_site, make_user) -> None:
    mira, sable = make_user("mira"), make_user("sable")
    make_user("tomas")
    poem = original(mira, "Harbour poem")
    map_story = original(sable, "The last map")
    log_in(page, "tomas")
    page.goto(poem.get_absolute_url())
    page.get_by_role("link", name="Remix", exact=True).click()
    expect(page.get_by_role("heading", name="Build on “Harbour poem”")).to_be_visible()
    page.get_by_label("What you used").first.fill("words")
    page.get_by_role("button", name="Add another source").click()
    rows = page.locator(".source-row")
    expect(rows).to_have_count(3)  # the source, the spare row, and the one just added
    rows.nth(1).get_by_label("Record").fill(f"{live_site}/records/{map_story.pk}/")
    rows.nth(1).get_by_label("What you used").fill("the map")
    page.get_by_label("Text").fill("A harbour drawn\nfrom a map of words.")
    page.get_by_label("Title").fill("Harbour map")
    page.get_by_role("button", name="Publish remix").click()

    expect(page.get_by_role("heading", name="Harbour map")).to_be_visible()
    panel = page.locator(".lineage-panel")
    expect(panel.get_by_role("link", name="Harbour poem")).to_be_visible(timeout=60_000)
    expect(panel.get_by_role("link", name="The last map")).to_be_visible()
    expect(panel.locator(".credit-list")).to_contain_text("mira")
    expect(panel.locator(".credit-list")).to_contain_text("sable")
    assert set(SourceLink.objects.values_list("usage", flat=True)) == {"words", "the map"}
    assert page.console_errors == []


def test_ask_first_then_approve(page, live_site, make_user) -> None:
    mira = make_user("mira")
    make_user("tomas")
    poem = original(mira, "Quiet poem", remix_policy="ask")
    log_in(page, "tomas")
    page.goto(poem.get_absolute_url())
    page.get_by_role("link", name="Ask to remix").click()
    page.get_by_label("Text").fill("A quiet animation script.")
    page.get_by_label("Title").fill("Quiet film")
    page.get_by_label("Message to the authors you ask").fill("May I animate it?")
    page.get_by_role("button", name="Ask and save as draft").click()
    expect(page.get_by_text("Waiting for approval.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, "mira")
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_text("May I animate it?")).to_be_visible()
    page.goto("/remix-requests/")
    page.get_by_label("A note for tomas").fill("Yes, go ahead")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("You approved “Quiet film”")).to_be_visible()
    request = RemixRequest.objects.get()
    assert request.status == "approved"
    remix = Record.objects.get(title="Quiet film")
    assert remix.visibility == "published"
    assert page.console_errors == []
