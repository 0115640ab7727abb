"""Uploading as a member does it, at desktop and phone width: choose what you share, pick a
file, get something wrong — the file stays chosen — and publish that same file."""

import pytest
from playwright.sync_api import expect

from riffhouse.records.models import Record
from riffhouse.records.tests import samples
from tests.browser.members import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]


def script_errors(page) -> list[str]:
    """Console errors and failed assets; the form's own 400 answer (sent by XHR, shown in
    place) is the page working as meant."""
    return [e for e in page.console_errors if not e.startswith("400 ")]


def at_width(page, width: int) -> None:
    """After logging in: the phone header keeps "Log out" in its menu."""
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})


@pytest.mark.parametrize("width", WIDTHS)
def test_a_song_stays_chosen_after_an_error_and_is_published(
    page, live_site, make_user, tmp_path, width
) -> None:
    make_user("orion")
    log_in(page, "orion")
    at_width(page, width)
    page.goto("/records/new/")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # no side-scroll
    # Music shows the file, for songs and sounds, and no text box.
    page.get_by_text("Music", exact=True).click()
    expect(page.get_by_label("Text")).to_be_hidden()
    expect(page.get_by_role("radio", name="Music")).to_be_checked()
    assert page.get_by_label("File").get_attribute("accept").startswith("audio/")
    expect(page.get_by_text("MP3, WAV, FLAC, Ogg or M4A")).to_be_visible()

    song = tmp_path / "night-tide.wav"
    song.write_bytes(samples.wav(seconds=1.0))
    page.get_by_label("File").set_input_files(str(song))
    expect(page.get_by_text("Chosen: night-tide.wav")).to_be_visible()
    page.get_by_label("Title").fill("")  # it was filled from the file name
    publish = page.get_by_role("button", name="Publish")
    expect(publish).to_be_in_viewport()  # the main action is in reach, before scrolling
    publish.click()

    expect(page.get_by_text("Give your record a title.")).to_be_visible()
    expect(page.get_by_label("Title")).to_be_focused()
    expect(page.get_by_text("Chosen: night-tide.wav")).to_be_visible()
    expect(page.get_by_text("kept) — choose another file to replace it.")).to_be_visible()
    expect(page.get_by_role("radio", name="Music")).to_be_checked()
    page.get_by_label("Title").fill("Night tide")
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("heading", name="Night tide")).to_be_visible()
    record = Record.objects.get(title="Night tide")
    assert record.kind == "audio"
    assert record.current_version.original_name == "night-tide.wav"
    assert record.current_version.original_size == song.stat().st_size
    assert script_errors(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_text_file_given_as_art_is_named_a_text_file(
    page, live_site, make_user, tmp_path, width
) -> None:
    make_user("sable")
    log_in(page, "sable")
    at_width(page, width)
    page.goto("/records/new/")
    page.get_by_text("Art", exact=True).click()
    poem = tmp_path / "harbour.png"  # the name says picture; the content says otherwise
    poem.write_text("Moon over the harbour,\nnets full of light.\n")
    page.get_by_label("File").set_input_files(str(poem))
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text("This is a text file, not art — paste it into Text or choose Writing.")
    ).to_be_visible()
    expect(page.get_by_text("Chosen:")).to_be_hidden()  # a refused file is not kept
    assert not Record.objects.exists()

    # Writing takes the text.
    page.get_by_text("Writing", exact=True).click()
    expect(page.get_by_label("File")).to_be_hidden()
    page.get_by_label("Text").fill("Moon over the harbour,\nnets full of light.")
    page.get_by_label("Title").fill("Harbour")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Harbour")).to_be_visible()
    assert Record.objects.get().kind == "text"
    assert script_errors(page) == []


def test_a_text_file_picked_before_choosing_goes_into_the_text(
    page, live_site, make_user, tmp_path
) -> None:
    make_user("mira")
    log_in(page, "mira")
    page.goto("/records/new/")
    poem = tmp_path / "tide.md"
    poem.write_text("In, out,\nin.\n")
    page.get_by_label("File").set_input_files(str(poem))
    expect(page.get_by_role("radio", name="Writing")).to_be_checked()
    expect(page.get_by_label("Text")).to_have_value("In, out,\nin.\n")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="tide")).to_be_visible()
    assert Record.objects.get().current_version.body == "In, out,\nin."
    assert script_errors(page) == []


def test_the_edit_page_keeps_its_action_in_reach_on_a_phone(
    page, live_site, make_user, make_record
) -> None:
    author = make_user("juno")
    record = make_record("text", author=author, title="Tide")
    log_in(page, "juno")
    at_width(page, 390)
    page.goto(f"/records/{record.pk}/edit/")
    save = page.get_by_role("button", name="Save")
    expect(save).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    # The bar never hides the field that has focus.
    page.get_by_label("Language").focus()
    expect(page.get_by_label("Language")).to_be_in_viewport()
    box, bar = (
        page.get_by_label("Language").bounding_box(),
        page.locator(".form-actions-sticky").bounding_box(),
    )
    assert box["y"] + box["height"] <= bar["y"]
    assert script_errors(page) == []
