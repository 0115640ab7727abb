"""Writing: strict UTF-8, Markdown rendered without raw HTML and sanitised again, and
facts for the page (words, reading time, an excerpt)."""

from __future__ import annotations

import math
import re
from typing import Any

import nh3
from markdown_it import MarkdownIt

from riffhouse.records.media.base import MediaError

WORDS_PER_MINUTE = 230
EXCERPT_CHARS = 200
_WORD = re.compile(r"\w[\w'’-]*")

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).enable(
    ["table", "strikethrough"]
)
_MARKDOWN_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4",
    "hr", "code", "pre", "del", "s", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# markdown-it already refuses javascript:/data: links; the cleaner is the second lock, and it
# also drops relative links, which in a record would point into our own site.
_CLEANER = nh3.Cleaner(
    tags=_MARKDOWN_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",
    link_rel="nofollow ugc noopener",
    strip_comments=True,
)


def decode_text(data: bytes) -> str:
    """Strict UTF-8 (a byte-order mark is dropped); line endings become ``\\n``.

    Guessing other encodings produces mojibake we would then publish, so we ask instead.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MediaError(
            "This file is not UTF-8 text. Save it as UTF-8 and upload it again.",
            code="invalid_text",
        ) from exc
    if "\x00" in text:
        raise MediaError(
            "This file contains NUL bytes, so it is not plain text.", code="invalid_text"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show to other members.

    Raw HTML is disabled in the parser and the result is cleaned again with an allow-list, so
    a bug in either layer alone does not become an XSS. Single newlines become ``<br>``
    because poems and lyrics are written line by line.
    """
    return str(_CLEANER.clean(_MARKDOWN.render(text)))


def _plain_text(text: str) -> str:
    """The words a reader sees, without Markdown syntax, whitespace collapsed."""
    parts: list[str] = []
    for token in _MARKDOWN.parse(text):
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            parts.append(" ")
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
            parts.append(" ")
    return " ".join("".join(parts).split())


def text_stats(text: str) -> dict[str, Any]:
    """Word count, reading time (230 words a minute, at least 1 when there are words) and an
    excerpt of about 200 characters cut at a word boundary, for cards and feeds."""
    plain = _plain_text(text)
    words = len(_WORD.findall(plain))
    if len(plain) <= EXCERPT_CHARS:
        excerpt = plain
    else:
        cut = plain.rfind(" ", 0, EXCERPT_CHARS + 1)
        if cut < EXCERPT_CHARS // 2:  # one enormous "word": cut it rather than lose it all
            cut = EXCERPT_CHARS
        excerpt = plain[:cut].rstrip(" ,;:.-–—") + "…"
    return {
        "word_count": words,
        "reading_minutes": math.ceil(words / WORDS_PER_MINUTE) if words else 0,
        "excerpt": excerpt,
    }
