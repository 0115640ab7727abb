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


def choose_source(page, query: str, title: str) -> None:
    """Type in the source picker and choose a result by its title."""
    page.get_by_label("Add a source").fill(query)
    page.locator("[data-choose-source]", has_text=title).click()
    expect(page.locator("[data-source-card]", has_text=title)).to_be_visible()


def test_remix_with_two_sources(page, live_site, make_user) -> None:
    mira, sable = make_user("mira"), make_user("sable")
    make_user("tomas")
    poem = original(mira, "Harbour poem")
    original(sable, "The last map")
    log_in(page, "tomas")
    page.goto(poem.get_absolute_url())
    page.get_by_role("link", name="Remix", exact=True).click()
    expect(page.get_by_role("heading", name="Build on “Harbour poem”")).to_be_visible()
    cards = page.locator("[data-source-card]")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Harbour poem")
    page.get_by_label("What you used").first.fill("words")
    # By title, as you type: the count is announced.
    page.get_by_label("Add a source").fill("last ma")
    expect(page.locator("#source-results-count")).to_have_text("1 record found.")
    page.locator("[data-choose-source]", has_text="The last map").click()
    expect(cards).to_have_count(2)
    expect(cards.nth(1)).to_contain_text("sable")
    expect(cards.nth(1).get_by_label("What you used")).to_be_focused()
    cards.nth(1).get_by_label("What you used").fill("the map")
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


@pytest.mark.parametrize("width", [1280, 390])
def test_the_source_picker(page, live_site, make_user, width) -> None:
    """By author name, with the keyboard; closed records unavailable with the reason; ask-first
    records marked; a chosen source removed."""
    mira, sable = make_user("mira"), make_user("sable")
    make_user("tomas")
    poem = original(mira, "Harbour poem")
    original(sable, "Tide chart", remix_policy="closed")
    original(sable, "Tide song", remix_policy="ask")
    original(sable, "Tide map")
    log_in(page, "tomas")
    page.set_viewport_size({"width": width, "height": 844})  # after the log-in: a menu on a phone
    page.goto(f"/records/{poem.pk}/remix/")
    search = page.get_by_label("Add a source")
    search.fill("sable")
    expect(page.locator("#source-results-count")).to_have_text("3 records found.")
    closed = page.locator(".source-result", has_text="Tide chart")
    expect(closed).to_contain_text("Closed to remixes: its author keeps it as it is.")
    expect(closed.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("button", name="Tide chart")).to_have_count(0)
    expect(page.get_by_role("button", name="Tide song")).to_contain_text("asks first")
    # The keyboard: down from the box to the results (buttons), Enter chooses.
    search.press("ArrowDown")
    expect(page.get_by_role("button", name="Tide map")).to_be_focused()
    page.keyboard.press("Enter")
    cards = page.locator("[data-source-card]")
    expect(cards).to_have_count(2)
    expect(search).to_have_value("")
    # The same record cannot be chosen twice.
    search.fill("tide")
    expect(page.locator(".source-result", has_text="Tide map")).to_contain_text(
        "Already one of your sources."
    )
    # No checkbox: a Remove button takes the card and its row away.
    expect(page.locator("[data-sources] input[type=checkbox]")).to_have_count(0)
    page.get_by_role("button", name="Remove “Tide map”").click()
    expect(cards).to_have_count(1)
    expect(search).to_be_focused()
    if width == 390:  # even margins, nothing wider than the screen
        box = page.locator("#record-form").bounding_box()
        assert abs(box["x"] - (width - box["x"] - box["width"])) <= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    # A form that comes back with an error keeps its cards and its picker.
    page.get_by_role("button", name="Publish remix").click()
    expect(page.locator(".field-invalid").first).to_be_visible()
    expect(cards).to_have_count(1)
    page.get_by_label("Add a source").fill("tide m")
    expect(page.get_by_role("button", name="Tide map")).to_be_visible()
    page.get_by_label("Add a source").fill("")
    page.get_by_label("Text").fill("A poem for the harbour.")
    page.get_by_label("Title").fill("Harbour, again")
    page.get_by_role("button", name="Publish remix").click()
    expect(page.get_by_role("heading", name="Harbour, again")).to_be_visible()
    assert list(SourceLink.objects.values_list("source__title", flat=True)) == ["Harbour poem"]
    # The form posted with an error answers 400 (the upload script's request): nothing else.
    assert page.console_errors == [f"400 {live_site.url}/records/{poem.pk}/remix/"]


@pytest.mark.parametrize("width", [1280, 390])
def test_licence_choices_follow_the_sources(page, live_site, make_user, width) -> None:
    mira, sable = make_user("mira"), make_user("sable")
    make_user("tomas")
    poem = original(mira, "Harbour poem", licence="cc-by")
    original(sable, "Shared chart", licence="cc-by-sa")
    log_in(page, "tomas")
    page.set_viewport_size({"width": width, "height": 844})  # after the log-in: a menu on a phone
    page.goto(f"/records/{poem.pk}/remix/")
    licence = page.get_by_label("Licence")
    expect(licence).to_have_value("cc-by")
    expect(licence.locator("option[value=cc0]")).to_have_count(0)  # CC BY asks for credit
    # The submit is in reach before scrolling through the long form.
    expect(page.get_by_role("button", name="Publish remix")).to_be_in_viewport()
    choose_source(page, "shared", "Shared chart")
    expect(licence.locator("option")).to_have_count(1)
    expect(licence).to_have_value("cc-by-sa")
    reason = "Because “Shared chart” is CC BY-SA 4.0, your remix must be shared alike"
    expect(page.locator("#id_licence_helptext")).to_contain_text(reason)
    expect(page.locator("#id_licence_helptext")).to_be_visible()
    page.get_by_role("button", name="Remove “Shared chart”").click()
    expect(licence.locator("option[value=cc-by-nc]")).to_have_count(1)
    expect(licence).to_have_value("cc-by")
    expect(page.locator("#id_licence_helptext")).not_to_contain_text("Shared chart")
    expect(page.locator("[data-source-card]", has_text="Shared chart")).to_have_count(0)
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


def test_sources_without_javascript(browser, live_site, live_site_media, make_user) -> None:
    """The picker needs JavaScript; without it a row takes a record's number or address, and
    a chosen source is removed with its box."""
    mira, sable = make_user("mira"), make_user("sable")
    make_user("tomas")
    poem = original(mira, "Harbour poem")
    chart = original(sable, "Tide chart")
    context = browser.new_context(base_url=live_site.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "tomas")
    page.goto(f"/records/{poem.pk}/remix/")
    expect(page.get_by_label("Add a source")).to_be_hidden()
    page.get_by_label("Record — its number or its address").fill(f"/records/{chart.pk}/")
    page.get_by_label("Text").fill("Charted.")
    page.get_by_label("Title").fill("Charted harbour")
    page.get_by_role("button", name="Publish remix").click()
    expect(page.get_by_role("heading", name="Charted harbour")).to_be_visible()
    titles = set(SourceLink.objects.values_list("source__title", flat=True))
    assert titles == {"Harbour poem", "Tide chart"}
    remix = Record.objects.get(title="Charted harbour")
    page.goto(f"/records/{remix.pk}/sources/")
    page.get_by_label("Remove this source").first.check()
    page.get_by_role("button", name="Save sources").click()
    expect(page.get_by_text("Sources saved.")).to_be_visible()
    assert list(
        SourceLink.objects.filter(record=remix).values_list("source__title", flat=True)
    ) == ["Tide chart"]
    context.close()
