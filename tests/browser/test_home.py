"""The home page as a visitor and a member meet it, at desktop and phone width."""

import pytest
from playwright.sync_api import expect

from riffhouse.core.testing import wait_for
from riffhouse.records.services import record_create
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload
from tests.browser.members import log_in
from tests.browser.works import published, writing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def house(make_user, live_site_media):
    """A lineage (an original, two remixes, a remix of a remix) and some art and writing,
    stored where the site reads its media (the test process may process them itself)."""
    june = make_user("june", display_name="June Okafor")
    teo = make_user("teo", display_name="Teo Brandão")
    salt = writing(june, "Salt")
    published(salt)
    harbour = writing(teo, "Harbour Lights", salt)
    tide = writing(june, "Tide Tables", salt)
    published(harbour, tide)
    neon = writing(teo, "Neon Quay", harbour)
    art = [
        record_create(
            author=june if i % 2 else teo,
            kind="image",
            title=f"Dusk study {i}",
            upload=upload(samples.png((700, 500), (40 * i, 90, 160)), f"dusk-{i}.png"),
        )
        for i in range(5)
    ]
    more = [writing(june, f"Verse {i}") for i in range(4)]
    published(neon, *art, *more)
    return {"june": june, "teo": teo, "salt": salt, "neon": neon, "verses": more}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_visitor_sees_the_work_and_a_real_remix_tree(page, live_site, house, width) -> None:
    page.set_viewport_size(WIDTHS[width])
    page.goto("/")
    expect(page.get_by_role("heading", name="Just in")).to_be_visible()
    recent = page.locator(".home-recent .record-card")
    expect(recent.first).to_be_visible()
    # Art shows as art: every picture in the gallery loads.
    for image in page.locator(".home-recent .record-card img").all():
        image.scroll_into_view_if_needed()
        wait_for(lambda image=image: image.evaluate("i => i.complete && i.naturalWidth") > 0)
    # On a phone the work is in the first screen, not below a tall hero.
    if width == "phone":
        first_card = page.locator(".record-card").first.bounding_box()
        assert first_card["y"] < WIDTHS["phone"]["height"] * 0.85
    # No lonely card in the last row of any grid.
    for grid in page.locator(".record-grid").all():
        boxes = (card.bounding_box() for card in grid.locator(".record-card").all())
        tops = [round(box["y"]) for box in boxes]
        assert tops.count(tops[-1]) > 1 or len(set(tops)) == 1, tops

    tree = page.locator(".home-tree")
    expect(tree.get_by_role("heading", name="How a piece grows")).to_be_visible()
    for title in ("Salt", "Harbour Lights", "Tide Tables", "Neon Quay"):
        expect(tree.get_by_role("link", name=title)).to_be_visible()
    # A remix sits below and to the right of what it was built on.
    salt = tree.get_by_role("link", name="Salt").bounding_box()
    neon = tree.get_by_role("link", name="Neon Quay").bounding_box()
    assert neon["y"] > salt["y"] and neon["x"] > salt["x"]
    body = page.locator("main").inner_text().lower()
    assert "production" not in body and "ledger" not in body and " paid" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]

    tree.get_by_role("link", name="Neon Quay").click()
    expect(page.get_by_role("heading", name="Neon Quay")).to_be_visible()
    page.go_back()
    tree.get_by_role("link", name="Explore the whole remix tree").click()
    expect(page.get_by_role("heading", name="Remix tree")).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_starts_from_their_own_work(page, live_site, house, width) -> None:
    verse = house["verses"][-1]
    published(writing(house["teo"], "Echo", verse))
    page.set_viewport_size(WIDTHS[width])
    log_in(page, "june") if width == "desktop" else log_in_on_a_phone(page, "june")
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome back, June Okafor.")).to_be_visible()
    # Their latest work, and what happened to it: Teo built on the newest verse.
    mine = page.locator(".home-mine")
    expect(mine.get_by_role("heading", name="Your latest work")).to_be_visible()
    expect(mine.locator(".record-card", has_text=verse.title)).to_contain_text("1 remix")
    expect(page.get_by_role("link", name="2 unread notifications")).to_be_visible()  # Harbour, Echo
    expect(page.get_by_role("link", name="Upload a record")).to_be_visible()
    page.get_by_role("link", name="Find something to remix").click()
    expect(page.get_by_role("heading", name="Open to remix")).to_be_visible()
    assert page.console_errors == []


def log_in_on_a_phone(page, username: str) -> None:
    """As members.log_in, checking that "Log out" waits in the menu."""
    log_in(page, username)
    expect(page.locator(".nav-menu summary")).to_be_visible()
