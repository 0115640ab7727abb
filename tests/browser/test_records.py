"""Uploading and enjoying records, as a member does it in the browser."""

import pytest
from playwright.sync_api import expect

from riffhouse.core.testing import wait_for
from riffhouse.records.tests import samples
from tests.browser.members import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_a_picture_and_watch_it_appear(page, live_site, make_user, tmp_path) -> None:
    make_user("sable")
    log_in(page, "sable")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upload").click()
    picture = tmp_path / "harbour-at-dusk.png"
    picture.write_bytes(samples.png((1400, 900), (240, 120, 60)))
    page.get_by_label("File").set_input_files(str(picture))
    expect(page.get_by_label("Title")).to_have_value("harbour at dusk")  # from the file name
    page.get_by_label("Tags").fill("harbour, dusk")
    page.get_by_role("button", name="Publish").click()

    # The record page shows the processing state, then the picture once the worker is done.
    expect(page.get_by_role("heading", name="harbour at dusk")).to_be_visible()
    image = page.locator("img.record-image")
    expect(image).to_be_visible(timeout=60_000)
    wait_for(
        lambda: image.evaluate("img => img.complete && img.naturalWidth") > 0,
        message="the picture to load",
    )
    assert page.locator("picture source[type='image/webp']").count() == 1
    page.get_by_role("link", name="#dusk").click()
    expect(page.get_by_role("heading", name="#dusk")).to_be_visible()
    expect(page.get_by_role("heading", name="harbour at dusk")).to_be_visible()
    assert page.console_errors == []


def test_a_song_plays_and_seeks(page, live_site, make_user, tmp_path) -> None:
    make_user("orion")
    log_in(page, "orion")
    page.goto("/records/new/")
    song = tmp_path / "tone.wav"
    song.write_bytes(samples.wav(seconds=3.0))
    page.get_by_label("File").set_input_files(str(song))
    page.get_by_label("Title").fill("A tone for the tide")
    ranges = []
    page.on("response", lambda r: "audio.m4a" in r.url and ranges.append(r.status))
    page.get_by_role("button", name="Publish").click()
    audio = page.locator("audio")
    expect(audio).to_be_attached(timeout=60_000)
    expect(page.locator("canvas.waveform")).to_be_visible()
    audio.evaluate("a => { a.muted = true; a.currentTime = 2; return a.play(); }")
    wait_for(lambda: audio.evaluate("a => a.currentTime") > 2.0, message="playback")
    assert 206 in ranges  # the browser seeks with range requests
    assert page.console_errors == []


def test_a_bad_file_is_explained_on_the_form(page, live_site, make_user, tmp_path) -> None:
    make_user("mira")
    log_in(page, "mira")
    page.goto("/records/new/")
    fake = tmp_path / "poem.png"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.get_by_label("File").set_input_files(str(fake))
    page.get_by_label("Title").fill("Not a picture")
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text("not a kind of file we can take", exact=False).or_(
            page.locator(".field-invalid .error")
        )
    ).to_be_visible()
    assert page.url.endswith("/records/new/")
