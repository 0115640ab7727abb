"""The lineup editor in the browser: add selected pieces, drag one to the top, move one with
the keyboard, watch the runtime follow the inputs, save; and the page at phone width."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from riffhouse.productions import services
from riffhouse.productions.models import Segment
from riffhouse.productions.tests.scenes import submit
from riffhouse.records.models import Record
from tests.browser.members import log_in
from tests.browser.works import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Where to keep the screenshots this test takes (for a person to look at), if anywhere.
SHOTS = os.environ.get("LINEUP_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        # Colours change with a transition after a switch to dark: wait until they settle.
        page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def drag_to_top(page, handle) -> None:
    """A person's drag: press on the handle, move up over the cards above, and keep moving
    over the top of the first card until the dragged one (SortableJS's ghost) is first."""
    start = handle.bounding_box()
    x = start["x"] + start["width"] / 2
    page.mouse.move(x, start["y"] + start["height"] / 2)
    page.mouse.down()
    first = page.locator("[data-lineup] > li").first
    for nudge in range(80):
        if "segment-ghost" in (first.get_attribute("class") or ""):
            break
        box = first.bounding_box()
        page.mouse.move(x + nudge % 3, box["y"] + 4 + 6 * (nudge % 2), steps=3)
    page.mouse.up()


def test_a_producer_arranges_the_lineup(page, live_site, make_user, make_record) -> None:
    paz, cleo = make_user("paz", display_name="Paz Ortega"), make_user("cleo")
    production = services.production_create(
        actor=paz, kind="episode", title="Space", theme="Space", brief="Leaving Earth."
    )
    services.production_status_set(actor=paz, production=production, status="open")
    works = [
        make_record("image", author=cleo, title="Blue planet"),
        make_record("audio", author=cleo, title="Leaving Earth"),
        make_record("text", author=cleo, title="Orbit", body="Round and round " * 20),
    ]
    host = make_record("text", author=paz, title="Welcome to Space", body="Welcome.")
    published(*works, host)
    # cleo submits them, paz selects them.
    for record in Record.objects.filter(pk__in=[w.pk for w in works]):
        submit(producer=paz, production=production, record=record)

    log_in(page, "paz")
    page.goto(f"/productions/{production.pk}/lineup/")
    expect(page.get_by_role("heading", name="Lineup", exact=True)).to_be_visible()
    shot(page, "lineup-1280-empty")
    for title in ("Blue planet", "Leaving Earth", "Orbit"):
        page.get_by_role("button", name=f"Add “{title}”").click()
    page.get_by_role("button", name="Add link").click()
    cards = page.locator("[data-lineup] > [data-segment]")
    expect(cards).to_have_count(4)
    expect(page.locator("[data-available-item]:visible")).to_have_count(0)
    titles = cards.locator("[data-segment-title]")
    expect(titles).to_have_text(["Blue planet", "Leaving Earth", "Orbit", "Welcome to Space"])

    # Drag the link to the top by its handle (in a window tall enough to see all four: the
    # mouse moves in the window's coordinates).
    page.set_viewport_size({"width": 1280, "height": 1800})
    drag_to_top(page, cards.nth(3).locator("[data-handle]"))
    expect(titles).to_have_text(["Welcome to Space", "Blue planet", "Leaving Earth", "Orbit"])

    # The keyboard way: Move up keeps focus and says where the card went.
    orbit_up = cards.nth(3).get_by_role("button", name="Move up")
    orbit_up.focus()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["Welcome to Space", "Blue planet", "Orbit", "Leaving Earth"])
    expect(cards.nth(2).get_by_role("button", name="Move up")).to_be_focused()
    expect(page.locator("[data-announce]")).to_have_text("“Orbit” is now 3 of 4.")

    # The runtime follows the inputs.
    cards.nth(0).get_by_label("Shows for").fill("0:03.0")
    cards.nth(1).get_by_label("Shows for").fill("0:04.0")
    cards.nth(2).get_by_label("Shows for").fill("0:05.0")
    cards.nth(3).get_by_label("In", exact=True).fill("0:00.2")
    cards.nth(3).get_by_label("Out", exact=True).fill("0:00.7")
    expect(page.locator(".lineup-bar [data-runtime]")).to_have_text("0:12.5")
    cards.nth(0).get_by_label("Segment title").fill("Hello")
    shot(page, "lineup-1280")
    page.emulate_media(color_scheme="dark")
    shot(page, "lineup-1280-dark")
    page.emulate_media(color_scheme="light")

    page.get_by_role("button", name="Save the lineup").click()
    expect(page.get_by_text("Lineup saved.")).to_be_visible()
    segments = list(Segment.objects.filter(production=production).select_related("record"))
    assert [s.record.title for s in segments] == [
        "Welcome to Space",
        "Blue planet",
        "Orbit",
        "Leaving Earth",
    ]
    assert [s.duration_ms for s in segments] == [3000, 4000, 5000, 500]
    assert segments[0].kind == "link" and segments[0].title == "Hello"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(titles).to_have_count(4)
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "lineup-390")
    page.emulate_media(color_scheme="dark")
    shot(page, "lineup-390-dark")

    # A past-the-end out point: refused on its card, nothing saved, the typing kept.
    cards.nth(3).get_by_label("Out", exact=True).fill("0:09.0")
    page.get_by_role("button", name="Save the lineup").click()
    expect(cards.nth(3).get_by_role("alert")).to_contain_text("past the end of the media")
    expect(cards.nth(3).get_by_label("Out", exact=True)).to_have_value("0:09.0")
    assert Segment.objects.get(production=production, position=3).out_ms == 700
    cards.nth(3).scroll_into_view_if_needed()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/lineup-390-dark-error.png")
    assert page.console_errors == []
