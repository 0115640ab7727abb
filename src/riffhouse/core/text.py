"""Which characters Riffhouse accepts in text, in one place (docs/decisions/0014-text-input.md).

Two rules:
- Any text a request carries (path, query string, form fields, JSON strings) may hold no
  control character other than tab, line feed and carriage return, no lone surrogate, and no
  U+FFFD (what invalid UTF-8 decodes to). PostgreSQL cannot store NUL at all; SQLite would
  store it and hand it to every reader. `core.middleware.TextInputMiddleware` applies this
  rule to every request.
- Names people see in lists (usernames, display names, record titles, tags) may also hold no
  line breaks, tabs, bidi controls or invisible characters, which can reorder what is shown
  around them or make two different names look the same. Services call `name_check`.
"""

import re
import unicodedata
from typing import Any

from riffhouse.core.errors import ApplicationError

# C0 controls except tab, LF and CR; DEL; C1 controls; lone surrogates (JSON's "\ud800"
# escapes decode to them and no database encoding accepts them); U+FFFD.
_FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")

# Deeper JSON than any input here needs only costs the parser (and, past about 10,000 levels,
# overflows it); 32 leaves ample room.
JSON_MAX_DEPTH = 32

_ZWNJ, _ZWJ = "\u200c", "\u200d"
# An emoji tag sequence (the flags of Scotland, Wales, England) is the one legitimate use of
# the invisible tag characters U+E0020 to U+E007F, which otherwise smuggle hidden text.
_EMOJI_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be accepted as text, or None if it can."""
    match = _FORBIDDEN_IN_TEXT.search(value)
    if match is None:
        return None
    char = match.group()
    if char == "\ufffd":
        return "is not valid UTF-8 text"
    if "\ud800" <= char <= "\udfff":
        return f"holds a lone surrogate (U+{ord(char):04X}), which is not text"
    return f"holds a control character (U+{ord(char):04X})"


def json_problem(data: Any) -> tuple[str, str] | None:
    """Why decoded JSON cannot be accepted, as (reason, code), or None: nested deeper than
    JSON_MAX_DEPTH (`too_deep`) or a key or string that fails `text_problem`
    (`invalid_characters`). Walks without recursion."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return problem, "invalid_characters"
        elif isinstance(value, dict | list):
            if depth >= JSON_MAX_DEPTH:
                return f"is nested more than {JSON_MAX_DEPTH} levels deep", "too_deep"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    stack.append((key, depth + 1))
                stack.append((item, depth + 1))
    return None


def _name_problem(value: str) -> str | None:
    problem = text_problem(value)
    if problem:
        return problem
    value = _EMOJI_TAG_SEQUENCE.sub("", value)
    for index, char in enumerate(value):
        category = unicodedata.category(char)
        if category == "Cc" or char in "\u2028\u2029":
            return "holds a line break or tab"
        if char in (_ZWNJ, _ZWJ):
            # Joiners shape Persian, Arabic and Indic words and join emoji; between two
            # non-ASCII characters they do that job, anywhere else they only hide.
            before = value[index - 1] if index else ""
            after = value[index + 1] if index + 1 < len(value) else ""
            if before > "\x7f" and after > "\x7f" and not {before, after} & {_ZWNJ, _ZWJ}:
                continue
            return f"holds an invisible character (U+{ord(char):04X})"
        if category == "Cf":  # bidi controls, zero-width space, word joiner, BOM, tags...
            return f"holds an invisible or direction-changing character (U+{ord(char):04X})"
    return None


def name_check(value: str, *, field: str, what: str) -> str:
    """Return `value` if it may be used as a name (`what`: "A title"), else raise
    ApplicationError(code="invalid_characters") on `field`."""
    problem = _name_problem(value)
    if problem:
        raise ApplicationError(f"{what} {problem}.", code="invalid_characters", field=field)
    return value
