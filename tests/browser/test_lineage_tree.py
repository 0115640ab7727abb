"""The remix tree (/records/<id>/lineage/), as a visitor explores it in the browser."""

import pytest
from playwright.sync_api import expect

from riffhouse.core.testing import wait_for
from tests.browser.works import published, writing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scale(page) -> float:
    return float(page.locator("[data-lineage-tree]").get_attribute("data-scale") or 0)


def camera_still(page) -> float:
    """The drawing's scale once no camera move runs: d3 keeps an element's running
    transitions in its `__transition` and deletes it when the last one ends. A zoom button
    pressed mid-move starts from wherever the camera then is."""
    page.wait_for_function(
        "() => !document.querySelector('[data-lineage-tree] .tree-viewport').__transition"
    )
    return scale(page)


def test_explore_the_remix_tree(page, live_site, make_user) -> None:
    june = make_user("june", display_name="June Okafor")
    teo = make_user("teo", display_name="Teo Brandão")
    salt = writing(june, "Salt")
    harbour = writing(june, "Harbour Lights", salt)
    parade = writing(june, "Lantern parade", harbour)
    published(salt, harbour, parade)
    neon = writing(teo, "Neon quay", parade)
    published(neon)

    page.goto(f"/records/{harbour.pk}/lineage/")
    drawing = page.locator(".tree-viewport")
    # The record in the middle, what it is built on above it, its remix below it.
    centre = drawing.locator(".tree-node.is-centre")
    expect(centre).to_contain_text("Harbour Lights")
    expect(centre).to_contain_text("June Okafor")
    source = drawing.locator(".tree-node", has_text="Salt")
    remix = drawing.locator(".tree-node", has_text="Lantern parade")
    expect(source).to_be_visible()
    expect(remix).to_be_visible()
    assert source.bounding_box()["y"] < centre.bounding_box()["y"] < remix.bounding_box()["y"]
    # The lists stay in the page for screen readers and browsers without JavaScript.
    expect(page.locator(".lineage-outline").get_by_role("link", name="Salt")).to_be_attached()

    # The +1 badge on the remix loads its own remixes: a card that was not there appears.
    expect(drawing.get_by_text("Neon quay")).to_have_count(0)
    badge = drawing.get_by_role("button", name="Show the remix of “Lantern parade”")
    expect(badge).to_have_text("+1")
    badge.click()
    expect(drawing.get_by_role("link", name="Neon quay", exact=True)).to_be_visible()
    expect(drawing.locator(".tree-node", has_text="Neon quay")).to_contain_text("Teo Brandão")
    hide = drawing.get_by_role("button", name="Hide the remixes of “Lantern parade”")
    expect(hide).to_have_attribute("aria-expanded", "true")

    # The zoom buttons zoom, for those who cannot pinch or scroll.
    before = camera_still(page)
    page.get_by_role("button", name="Zoom in").click()
    wait_for(lambda: scale(page) > before * 1.1, message="the drawing to zoom in")
    zoomed = camera_still(page)
    page.get_by_role("button", name="Zoom out").click()
    wait_for(lambda: scale(page) < zoomed * 0.9, message="the drawing to zoom out")

    # A card, reached with the keyboard, opens its record.
    drawing.get_by_role("link", name="Salt", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_site.url}/records/{salt.pk}/")
    expect(page.get_by_role("heading", name="Salt", exact=True)).to_be_visible()
    assert page.console_errors == []
