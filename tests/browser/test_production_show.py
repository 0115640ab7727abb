"""A logged-out viewer watches a released episode: it plays through its segments as one show,
the lineup jumps, the keys work, a deep link starts at its segment, and the credits open.
At desktop and phone widths, light and dark."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from riffhouse.productions import services as productions
from riffhouse.productions.show import show_url
from riffhouse.productions.tests.show_scene import Piece, release_scene
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _shot(page, name: str) -> None:
    """Screenshots for review when SCREENSHOTS_DIR is set (the test asserts, not the picture)."""
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def episode(make_user, make_record, live_site_media):
    """A released Space episode (released through the real services, see show_scene): a
    picture and a poem shown briefly, a song (standing on the picture) with its cover, a
    film, and the producer's link."""
    paz = make_user("paz", display_name="Paz Ortega")
    cleo = make_user("cleo", display_name="Cleo Marsh")
    ines = make_user("ines", display_name="Ines Okafor")
    wren = make_user("wren", display_name="Wren Adeyemi")
    production = productions.production_create(
        actor=paz,
        kind="episode",
        title="Leaving Earth",
        theme="Space",
        brief="Songs, pictures and poems about **leaving Earth**: what we would take along.",
    )
    productions.production_status_set(actor=paz, production=production, status="open")
    picture = make_record(
        "image",
        author=ines,
        title="Blue marble",
        upload=upload(samples.png((960, 540), (40, 90, 170)), "marble.png"),
    )
    poem = make_record(
        "text",
        author=wren,
        title="What we packed",
        body="We packed the *blue* in a jar,\nthe oceans folded small.\n\nNobody asked the moon.",
    )
    song = make_record(
        "audio",
        author=cleo,
        title="Orbit song",
        upload=upload(samples.wav(4.0), "orbit.wav"),
        cover=upload(samples.png((400, 400), (200, 110, 60)), "cover.png"),
    )
    film = make_record(
        "video", author=cleo, title="Launch", upload=upload(samples.mp4(3.0), "launch.mp4")
    )
    goodnight = make_record("text", author=paz, title="Goodnight", body="Thanks for watching.")
    return release_scene(
        production=production,
        producer=paz,
        pieces=[
            Piece(picture, 1500),
            Piece(poem, 1500, title="What we packed"),
            Piece(song, 3000, sources=[(picture, "art")]),
            Piece(film, 2500, in_ms=250),
            Piece(goodnight, 2000, link=True),
        ],
    )


def _current(page, number: int) -> None:
    expect(page.locator(f'[data-jump="{number}"]')).to_have_attribute("aria-current", "true")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_viewer_plays_the_episode_jumps_uses_the_keys_and_opens_the_credits(
    page, live_site, episode, width
) -> None:
    page.set_viewport_size(WIDTHS[width])
    page.goto(show_url(episode))
    player = page.locator("[data-show-player]")
    expect(player).to_be_visible()
    expect(page.get_by_role("heading", name="Leaving Earth", level=1)).to_be_visible()
    _current(page, 1)
    _shot(page, f"show-{width}")

    # Play: the picture, then the poem, then the song, each for its time.
    page.get_by_role("button", name="Play", exact=True).click()
    expect(page.get_by_role("button", name="Pause", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    _current(page, 2)
    expect(page.locator("[data-stage-card]")).to_contain_text("Nobody asked the moon.")
    _current(page, 3)
    expect(page).to_have_url(f"{live_site.url}{show_url(episode)}#segment-3")
    # The song plays (its cover on the stage) on one of the decks.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-deck]')]"
        ".some(d => !d.paused && d.currentTime > 0.2)"
    )
    expect(page.locator("[data-art-image]")).to_be_visible()

    # The lineup jumps: to the film.
    page.locator('[data-jump="4"]').click()
    _current(page, 4)
    expect(page).to_have_url(f"{live_site.url}{show_url(episode)}#segment-4")
    expect(page.locator(".stage-deck.is-active")).to_be_visible()
    _shot(page, f"show-playing-{width}")

    # Keys: p goes back a segment, k pauses, and the page says so.
    page.locator("main h1").click()
    page.keyboard.press("p")
    _current(page, 3)
    page.keyboard.press("k")
    expect(page.get_by_role("button", name="Play", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(page.locator("[data-announce]")).to_have_text("Paused")
    page.keyboard.press("n")
    _current(page, 4)
    expect(page.locator("[data-announce]")).to_contain_text("Segment 4 of 5: Launch")

    # A deep link starts at its segment.
    page.goto(f"{show_url(episode)}#segment-2")
    _current(page, 2)
    expect(page.locator("[data-stage-card]")).to_be_visible()

    # The credits.
    page.get_by_role("link", name="All 4 contributors").click()
    expect(page.get_by_role("heading", name="Credits", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Music")).to_be_visible()
    expect(page.get_by_role("heading", name="Art")).to_be_visible()
    expect(page.locator(".credit-group", has_text="Art")).to_contain_text("Ines Okafor")
    _shot(page, f"show-credits-{width}")
    assert page.console_errors == []


def test_without_javascript_each_segment_has_its_own_player(browser, live_site, episode) -> None:
    context = browser.new_context(
        base_url=live_site.url, java_script_enabled=False, viewport=WIDTHS["desktop"]
    )
    page = context.new_page()
    page.goto(show_url(episode))
    expect(page.locator("[data-show-player]")).to_be_hidden()
    expect(page.locator(".segment-media video")).to_have_count(1)
    expect(page.locator(".segment-media audio")).to_have_count(1)
    expect(page.locator(".segment-media picture img")).to_be_visible()
    expect(page.locator(".segment-media .segment-card").first).to_contain_text("Nobody asked")
    _shot(page, "show-nojs-desktop")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_show_in_the_dark(browser, live_site, episode, width) -> None:
    context = browser.new_context(
        base_url=live_site.url, color_scheme="dark", viewport=WIDTHS[width]
    )
    page = context.new_page()
    page.goto(f"{show_url(episode)}#segment-2")
    expect(page.locator('[data-jump="2"]')).to_have_attribute("aria-current", "true")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(251, 247, 241)"  # the dark paper, not the light one
    _shot(page, f"show-dark-{width}")
    context.close()
