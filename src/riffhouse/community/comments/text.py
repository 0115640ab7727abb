"""A comment's text: Markdown rendered and sanitised by records' renderer (the same rules as
a record's body), then `@username` mentions linked to members' profiles.

Mentions are linked in the sanitised HTML, never in the Markdown: a link the cleaner would
refuse (relative to our site) is added after it, only in text outside links and code, and
only as markup this module writes with a name that can hold no markup at all.
"""

import re
from collections.abc import Mapping

from django.utils.html import escape

from riffhouse.records.media.text import render_markdown, text_stats

MAX_BODY_CHARS = 10_000
# At most this many different names are looked up (and linked) in one comment.
MAX_MENTIONS = 20

# A username (accounts.services.USERNAME_RE) after "@", not part of an e-mail address or a
# longer word.
_MENTION = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9][A-Za-z0-9_-]{1,28}[A-Za-z0-9])(?![\w@-])")
# A tag of the cleaner's output: attribute values are always double-quoted there, with any
# '"' inside escaped, so a '>' inside a value (a link's title) does not end the tag.
_TAG = re.compile(r'<(/?)([a-zA-Z0-9]+)(?:[^>"]|"[^"]*")*>')
# Text inside these is left alone: a link in a link is invalid, code is literal.
_SKIP = {"a", "code", "pre"}


def _pieces(html: str) -> list[tuple[bool, str, str, bool]]:
    """The HTML as (is_tag, text, tag name, closing) pieces, in order."""
    pieces: list[tuple[bool, str, str, bool]] = []
    at = 0
    for match in _TAG.finditer(html):
        if match.start() > at:
            pieces.append((False, html[at : match.start()], "", False))
        pieces.append((True, match.group(0), match.group(2).lower(), bool(match.group(1))))
        at = match.end()
    if at < len(html):
        pieces.append((False, html[at:], "", False))
    return pieces


def _text_pieces(html: str) -> list[tuple[int, str]]:
    """(index, text) of the pieces where a mention may be linked."""
    skipping = 0
    found: list[tuple[int, str]] = []
    for index, (is_tag, text, name, closing) in enumerate(_pieces(html)):
        if is_tag:
            if name in _SKIP:
                skipping = max(0, skipping - 1) if closing else skipping + 1
        elif not skipping:
            found.append((index, text))
    return found


def mentioned_names(html: str) -> list[str]:
    """The usernames (lower-cased, first appearance first, at most MAX_MENTIONS) mentioned
    in rendered comment HTML outside links and code."""
    names: dict[str, None] = {}
    for _, text in _text_pieces(html):
        for match in _MENTION.finditer(text):
            names.setdefault(match.group(1).lower(), None)
            if len(names) >= MAX_MENTIONS:
                return list(names)
    return list(names)


def link_mentions(html: str, *, links: Mapping[str, str]) -> str:
    """`html` with each `@name` whose lower-cased name is in `links` made a link to
    `links[name]` (a profile URL); any other `@name` stays plain text."""
    if not links:
        return html
    pieces = [text for _, text, _, _ in _pieces(html)]
    for index, text in _text_pieces(html):

        def link(match: re.Match[str]) -> str:
            url = links.get(match.group(1).lower())
            if url is None:
                return match.group(0)
            return f'<a class="mention" href="{escape(url)}">@{match.group(1)}</a>'

        pieces[index] = _MENTION.sub(link, text)
    return "".join(pieces)


def comment_render(body: str) -> str:
    """A comment's Markdown as sanitised HTML, mentions not yet linked."""
    return render_markdown(body)


def comment_excerpt(body: str) -> str:
    """About 200 characters of a comment's plain text, for a notification."""
    return str(text_stats(body)["excerpt"])
