"""What browser tests do as a member: log in through the real form."""

from conftest import PASSWORD
from playwright.sync_api import expect


def log_in(page, username: str) -> None:
    page.goto("/accounts/log-in/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    # Wide windows show "Log out" in the header; phones keep it in the avatar menu.
    logged_in = page.get_by_role("button", name="Log out").or_(page.locator(".nav-menu summary"))
    expect(logged_in.first).to_be_visible()


def log_out(page) -> None:
    """Logs out through the header: on a phone, "Log out" is in the avatar menu."""
    menu = page.locator(".nav-menu summary")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
