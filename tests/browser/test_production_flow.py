"""A production from the call to the show, in the browser, as its people do it: a member
starts a production and adds a need with a seed record; another member remixes the seed from
the need page and a third answers with a piece of their own; the producer shortlists and
selects on the curation board, arranges the lineup by dragging, sees a fairness rule refuse
the release, relaxes it and releases (the job runs in the worker); then a logged-out viewer
plays the episode through two segments and opens the credits, where the seed's author is
credited through the remix."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from riffhouse.core.testing import wait_for
from riffhouse.productions.models import Production, Segment, Submission
from riffhouse.records.models import Record
from tests.browser.members import log_in
from tests.browser.pages import watched_page
from tests.browser.test_lineup import drag_to_top
from tests.browser.works import published, writing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Where to keep the screenshots this test takes (for a person to look at), if anywhere.
SHOTS = os.environ.get("FLOW_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _as(browser, live_site, username: str):
    """A browser of one's own (its own cookies), logged in as `username`."""
    context = browser.new_context(base_url=live_site.url, viewport={"width": 1280, "height": 900})
    page = watched_page(context)
    if username:
        log_in(page, username)
    return context, page


def test_a_production_from_the_call_to_the_credits(page, browser, live_site, make_user) -> None:
    paz = make_user("paz", display_name="Paz Ortega")
    ines = make_user("ines", display_name="Ines Okafor")
    make_user("cleo", display_name="Cleo Marsh")
    wren = make_user("wren", display_name="Wren Adeyemi")
    seed = writing(ines, "Leaving Earth, a poem")
    own = writing(wren, "The last launch")
    published(seed, own)
    assert paz  # the producer starts everything through the pages

    # The producer starts the production and adds a need with the seed.
    log_in(page, "paz")
    page.goto("/productions/new/")
    page.get_by_label("Kind").select_option(label="Episode")
    page.get_by_label("Title").fill("Leaving Earth")
    page.get_by_label("Theme").fill("Space")
    page.get_by_label("Brief").fill("Songs, pictures and poems about **leaving Earth**.")
    page.get_by_role("button", name="Start it as a draft").click()
    expect(page.get_by_role("heading", name="Leaving Earth", level=1)).to_be_visible()
    shot(page, "1-draft")
    production = Production.objects.get(title="Leaving Earth")
    tools = page.get_by_role("navigation", name="Producer tools")
    tools.get_by_role("link", name="Add a need").click()
    page.get_by_label("What you need").fill("A poem for the launch")
    page.get_by_label("Writing").check()
    page.get_by_label("How many pieces you want").fill("2")
    page.get_by_label("Seed record to remix").fill(str(seed.pk))
    expect(page.locator("#seed-preview")).to_contain_text("Leaving Earth, a poem")
    shot(page, "2-need-form")
    page.get_by_role("button", name="Add the need").click()
    expect(page.get_by_text("“A poem for the launch” is added.")).to_be_visible()
    page.get_by_role("button", name="Open for submissions").click()
    expect(page.get_by_text("It is open: members can answer its needs.")).to_be_visible()
    shot(page, "3-open")

    # Another member finds the call, remixes the seed from the need page and publishes.
    cleo_context, cleo = _as(browser, live_site, "cleo")
    cleo.goto("/calls/")
    cleo.get_by_role("link", name="Leaving Earth").first.click()
    cleo.get_by_role("link", name="A poem for the launch").click()
    expect(cleo.get_by_role("heading", name="A poem for the launch", level=1)).to_be_visible()
    shot(cleo, "4-need-page")
    cleo.get_by_role("link", name="Remix the seed").click()
    expect(cleo.get_by_role("heading", name="Build on “Leaving Earth, a poem”")).to_be_visible()
    cleo.get_by_label("What you used").first.fill("words")
    cleo.get_by_label("Text").fill("We left the blue behind,\na jar of ocean in each hand.")
    cleo.get_by_label("Title").fill("A jar of ocean")
    shot(cleo, "5-remix-form")
    cleo.get_by_role("button", name="Publish and submit").click()
    # The remix's page; it is submitted to the need once the worker has published it.
    expect(cleo.get_by_role("heading", name="A jar of ocean", level=1)).to_be_visible()
    expect(cleo.locator(".messages")).to_contain_text(
        "It is submitted to “A poem for the launch” as soon as it is ready"
    )
    expect(cleo.locator(".lineage-panel .credit-list")).to_contain_text("Ines Okafor")
    remix = Record.objects.get(title="A jar of ocean")
    wait_for(
        lambda: Submission.objects.filter(record=remix, need__production=production).exists(),
        timeout=60,
        message="the published remix to be submitted to the need",
    )
    cleo.goto("/calls/")
    cleo.get_by_role("link", name="Your submissions").click()
    expect(cleo.locator(".sub-list")).to_contain_text("A jar of ocean")
    shot(cleo, "6-my-submissions")

    # A third member answers with a piece of their own.
    wren_context, wren_page = _as(browser, live_site, "wren")
    wren_page.goto(f"/productions/needs/{production.needs.get().pk}/")
    wren_page.get_by_label("The last launch").check()
    wren_page.get_by_role("button", name="Submit", exact=True).click()
    expect(
        wren_page.get_by_text("Submitted. You’ll hear here when the producers decide.")
    ).to_be_visible()
    wren_context.close()

    # The producer curates: shortlists the remix, then selects it, and selects the other.
    page.goto(production.get_absolute_url())
    page.get_by_role("navigation", name="Producer tools").get_by_role("link", name="Curate").click()
    expect(page.get_by_role("heading", name="Curate the submissions")).to_be_visible()
    from_cleo = page.locator(".sub-card", has_text="A jar of ocean")
    from_wren = page.locator(".sub-card", has_text="The last launch")
    expect(from_cleo).to_be_visible()
    from_cleo.get_by_role("button", name="Shortlist").click()
    expect(from_cleo.locator(".sub-pill")).to_have_text("Shortlisted")
    # The card moves to its new column at once (no reload); the keyboard stays on it.
    expect(page.locator("#items-shortlisted .sub-card")).to_contain_text("A jar of ocean")
    expect(page.locator("#items-submitted")).not_to_contain_text("A jar of ocean")
    expect(from_cleo.get_by_role("button", name="Select")).to_be_focused()
    from_cleo.get_by_role("button", name="Select").click()
    expect(from_cleo.locator(".sub-pill")).to_have_text("Selected")
    expect(page.locator("#items-selected .sub-card")).to_contain_text("A jar of ocean")
    expect(page.locator("#items-shortlisted .board-empty")).to_be_visible()
    expect(page.locator("#count-selected")).to_have_text("1")
    from_wren.get_by_role("button", name="Select").click()
    expect(from_wren.locator(".sub-pill")).to_have_text("Selected")
    expect(page.locator("#items-selected .sub-card")).to_have_count(2)
    expect(page.locator("#items-submitted .board-empty")).to_be_visible()
    shot(page, "7-board")

    # The lineup, from the board: both pieces, the second dragged to the top, short display
    # times (the player is quick), saved.
    page.get_by_role("link", name="arrange the selected pieces in the lineup").click()
    page.get_by_role("button", name="Add “A jar of ocean”").click()
    page.get_by_role("button", name="Add “The last launch”").click()
    cards = page.locator("[data-lineup] > [data-segment]")
    titles = cards.locator("[data-segment-title]")
    expect(titles).to_have_text(["A jar of ocean", "The last launch"])
    page.set_viewport_size({"width": 1280, "height": 1400})
    drag_to_top(page, cards.nth(1).locator("[data-handle]"))
    expect(titles).to_have_text(["The last launch", "A jar of ocean"])
    cards.nth(0).get_by_label("Shows for").fill("0:01.5")
    cards.nth(1).get_by_label("Shows for").fill("0:01.5")
    expect(page.locator(".lineup-bar [data-runtime]")).to_have_text("0:03.0")
    page.get_by_role("button", name="Save the lineup").click()
    expect(page.get_by_text("Lineup saved.")).to_be_visible()
    shot(page, "8-lineup")
    assert [s.record.title for s in Segment.objects.filter(production=production)] == [
        "The last launch",
        "A jar of ocean",
    ]

    # Fairness, from the lineup: no contributor above 25 % blocks the release, naming who is
    # over it.
    page.get_by_role("link", name="Fairness and release").click()
    expect(page.get_by_role("heading", name="Fairness report")).to_be_visible()
    page.get_by_label("Most one contributor may hold (%)").fill("25")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_text("The rules are saved.")).to_be_visible()
    # Still open for submissions: the page offers to close them, not to release.
    expect(page.get_by_role("button", name="Release", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Close submissions and start curating").click()
    # The move comes back to the fairness page, which now offers the release.
    expect(page.get_by_text("Submissions are closed: time to curate.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/productions/{production.pk}/fairness/$"))
    page.get_by_role("button", name="Release", exact=True).click()
    # The refusal is shown on the fairness page, reached by a redirect (a reload re-reads it).
    expect(page).to_have_url(re.compile(rf"/productions/{production.pk}/fairness/$"))
    refusal = page.get_by_role("alert").filter(has_text="Not released")
    expect(refusal).to_contain_text("No contributor may hold more than 25 % of the runtime")
    # Wren's piece is all theirs; Cleo's remix gives 40 % of its half to the seed's author.
    expect(refusal).to_contain_text("Wren Adeyemi holds 50.0 %, Cleo Marsh holds 30.0 %.")
    shot(page, "9-refused")
    production.refresh_from_db()
    assert production.release_requested_at is None

    # Relaxed, it releases: the job runs in the worker.
    page.get_by_label("Most one contributor may hold (%)").fill("50")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_text("The rules are saved.")).to_be_visible()
    page.get_by_role("button", name="Release", exact=True).click()
    shot(page, "10-releasing")
    # The page follows the job: "Releasing…" until the worker has stored the credits.
    expect(page.get_by_text(re.compile(r"^As released on"))).to_be_visible(timeout=90_000)
    page.locator(".fairness .eyebrow").get_by_role("link", name="Leaving Earth").click()
    expect(page.locator("[data-show-player]")).to_be_visible()
    shot(page, "11-released-producer")
    assert page.console_errors == [] and cleo.console_errors == []
    cleo_context.close()

    # A logged-out viewer plays the episode through its two segments, then opens the credits.
    viewer_context, viewer = _as(browser, live_site, "")
    viewer.goto(production.get_absolute_url())
    expect(viewer.get_by_role("heading", name="Leaving Earth", level=1)).to_be_visible()
    viewer.get_by_role("button", name="Play", exact=True).click()
    expect(viewer.locator('[data-jump="1"]')).to_have_attribute("aria-current", "true")
    expect(viewer.locator("[data-stage-card]")).to_contain_text("the tide goes out")
    expect(viewer.locator('[data-jump="2"]')).to_have_attribute("aria-current", "true")
    expect(viewer.locator("[data-stage-card]")).to_contain_text("a jar of ocean in each hand")
    shot(viewer, "12-playing")
    viewer.get_by_role("link", name=re.compile(r"All 3 contributors")).click()
    expect(viewer.get_by_role("heading", name="Credits", level=1)).to_be_visible()
    groups = viewer.locator(".credit-group")
    expect(groups.filter(has_text="Producers")).to_contain_text("Paz Ortega")
    expect(groups.filter(has_text="Writing")).to_contain_text("Wren Adeyemi")
    expect(groups.filter(has_text="Writing")).to_contain_text("Cleo Marsh")
    # The seed's author, credited for what the remix used of the seed.
    expect(groups.filter(has_text="Words")).to_contain_text("Ines Okafor")
    viewer.get_by_role("link", name="By segment").click()
    remixed = groups.filter(has=viewer.get_by_role("heading", name=re.compile("A jar of ocean")))
    expect(remixed).to_contain_text("Cleo Marsh")
    expect(remixed).to_contain_text("Ines Okafor")
    shot(viewer, "13-credits")
    assert viewer.console_errors == []
    viewer_context.close()
