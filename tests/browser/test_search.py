"""Searching as you type, from the box in the site header."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_type_in_the_header_and_open_the_record(page, live_site, make_user, make_record) -> None:
    author = make_user("tamsin", display_name="Tamsin Reed")
    make_record(author=author, title="Harbour at dusk", body="Gulls over the pier.")
    make_record(author=author, title="Quiet fields", body="Nothing here.")
    page.goto("/")
    box = page.get_by_role("search").get_by_label("Search Riffhouse")
    box.press_sequentially("harbo", delay=40)  # no Enter: results follow the typing

    results = page.locator(".search-results")
    expect(results.get_by_role("link", name="Harbour at dusk")).to_be_visible()
    expect(results.get_by_role("link", name="Quiet fields")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("1 record for “harbo”")
    expect(page).to_have_url(f"{live_site.url}/search/?q=harbo")

    results.get_by_role("link", name="Harbour at dusk").click()
    expect(page.get_by_role("heading", name="Harbour at dusk")).to_be_visible()
    assert page.console_errors == []


def test_filters_and_type_on_the_search_page(page, live_site, make_user, make_record) -> None:
    author = make_user("idris", display_name="Idris Lantern")
    make_record(author=author, title="Lantern song")
    make_record(author=author, title="Lantern picture", kind="image")
    page.goto("/search/")
    page.get_by_label("Search records, members and productions").press_sequentially("lantern")
    results = page.locator(".search-results")
    expect(results.get_by_role("link", name="Lantern picture")).to_be_visible()
    page.get_by_label("Kind").select_option("image")
    expect(results.get_by_role("link", name="Lantern song")).to_have_count(0)
    expect(results.get_by_role("link", name="Lantern picture")).to_be_visible()
    assert page.console_errors == []
