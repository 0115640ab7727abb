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


WIDTHS = [1280, 390]


def fits_the_screen(page) -> bool:
    """Nothing wider than the viewport: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_up(page, username: str) -> None:
    page.goto("/accounts/sign-up/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@ex.org")
    page.get_by_label("Password").fill("moonlit-sonata-42")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()


def links_to(live_site, address: str) -> list[str]:
    return [
        re.search(r"http://\S+/accounts/confirm/\S+/", m).group(0)
        for m in live_site.emails()
        if address in m
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_logging_in_before_confirming_offers_the_link_again(page, live_site, width) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    name = f"vega{width}"
    sign_up(page, name)
    wait_for(lambda: links_to(live_site, f"{name}@ex.org"), message="the first link")

    page.goto("/accounts/log-in/")
    page.get_by_label("Username or email").fill(name)
    page.get_by_label("Password").fill("moonlit-sonata-42")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Confirm your email first")).to_be_visible()
    expect(page.get_by_text(f"We sent a link to {name}@ex.org")).to_be_visible()
    assert fits_the_screen(page)

    page.get_by_role("button", name="Send the link again").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    links = wait_for(
        lambda: (found := links_to(live_site, f"{name}@ex.org")) and len(found) == 2 and found,
        message="the second link",
    )
    page.goto(links[-1])
    expect(page.get_by_text(f"Welcome to Riffhouse, {name}!")).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_link_cut_short_says_so_and_sends_a_new_one(page, live_site, width) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    name = f"lyra{width}"
    sign_up(page, name)
    (link,) = wait_for(lambda: links_to(live_site, f"{name}@ex.org"), message="the link")

    page.goto(link[:-12])  # as if the mail program had cut the line
    expect(page.get_by_role("heading", name="That link didn’t work")).to_be_visible()
    expect(page.get_by_text("This link is incomplete or invalid")).to_be_visible()
    expect(page.get_by_text("expired")).to_have_count(0)
    assert fits_the_screen(page)

    page.get_by_label("Email").fill(f"{name}@ex.org")
    page.get_by_role("button", name="Send a new link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    wait_for(lambda: len(links_to(live_site, f"{name}@ex.org")) == 2, message="a new link")
    page.goto(links_to(live_site, f"{name}@ex.org")[-1])
    expect(page.get_by_text(f"Welcome to Riffhouse, {name}!")).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_api_reference_reads_on_any_screen(browser, live_site, width) -> None:
    # A phone lays out a page without a viewport tag 980 px wide and shrinks it: emulate one.
    context = browser.new_context(
        base_url=live_site.url,
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name=re.compile("Riffhouse API"))).to_be_visible()
    # Open an operation with a long path, parameters and responses: the widest content.
    operation = page.locator(".opblock-summary", has_text="/records/{record_id}/versions").first
    operation.click()
    expect(page.locator(".opblock.is-open .responses-wrapper").first).to_be_visible()
    # Laid out for the screen, not a desktop page shrunk to fit; nothing scrolls sideways.
    assert page.evaluate("window.innerWidth") == width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.get_by_role("link", name="Riffhouse", exact=True)).to_be_visible()
    assert errors == []
    context.close()
