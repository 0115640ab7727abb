"""Leaving Riffhouse, as a member does it: the settings page, the password, and what stays."""

import pytest
from conftest import PASSWORD
from playwright.sync_api import expect

from riffhouse.records import services as records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delete_the_account_from_settings(page, live_site, make_user) -> None:
    member = make_user("wren", display_name="Wren Okafor")
    record = records.record_create(author=member, kind="text", title="Tide", body="In, out.")
    page.goto("/accounts/log-in/")
    page.get_by_label("Username or email").fill("wren")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Delete account").click()
    expect(page.get_by_text("cannot be undone")).to_be_visible()
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()  # logged out

    response = page.goto(f"/records/{record.pk}/")
    assert response is not None and response.status == 410
    expect(page.locator("main")).to_contain_text("by a former member")
    assert "Wren" not in page.content()
    response = page.goto(f"/@former-{member.pk}")
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", name="This member left Riffhouse.")).to_be_visible()
    assert page.console_errors == []
