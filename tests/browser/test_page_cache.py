"""A logged-out visitor's pages come from the cache (decision 0040) and still work: each
answer's scripts run under its own CSP nonce, a reload answered 304 keeps the copy's page
and header together, and a write by the author shows on the next visit."""

import pytest
from playwright.sync_api import expect

from riffhouse.records import services as records
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cached_record_page_plays_and_follows_a_write(page, live_site, make_record, make_user):
    author = make_user("juno")
    record = make_record(
        "audio", author=author, title="Slow harbour", upload=upload(samples.wav(3.0))
    )
    answers = []
    page.on(
        "response",
        lambda r: r.request.resource_type == "document" and answers.append(r),
    )
    slider = page.get_by_role("slider", name="Position in “Slow harbour”")

    page.goto(record.get_absolute_url())  # rendered and stored
    expect(slider).to_be_visible()  # records.js ran
    page.goto("/")
    page.goto(record.get_absolute_url())  # from the cache, with a new nonce
    expect(slider).to_be_visible()
    page.reload()  # the browser asks with its ETag
    expect(slider).to_be_visible()
    first, second = answers[0], answers[2]
    assert first.header_value("etag") == second.header_value("etag")
    assert first.header_value("content-security-policy") != second.header_value(
        "content-security-policy"
    )
    assert page.console_errors == []

    records.record_update(actor=author, record=record, title="Slow harbour at night")
    page.goto(record.get_absolute_url())
    expect(page.get_by_role("heading", name="Slow harbour at night")).to_be_visible()
    expect(page.get_by_role("slider", name="Position in “Slow harbour at night”")).to_be_visible()
    assert page.console_errors == []
