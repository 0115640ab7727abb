"""Music looks like music: covers and play buttons on cards that play in place, one track at
a time; one player on the record page, whose waveform is a keyboard slider in colours that
hold their contrast in light and dark. At desktop and phone widths."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from riffhouse.core.testing import wait_for
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def _shot(page, name: str) -> None:
    """Screenshots for review when SCREENSHOTS_DIR is set (the test asserts, not the picture)."""
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Resolves any CSS colour the page computes (custom properties hold the raw token) to RGB.
TO_RGB = """(value) => {
  const probe = document.createElement("span");
  probe.style.color = value;
  document.body.append(probe);
  const rgb = getComputedStyle(probe).color.match(/[\\d.]+/g).slice(0, 3).map(Number);
  probe.remove();
  return rgb;
}"""


def _tracks(make_record, user):
    author = user
    picture = make_record("image", author=author, title="Harbour at dusk")
    from riffhouse.records.hooks import SourceSpec

    return [
        make_record("audio", author=author, title="Low tide", upload=upload(samples.wav(4.0))),
        make_record(
            "audio",
            author=author,
            title="Song for the harbour",
            upload=upload(samples.wav(4.0)),
            sources=[SourceSpec(picture.pk)],
        ),
        make_record(
            "audio",
            author=author,
            title="Lamplighter",
            upload=upload(samples.wav(4.0)),
            cover=upload(samples.png((400, 400), (30, 90, 160)), "cover.png"),
        ),
    ]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_cards_play_in_place_one_at_a_time(page, live_site, make_record, user, width) -> None:
    _tracks(make_record, user)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/records/?kind=audio")
    covers = page.locator("img.record-card-cover")
    expect(covers).to_have_count(3)
    for index in range(3):
        cover = covers.nth(index)
        cover.scroll_into_view_if_needed()
        wait_for(lambda c=cover: c.evaluate("i => i.complete && i.naturalWidth") > 0)
    assert sorted(covers.evaluate_all("l => l.map(i => i.dataset.cover)")) == [
        "author",
        "generated",
        "source",
    ]

    low_tide = page.get_by_role("button", name="Play “Low tide”")
    expect(low_tide).to_be_visible()
    address = page.url
    low_tide.click()
    expect(page.get_by_role("button", name="Pause “Low tide”")).to_have_attribute(
        "aria-pressed", "true"
    )
    audio = page.locator("audio[data-card-audio]")
    audio.evaluate("a => { a.muted = true; }")
    wait_for(lambda: audio.evaluate("a => a.currentTime") > 0.3, message="the card to play")
    assert page.url == address  # played in place
    expect(page.locator(".record-card.is-playing .card-progress")).to_be_visible()

    page.get_by_role("button", name="Play “Lamplighter”").click()
    expect(page.get_by_role("button", name="Pause “Lamplighter”")).to_be_visible()
    expect(page.get_by_role("button", name="Play “Low tide”")).to_have_attribute(
        "aria-pressed", "false"
    )
    wait_for(lambda: audio.evaluate("a => a.currentTime") > 0.3, message="the second card")
    playing = page.evaluate("() => [...document.querySelectorAll('audio')].filter(a => !a.paused)")
    assert len(playing) == 1
    _shot(page, f"music-browse-{width}")
    page.get_by_role("button", name="Pause “Lamplighter”").click()
    expect(page.get_by_role("button", name="Play “Lamplighter”")).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_record_page_has_one_player_and_the_waveform_is_a_slider(
    page, live_site, make_record, make_user, width
) -> None:
    record = make_record(
        "audio",
        author=make_user("juno"),
        title="Slow harbour",
        upload=upload(samples.wav(12.0)),
        cover=upload(samples.png((500, 500), (200, 120, 40)), "cover.png"),
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(record.get_absolute_url())
    expect(page.locator("audio")).to_have_count(1)
    expect(page.locator("audio")).to_be_hidden()  # no second, native scrubber
    slider = page.get_by_role("slider", name="Position in “Slow harbour”")
    expect(slider).to_be_visible()
    expect(slider).to_have_attribute("aria-valuetext", "0:00 of 0:12")
    expect(page.locator("img.audio-cover")).to_be_visible()
    _shot(page, f"music-record-{width}")

    # Play from a fresh load (each seek to an unbuffered spot opens a new range request,
    # and the test server has only four threads: see the session note on streamed files).
    page.locator("audio").evaluate("a => { a.muted = true; }")
    page.get_by_role("button", name="Play “Slow harbour”").click()
    expect(page.get_by_role("button", name="Pause “Slow harbour”")).to_be_visible()
    wait_for(lambda: page.locator("audio").evaluate("a => a.currentTime") > 0.5, message="play")
    expect(slider).not_to_have_attribute("aria-valuenow", "0")
    expect(page.locator("[data-player-time]")).to_have_text(re.compile(r"0:0\d"))
    page.get_by_role("button", name="Pause “Slow harbour”").click()
    expect(page.get_by_role("button", name="Play “Slow harbour”")).to_be_visible()

    # The keyboard moves the slider.
    slider.focus()
    page.keyboard.press("Home")
    expect(slider).to_have_attribute("aria-valuenow", "0")
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuenow", "5")
    expect(slider).to_have_attribute("aria-valuetext", "0:05 of 0:12")
    page.keyboard.press("ArrowLeft")
    expect(slider).to_have_attribute("aria-valuenow", "0")
    page.keyboard.press("End")
    expect(slider).to_have_attribute("aria-valuenow", "12")

    # Click on the waveform: the player seeks there.
    box = slider.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    wait_for(lambda: page.locator("audio").evaluate("a => a.currentTime") >= 8.5, message="seek")
    assert page.console_errors == []


def test_the_waveform_keeps_its_contrast_in_light_and_dark(
    page, live_site, make_record, make_user
) -> None:
    record = make_record("audio", author=make_user("mira"), title="Contrast")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(record.get_absolute_url())
        seek = page.locator("[data-player-seek]")
        expect(seek).to_be_visible()
        styles = seek.evaluate(
            """(el) => {
              const s = getComputedStyle(el);
              const player = getComputedStyle(el.closest('.audio-player'));
              return [s.getPropertyValue('--wave-played').trim(),
                      s.getPropertyValue('--wave-rest').trim(), player.backgroundColor];
            }"""
        )
        played, rest, background = (page.evaluate(TO_RGB, value) for value in styles)
        assert _contrast(played, background) >= 3, (scheme, played, background)
        assert _contrast(rest, background) >= 3, (scheme, rest, background)
        _shot(page, f"music-record-{scheme}")
    assert page.console_errors == []


def test_without_javascript_cards_link_and_the_browser_plays(
    browser, live_site, live_site_media, make_record, make_user
) -> None:
    record = make_record("audio", author=make_user("sable"), title="Plain player")
    context = browser.new_context(base_url=live_site.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/records/?kind=audio")
    expect(page.locator("[data-card-play]")).to_be_hidden()
    expect(page.get_by_role("link", name=re.compile("Plain player"))).to_be_visible()
    page.goto(record.get_absolute_url())
    expect(page.locator("audio[controls]")).to_be_visible()
    expect(page.get_by_role("slider")).to_be_hidden()
    context.close()
