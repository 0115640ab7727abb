"""Driving Chromium through pages that hold the corpus: a detector installed before any page
script, and a check of each page after its scripts ran. See tests/xss/__init__.py."""

import re
from collections.abc import Iterable
from typing import Any

from tests.browser.pages import watched_page
from tests.xss.scene import Page, Scene

# Runs in every frame before any of the page's scripts: a vector that executes calls it.
DETECTOR = """
(() => {
  const hits = [];
  const report = (id) => {
    hits.push(String(id));
    try { window.__xssReport && window.__xssReport(String(id)); } catch (e) {}
  };
  Object.defineProperty(window, "__xss", { value: report, writable: false });
  Object.defineProperty(window, "__xssHits", { value: hits, writable: false });
})();
"""

# After the page's scripts ran (htmx, the lineage tree's d3, the player): anything in the
# live DOM a vector could have put there, including markup scripts built from data.
DOM_CHECK = """
() => {
  const found = [];
  const bad = /^(javascript|vbscript|livescript|data):/;
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "data", "poster"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\x00-\\x20\\x7f-\\x9f\\u200b\\ufeff]/g, "").toLowerCase();
      if (name.startsWith("on") || name.startsWith("hx-on") || name.startsWith("x-")
          || name === "srcdoc" || ((name.startsWith("hx-") || name.startsWith("data-hx-"))
          && value.includes("xss"))) {
        found.push(`${el.tagName.toLowerCase()}[${name}="${attr.value.slice(0, 60)}"]`);
      }
      const raster = /^data:image\\/(png|jpe?g|gif|webp);/.test(value);
      if (urlAttrs.includes(name) && bad.test(value) && !raster) {
        found.push(`${el.tagName.toLowerCase()}[${name}="${attr.value.slice(0, 60)}"]`);
      }
    }
    if (["IFRAME", "OBJECT", "EMBED", "BASE", "FRAME"].includes(el.tagName)) {
      found.push(el.tagName.toLowerCase());
    }
  }
  return { found, hits: window.__xssHits ? [...window.__xssHits] : [] };
}
"""


def xss_context(browser: Any, base_url: str) -> Any:
    """A browser context whose pages carry the detector and fail loudly on dialogs. The
    Content-Security-Policy is bypassed: it would block an injected inline script anyway,
    and the test is that escaping alone keeps every vector inert."""
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.xss_hits = []
    context.expose_binding("__xssReport", lambda source, id_: context.xss_hits.append(id_))
    context.add_init_script(DETECTOR)
    return context


def xss_page(context: Any) -> Any:
    """A watched page (tests/browser/pages.py) of an `xss_context` that records dialogs."""
    page = watched_page(context)
    page.xss_dialogs = []

    def on_dialog(dialog: Any) -> None:
        page.xss_dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def xss_check_page(page: Any, url: str) -> list[str]:
    """Open `url` in `page` (from `xss_page`) and list what went wrong: a vector that ran
    (`__xss(id)` called, in any frame), a dialog, dangerous markup in the live DOM, a
    non-200 answer. [] when the page holds its vectors inert."""
    problems: list[str] = []
    before = len(page.context.xss_hits)
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        problems.append(f"{url} answered {response.status if response else 'nothing'}")
    result = page.evaluate(DOM_CHECK)
    hits = set(result["hits"]) | set(page.context.xss_hits[before:])
    problems += [f"{url}: vector {hit} ran" for hit in sorted(hits)]
    problems += [f"{url}: {found}" for found in result["found"]]
    problems += [f"{url}: a dialog opened ({d})" for d in page.xss_dialogs]
    page.xss_dialogs.clear()
    return problems


def _pattern(url: str) -> str:
    """The kind of page a URL is: ids, usernames and cursors made generic."""
    url = re.sub(r"\d+", "N", url.split("?")[0] + ("?" if "?" in url else ""))
    return re.sub(r"/@[^/]+", "/@U", url)


def browser_pages(scene: Scene) -> list[Page]:
    """The fewest pages that show every (field, vector) pair the scene's pages show, plus
    one page of each kind and each viewer role (greedy cover, biggest pages first). The
    server-side test opens every page; the browser opens these, in a few minutes."""
    chosen: list[Page] = []

    def pairs(page: Page) -> set[tuple[str, int]]:
        return {(name, i) for name, ids in page.shows.items() for i in ids}

    kinds: dict[tuple[str, bool], Page] = {}
    # A fragment is what htmx swaps into a page: the browser test types into the search box.
    pages = [page for page in scene.pages if not page.headers]
    wanted = {(name, i) for page in pages for name, ids in page.shows.items() for i in ids}
    for page in pages:
        key = (_pattern(page.url), page.viewer == "")
        if key not in kinds or page.combinations > kinds[key].combinations:
            kinds[key] = page
    for page in kinds.values():
        chosen.append(page)
        wanted -= pairs(page)
    rest = [p for p in pages if p not in chosen]
    while wanted and rest:
        best = max(rest, key=lambda p: len(pairs(p) & wanted))
        if not pairs(best) & wanted:
            break
        chosen.append(best)
        rest.remove(best)
        wanted -= pairs(best)
    return chosen


def by_viewer(pages: Iterable[Page]) -> dict[str, list[Page]]:
    grouped: dict[str, list[Page]] = {}
    for page in pages:
        grouped.setdefault(page.viewer, []).append(page)
    return grouped
