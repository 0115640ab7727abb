"""The XSS corpus (tests/xss/vectors.py, 282 vectors) in every field a member fills and
others see, shown by the real server to Chromium: no vector runs, no dialog opens, and the
live DOM (after htmx, the remix tree's d3 and the player ran) holds no handler, script URL
or htmx/Alpine attribute a vector wrote.

The scene is filled through the services (tests/xss/scene.py); the server-side test
(tests/xss/test_markup.py) renders all of its pages; Chromium opens the fewest of them that
still show every (field, vector) pair, and one page of every kind for every viewer role
(`browser_pages`). The test prints how many vector x field x page combinations Chromium
saw (12,605 on 316 pages, against 26,548 on 1,002 pages for the server-side test, with
issue 13's comments, mentions, notifications, follower lists, feeds, search and moderation).
The search fragments htmx swaps in while a member types are checked in Chromium by
`test_search_as_you_type_keeps_vectors_inert`."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from riffhouse.accounts.models import User
from tests.browser.members import log_in
from tests.xss.harness import browser_pages, by_viewer, xss_check_page, xss_context, xss_page
from tests.xss.scene import crawl_lists, scene_check, xss_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def client_for(username: str) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def test_no_vector_runs_in_chromium(browser, live_site, live_site_media) -> None:
    scene = xss_scene()
    crawl_lists(scene, client_for)
    # Narrows each page to what it really shows; the server-side test asserts the rest.
    assert scene_check(scene, client_for) == []
    pages = browser_pages(scene)
    combinations = sum(page.combinations for page in pages)
    problems: list[str] = []
    for viewer, viewed in by_viewer(pages).items():
        context = xss_context(browser, live_site.url)
        page = xss_page(context)
        if viewer:
            log_in(page, viewer)
        for shown in viewed:
            problems += xss_check_page(page, shown.url)
        problems += [f"{viewer or 'visitor'}: {e}" for e in page.console_errors]
        context.close()
    print(f"Chromium: {combinations} vector x field x page combinations on {len(pages)} pages")
    assert problems == [], "\n".join(problems[:60])
    assert combinations > 3000


def test_the_detector_sees_a_vector_run(browser, live_site) -> None:
    """The control: the same vectors, put in a page unescaped, do run and are seen — by the
    detector (in the page and in frames) and by the dialog watch."""
    from tests.xss.vectors import VECTORS_BY_ID

    # A script tag, an image's onerror, an iframe's srcdoc calling its parent, svg onload,
    # a confirm() dialog.
    ids = [1, 27, 106, 40, 85]
    context = xss_context(browser, live_site.url)
    page = xss_page(context)
    page.goto("/")
    page.set_content("".join(VECTORS_BY_ID[i].text for i in ids))
    expected = {"1", "27", "40", "106"}  # the frame's vector calls its parent's detector
    page.wait_for_function(f"() => window.__xssHits.length >= {len(expected)}")
    assert expected <= set(page.evaluate("() => [...window.__xssHits]"))
    assert page.xss_dialogs == ["confirm: xss85"]
    context.close()


# htmx marks the element it is fetching for, and settling elements, until the swap is done.
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"


def test_search_as_you_type_keeps_vectors_inert(browser, live_site, live_site_media) -> None:
    """The search fragment htmx swaps in while a member types (the search page's own box,
    then the header's): queries made of the corpus, finding records titled with it."""
    from riffhouse.accounts.services import user_create
    from riffhouse.records.services import record_create
    from tests.xss.harness import DOM_CHECK
    from tests.xss.scene import PASSWORD, _nameable, sendable
    from tests.xss.vectors import VECTORS, packed, spaced

    author = user_create(username="titler", email="titler@ex.org", password=PASSWORD)
    groups = packed([v for v in sendable(VECTORS) if _nameable(v)], 190)
    for group in groups:
        record_create(author=author, kind="text", title=f"Harbour {spaced(group)}", body="Tide.")
    rest = packed([v for v in sendable(VECTORS) if not _nameable(v)], 200)
    context = xss_context(browser, live_site.url)
    page = xss_page(context)
    problems: list[str] = []
    page.goto("/search/")
    box = page.get_by_label("Search records, members and productions")
    # First a plain word that finds the records titled with the corpus (PostgreSQL's parser
    # indexes no words inside tags, so `script` alone would not find them there).
    with page.expect_response(
        lambda r: "/search/" in r.url and r.request.headers.get("hx-request")
    ):
        box.fill("harbour")
    page.wait_for_function(SETTLED)
    expect(page.locator(".search-results a[href^='/records/']").first).to_be_visible()
    result = page.evaluate(DOM_CHECK)
    problems += [f"search results: {found}" for found in result["found"]]
    for group in groups + rest:
        with page.expect_response(
            lambda r: "/search/" in r.url and r.request.headers.get("hx-request")
        ):
            box.fill(spaced(group))
        page.wait_for_function(SETTLED)
        result = page.evaluate(DOM_CHECK)
        problems += [f"search fragment: vector {hit} ran" for hit in result["hits"]]
        problems += [f"search fragment: {found}" for found in result["found"]]
    header = page.get_by_role("search").get_by_label("Search Riffhouse")
    for group in groups[:5]:
        with page.expect_response(
            lambda r: "/search/" in r.url and r.request.headers.get("hx-request")
        ):
            header.fill(spaced(group))
        page.wait_for_function(SETTLED)
        result = page.evaluate(DOM_CHECK)
        problems += [f"header search: vector {hit} ran" for hit in result["hits"]]
        problems += [f"header search: {found}" for found in result["found"]]
    problems += [f"vector {hit} ran" for hit in context.xss_hits]
    problems += [f"a dialog opened ({d})" for d in page.xss_dialogs]
    problems += page.console_errors
    context.close()
    assert problems == [], "\n".join(problems[:60])
