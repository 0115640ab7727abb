"""What a new member does first: sign up, confirm, log out, log in, make their profile."""

import re

import pytest
from playwright.sync_api import expect

from riffhouse.accounts.tests.images import png_bytes
from riffhouse.core.testing import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_confirm_log_out_log_in_and_edit_profile(page, live_site, tmp_path) -> None:
    page.goto("/")
    page.get_by_role("link", name="Join Riffhouse").first.click()
    page.get_by_label("Username").fill("luna")
    page.get_by_label("Email").fill("luna@ex.org")
    page.get_by_label("Password").fill("moonlit-sonata-42")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    # The confirmation email is sent by the job worker.
    message = wait_for(
        lambda: next((m for m in live_site.emails() if "luna@ex.org" in m), None),
        message="the confirmation email",
    )
    link = re.search(r"http://\S+/accounts/confirm/\S+/", message).group(0)
    page.goto(link)
    expect(page.get_by_text("Welcome to Riffhouse, luna!")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    page.get_by_label("Username or email").fill("luna")
    page.get_by_label("Password").fill("wrong-password-here")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_text("don't match an active account")).to_be_visible()
    page.get_by_label("Password").fill("moonlit-sonata-42")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Display name").fill("Luna Marlowe")
    page.get_by_label("Bio").fill("I write lullabies for satellites.")
    page.get_by_label("Links").fill("https://luna.example")
    avatar = tmp_path / "luna.png"
    avatar.write_bytes(png_bytes((400, 400), (90, 60, 200)))
    page.get_by_label("Avatar").set_input_files(str(avatar))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    page.goto("/@luna")
    expect(page.get_by_role("heading", name="Luna Marlowe")).to_be_visible()
    expect(page.get_by_text("I write lullabies for satellites.")).to_be_visible()
    expect(page.get_by_role("link", name="luna.example")).to_have_attribute(
        "href", "https://luna.example"
    )

    def rendered() -> bool:
        page.reload()
        src = page.locator(".profile-header img.avatar").get_attribute("src") or ""
        return src.endswith("-320.webp")

    wait_for(rendered, timeout=30, message="the avatar renditions")
    loaded = page.locator(".profile-header img.avatar").evaluate("img => img.naturalWidth")
    assert loaded == 320
    assert page.console_errors == []


def test_a_bad_avatar_shows_a_clear_message(page, live_site, make_user) -> None:
    from conftest import PASSWORD

    make_user("sable")
    page.goto("/accounts/log-in/")
    page.get_by_label("Username or email").fill("sable")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.goto("/settings/profile/")
    page.get_by_label("Avatar").set_input_files(
        files=[{"name": "evil.png", "mimeType": "image/png", "buffer": b"<svg onload=x>"}]
    )
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("That file is not an image we can read.")).to_be_visible()
    assert page.console_errors == []
