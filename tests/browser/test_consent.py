"""Consent with the remix in view, a decline that holds, and the remix tree's cut labels
and focus outlines — in Chromium, at desktop and phone width.

The remix itself is made through the service (the remix form is tested in test_remix.py):
what is tested here is what the source's author sees and does, then the remixer."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from riffhouse.core.testing import wait_for
from riffhouse.lineage.models import RemixRequest
from riffhouse.lineage.services import SourceSpec, remix_create
from riffhouse.records.models import Record
from riffhouse.records.services import record_create
from tests.browser.members import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}
# Set SCREENSHOTS=/some/folder to keep a picture of each step (for review, not asserted).
SHOTS = os.environ.get("SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def processed(record: Record) -> None:
    wait_for(
        lambda: Record.objects.filter(pk=record.pk, live_version__isnull=False).exists(),
        timeout=60,
        message="the worker to process the record",
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_decline_holds_then_ask_again_and_approve(page, live_site, make_user, width) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.set_default_timeout(40_000)  # a loaded machine: the first pages can be slow
    mira, tomas = make_user("mira"), make_user("tomas")
    poem = record_create(
        author=mira,
        kind="text",
        title="Harbour poem",
        body="Salt on the window.",
        remix_policy="ask",
    )
    processed(poem)
    draft = remix_create(
        author=tomas,
        sources=[SourceSpec(record_id=poem.pk, usage="the last line")],
        kind="text",
        title="Harbour at dusk",
        body="The nets come in full of light, and the last line sings back.",
        message="May I answer your poem?",
    )
    processed(draft)
    request = RemixRequest.objects.get(remix=draft)

    # The source's author: the remix in the notification, then on the request's page.
    log_in(page, "mira")
    page.get_by_role("link", name=re.compile("Notifications")).first.click()
    note = page.locator(".notification").first
    expect(note).to_contain_text("asks to remix your “Harbour poem” for “Harbour at dusk”.")
    expect(note.locator(".request-preview")).to_contain_text("The nets come in full of light")
    expect(note.locator(".request-preview")).to_contain_text("used the last line")
    expect(note).to_contain_text("May I answer your poem?")
    expect(note.get_by_role("button", name="Approve")).to_be_visible()
    shot(page, f"consent-notification-{width}")
    note.get_by_role("link", name="Open the request").click()
    expect(page).to_have_url(re.compile(f"/remix-requests/{request.pk}/$"))
    expect(page.locator(".request-text")).to_contain_text("The nets come in full of light")
    expect(page.locator(".request-usage")).to_have_text("the last line")
    shot(page, f"consent-request-{width}")
    page.get_by_label("A note for tomas").fill("Not this one.")
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_text("You declined “Harbour at dusk”. It stays a draft")).to_be_visible()
    expect(page.locator(".request-text")).to_have_count(0)  # no longer theirs to see
    log_out(page)

    # The remixer: a plain message, no way round it, and one more ask.
    log_in(page, "tomas")
    page.goto(draft.get_absolute_url())
    notice = page.locator(".request-notice")
    expect(notice).to_contain_text("“Harbour poem” by mira declined this remix on ")
    expect(notice).to_contain_text(
        ": ‘Not this one.’ It stays a draft. You can ask again with a new message, or delete it."
    )
    expect(page.get_by_text("Remove that source")).to_have_count(0)
    shot(page, f"consent-declined-{width}")
    page.goto(f"/records/{draft.pk}/sources/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forced = page.request.post(
        f"/records/{draft.pk}/sources/",
        form={
            "csrfmiddlewaretoken": token,
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
            "sources-MIN_NUM_FORMS": "0",
            "sources-MAX_NUM_FORMS": "20",
            "message": "",
        },
    )
    assert forced.status == 400
    assert "“Harbour poem” stays among the sources" in forced.text()
    page.goto(draft.get_absolute_url())
    notice = page.locator(".request-notice")
    notice.locator("summary", has_text="Ask again").click()
    notice.get_by_label("A new message for mira").fill("I rewrote it around your last line.")
    notice.get_by_role("button", name="Ask again").click()
    expect(page.get_by_text("Waiting for approval.")).to_be_visible()
    log_out(page)

    # The source's author approves from the notification, in one click.
    log_in(page, "mira")
    page.goto("/notifications/")
    asking = page.locator(".notification", has_text="I rewrote it around your last line.")
    asking.get_by_label("A note").fill("Lovely now")
    asking.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("You approved “Harbour at dusk”. Its author is told.")).to_be_visible()
    expect(page).to_have_url(re.compile("/notifications/"))
    draft.refresh_from_db()
    assert draft.is_public
    page.goto(draft.get_absolute_url())
    expect(page.get_by_role("heading", name="Harbour at dusk")).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tree_labels_end_with_an_ellipsis_and_links_show_focus(
    page, live_site, make_user, scheme
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.set_default_timeout(40_000)
    june = make_user("june", display_name="June Okafor")
    salt = record_create(
        author=june,
        kind="text",
        title="A very long title for a small poem about salt, nets and the harbour at night",
        body="Salt.",
    )
    processed(salt)
    remix = record_create(
        author=june,
        sources=[
            SourceSpec(record_id=salt.pk, usage="the rhythm of the second verse and the refrain")
        ],
        kind="text",
        title="Nets",
        body="Nets.",
    )
    processed(remix)
    page.goto(f"/records/{remix.pk}/lineage/")
    drawing = page.locator("[data-lineage-tree]")
    card = drawing.locator(".tree-node", has_text="A very long title")
    expect(card).to_be_visible()

    title = card.locator(".tree-title")
    clamp = title.evaluate(
        "el => ({clamp: getComputedStyle(el).webkitLineClamp,"
        " cut: el.scrollHeight > el.clientHeight + 1})"
    )
    assert clamp == {"clamp": "2", "cut": True}  # Chromium ends a clamped line with "…"
    assert (card.get_attribute("title") or "").startswith("A very long title")

    usage = card.locator(".tree-meta-text")
    cut = usage.evaluate(
        "el => ({overflow: getComputedStyle(el).textOverflow,"
        " cut: el.scrollWidth > el.clientWidth})"
    )
    assert cut == {"overflow": "ellipsis", "cut": True}
    assert "the rhythm of the second verse" in (
        card.locator(".tree-meta").get_attribute("title") or ""
    )

    link = card.locator("a.tree-title")
    page.keyboard.press("Tab")  # a keyboard user: focus is visible
    link.focus()
    outline = link.evaluate(
        "el => { const s = getComputedStyle(el, '::after');"
        " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),"
        " color: s.outlineColor, visible: el.matches(':focus-visible')}; }"
    )
    assert outline["visible"] and outline["style"] == "solid" and outline["width"] >= 2
    expected = "rgb(85, 48, 179)" if scheme == "light" else "rgb(195, 176, 255)"
    assert outline["color"] == expected  # --focus: 7:1 on the card in light, 9:1 in dark
    shot(page, f"consent-tree-{scheme}")
    assert page.console_errors == []
