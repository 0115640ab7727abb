"""Server-side XSS checks on rendered HTML, with the standard library's `html.parser` (no
browser): what in a page could only have come from a vector, unescaped.

`unsafe_markup(html)` lists, one line each:
- an `on*` attribute on any element (Riffhouse's templates write none: the CSP allows no
  inline script, so its scripts attach listeners);
- a URL attribute (`href`, `src`, `action`, `formaction`, `xlink:href`, `data`, `poster`,
  `background`, `cite`, ...) with a `javascript:`, `vbscript:` or `livescript:` scheme, or
  a `data:` one other than a raster image, after the browser's own clean-up (entities
  decoded, whitespace and control characters dropped, case ignored);
- `srcdoc` anywhere; `<iframe>`, `<frame>`, `<object>`, `<embed>`, `<applet>`, `<base>`,
  `<meta http-equiv=refresh>`, `<math>` (the templates write none);
- a `<script>` without the page's CSP nonce, unless it is JSON data or one of the app's own
  static files (the comment section's placeholder loads comments.js without a nonce so a
  cached page stays the same for everyone; CSP's 'self' allows it, and a vector could only
  load the app's own code that way); any script whose text calls the detector;
- an `hx-*`/`data-hx-*` attribute that names a vector (the app's own never mention "xss"),
  any `hx-on*`, and Alpine/Vue-style `x-*`, `v-*`, `@*`, `:*` attributes;
- a `style` attribute or `<style>` element mentioning `expression(`, `javascript:`,
  `behavior:`, `-moz-binding` or "xss".

`page_text(html)` is what a reader sees as text (entities decoded); `shown_verbatim(vector,
text)` says whether a vector's text is there as text — escaped, not interpreted.
"""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

from tests.xss.vectors import Vector

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "cite", "ping", "lowsrc", "dynsrc", "codebase", "longdesc", "manifest", "icon", "usemap",
    "hx-get", "hx-post", "hx-put", "hx-delete", "hx-patch",
}  # fmt: skip
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math"}
_SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b\ufeff]")
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|livescript):")
_RASTER_DATA = re.compile(r"^data:image/(png|jpe?g|gif|webp|avif);")
_BAD_CSS = re.compile(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding|xss", re.I)
_JSON_TYPES = {"application/json", "application/ld+json", "importmap"}


def _own_static(src: str) -> bool:
    """A script file of the app's own (`/static/riffhouse/...`, `/static/vendor/...`)."""
    return re.fullmatch(r"/static/(riffhouse|vendor)/[\w./-]+\.js", src) is not None


def _scheme_of(value: str) -> str:
    """A URL as the browser reads its scheme: entities decoded, whitespace and control
    characters dropped anywhere (browsers strip tabs and newlines inside the scheme)."""
    return _SCHEME_NOISE.sub("", unescape(value)).lower()


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.nonce: str | None = None
        self._in: list[tuple[str, dict[str, str]]] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        where = f"<{tag} {' '.join(f'{k}={v[:60]!r}' for k, v in values.items())}>"[:200]
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"a <{tag}> element: {where}")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append(f"a refresh: {where}")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}: {where}")
            elif name == "srcdoc":
                self.problems.append(f"srcdoc: {where}")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"an htmx handler {name}: {where}")
            elif name.startswith(("hx-", "data-hx-")) and "xss" in value.lower():
                self.problems.append(f"an htmx attribute from a vector {name}: {where}")
            elif name.startswith(("x-", "v-", "@", ":")):
                self.problems.append(f"a framework attribute {name}: {where}")
            elif name == "style" and _BAD_CSS.search(unescape(value)):
                self.problems.append(f"a style from a vector: {where}")
            if name in URL_ATTRIBUTES:
                url = _scheme_of(value)
                if _BAD_SCHEME.match(url) or (
                    url.startswith("data:") and not _RASTER_DATA.match(url)
                ):
                    self.problems.append(f"a {url.split(':')[0]}: URL in {name}: {where}")
        if tag == "script" and self.nonce is None and values.get("nonce"):
            self.nonce = values["nonce"]
        if (
            tag == "script"
            and values.get("type", "").lower() not in _JSON_TYPES
            and (not values.get("nonce") or values.get("nonce") != self.nonce)
            and not _own_static(values.get("src", ""))
        ):
            self.problems.append(f"a script without the page's nonce: {where}")
        if tag in ("script", "style"):
            self._in.append((tag, values))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style") and self._in:
            self._in.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1][0] == tag:
            kind, values = self._in.pop()
            body = "".join(self._text)
            self._text = []
            if kind == "style" and _BAD_CSS.search(body):
                self.problems.append(f"a <style> from a vector: {body[:120]!r}")
            if (
                kind == "script"
                and "__xss" in body
                and values.get("type", "").lower() not in _JSON_TYPES
            ):
                self.problems.append(f"a script calling the detector: {body[:120]!r}")

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)


def unsafe_markup(html: str) -> list[str]:
    """What in `html` could run a vector (see the module docstring); [] when none."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The page's text as a reader sees it, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def shown_verbatim(vector: Vector, text: str) -> bool:
    """Whether `vector` is in `text` (from `page_text`) as text, whitespace collapsed."""
    return " ".join(vector.text.split()) in text


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "hx-get"):
            url = values.get(name) or ""
            if "cursor=" in url or "page=" in url:
                self.links.append(url)


def next_links(html: str, *, base: str) -> list[str]:
    """The "more"/"next page" links of a list page (cursor or page number), absolute paths."""
    parser = _Links()
    parser.feed(html)
    return [urljoin(base, link) for link in parser.links]
