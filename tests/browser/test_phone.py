"""The site at phone width (390 px): one header row with the brand and a menu, browse in two
columns, and no page wider than the screen."""

import pytest
from playwright.sync_api import expect

from riffhouse.records.models import Record
from tests.browser.test_home import house, log_in_on_a_phone  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("house"),
]

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_the_header_is_one_row_with_the_brand_and_a_menu(page, live_site) -> None:
    page.set_viewport_size(PHONE)
    log_in_on_a_phone(page, "june")
    header = page.locator(".site-header .nav")
    brand = header.get_by_role("link", name="Riffhouse home").get_by_text("Riffhouse")
    expect(brand).to_be_visible()
    # One row: every item of the header sits on the brand's line.
    line = brand.bounding_box()
    for item in header.locator(".nav-links > li:visible").all():
        box = item.bounding_box()
        assert abs((box["y"] + box["height"] / 2) - (line["y"] + line["height"] / 2)) < 12, box
    assert header.bounding_box()["height"] < 72
    expect(header.get_by_role("link", name="Browse")).to_be_visible()
    expect(header.get_by_role("link", name="Upload")).to_be_visible()
    # The search box gives way to a link to the search page, which searches as you type.
    expect(header.get_by_role("search")).to_be_hidden()
    expect(header.get_by_role("link", name="Search")).to_have_attribute("href", "/search/")
    # The rest is in the menu, opened by keyboard as well as by touch.
    settings = header.get_by_role("link", name="Settings")
    expect(settings).to_be_hidden()
    menu = header.locator(".nav-menu summary")
    menu.focus()
    page.keyboard.press("Enter")
    expect(settings).to_be_visible()
    expect(header.get_by_role("button", name="Log out")).to_be_visible()
    page.keyboard.press("Escape")
    expect(settings).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    settings.click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    menu.click()
    header.get_by_role("link", name="June Okafor").click()
    expect(page.get_by_role("heading", name="June Okafor")).to_be_visible()
    menu.click()
    header.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    # Logged out: the brand, Browse, Log in and Join fit the row without a menu.
    expect(brand).to_be_visible()
    expect(header.get_by_role("link", name="Join Riffhouse")).to_be_visible()
    no_sideways_scroll(page)
    assert page.console_errors == []


def test_browse_shows_two_columns_of_compact_cards(page, live_site) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/records/")
    cards = page.locator(".record-grid .record-card")
    expect(cards.nth(3)).to_be_visible()
    first, second, third = (cards.nth(i).bounding_box() for i in range(3))
    assert first["y"] == second["y"] and second["x"] > first["x"] + first["width"] - 1
    assert third["y"] > first["y"] and third["x"] == first["x"]
    assert first["width"] < PHONE["width"] / 2
    no_sideways_scroll(page)
    assert page.console_errors == []


def test_no_page_is_wider_than_a_phone(page, live_site) -> None:
    page.set_viewport_size(PHONE)
    record = Record.objects.get(title="Neon Quay")
    for path in ("/", "/records/", record.get_absolute_url(), "/@june"):
        response = page.goto(path)
        assert response.status == 200, path
        no_sideways_scroll(page)
    log_in_on_a_phone(page, "june")
    for path in ("/", "/records/", "/records/new/", "/notifications/", "/@june"):
        page.goto(path)
        no_sideways_scroll(page)
    assert page.console_errors == []
