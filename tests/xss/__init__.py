"""XSS: a corpus of 282 vectors put through every field a member fills and others see.

- `vectors.py`: the corpus (`VECTORS`, `VECTORS_BY_ID`, `vectors_in_batches(n)`, `joined`,
  `packed(vectors, limit)` for short fields, `spaced`). Each vector calls
  `window.__xss(<id>)` (or opens a dialog) if it ever runs.
- `scene.py`: `xss_scene()` fills Riffhouse through the real services and lists the pages
  that show each (field, vector) (`Scene.pages`, `Page.show(field, vectors)`);
  `crawl_lists` adds the list pages; `scene_check(scene, client_for)` renders every page
  with the test client and lists unsafe markup, non-200 pages and stored vectors no page
  shows as text.
- `community.py`: issue 13's fields, called from the scene: comments and replies (record,
  production, segment), vectors next to and inside @mentions, the notifications they make,
  follower/following lists, search (vector queries and vector titles, the page and the htmx
  fragment: `Page.headers`), feeds/discover (crawled), moderation (report reasons, a
  moderator's reason, an appeal and its answer; the queue, the appeal page, the lists).
- `markup.py`: `unsafe_markup(html)`, the server-side check (standard library parser).
- `harness.py`: Chromium: `xss_context(browser, base_url)` (detector installed before any
  page script, CSP bypassed so escaping alone is tested), `xss_page(context)` (dialogs
  recorded), `xss_check_page(page, url) -> list[str]`, `browser_pages(scene)`.
- Tests: `tests/xss/test_markup.py` (server side, every page) and
  `tests/browser/test_xss.py` (Chromium, the fewest pages that show every pair).

Adding a field takes a few lines at the end of
the batch loop in `scene._scene` (`record`, `batch`, `text` are there):

    comment = comment_create(author=remixer, record=source, body=text)  # their service
    scene.store("comment body", batch)
    scene.page("reader", reverse("records:detail", args=[source.pk])).show(
        "comment body", batch
    )

`scene_check` then asserts that no page carries the vectors' markup and that each stored
vector shows as text on some page (add the field to `MARKDOWN_FIELDS` if it is rendered
from Markdown), and the browser test opens the page in Chromium. For a single page in your
own browser test:

    context = xss_context(browser, live_site.url)
    page = xss_page(context)
    log_in(page, "reader")
    assert xss_check_page(page, "/search/?q=x") == []
"""
