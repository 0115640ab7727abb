"""Fragments of logged-in pages that are the same for every viewer, kept in the cache
(decision 0041): record cards, a record's credits, the lineage panel's columns.

A fragment is kept under the `public` generation (`core.page_cache`), which moves with every
write that changes what a public page shows, and under a digest of the templates it renders,
so a deploy that changes their markup never reads an old fragment. Nothing of the viewer's
goes into one — no name, badge, CSRF token or CSP nonce — and it is rendered without the
request (no context processors run): what it needs, it is given.
"""

import functools
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from riffhouse.core.page_cache import public_generation

# Read again under the same numbers, a fragment lives this long; a move of `public` makes
# new keys (the old fragments are then never read and expire).
FRAGMENT_TTL = 60 * 10


def _digest(*names: str) -> str:
    sources = [get_template(name).template.source for name in names]  # type: ignore[attr-defined]
    return hashlib.blake2b("\0".join(sources).encode(), digest_size=6).hexdigest()


_digest_once = functools.cache(_digest)


def templates_digest(*names: str) -> str:
    """A short digest of the named templates' sources: read once per process, or each time
    in development (DEBUG), where a template edited while the server runs must show."""
    return _digest(*names) if settings.DEBUG else _digest_once(*names)


def fragment_key(name: str, *parts: object, templates: tuple[str, ...]) -> str:
    """The key of fragment `name` of the object(s) `parts`, under the `public` generation
    and the sources of `templates` (the fragment's and those it includes)."""
    return _key("fragment", name, parts, templates)


def _key(kind: str, name: str, parts: tuple[object, ...], templates: tuple[str, ...]) -> str:
    digest = f"{templates_digest(*templates)}:" if templates else ""
    what = ":".join(str(part) for part in parts)
    return f"{kind}:{name}:{digest}{public_generation()}:{what}"


def fragment_render(template: str, context: Mapping[str, Any]) -> SafeString:
    return mark_safe(get_template(template).render(dict(context)))  # noqa: S308 -- a template's output


def fragment(
    name: str,
    *parts: object,
    templates: tuple[str, ...],
    context: Callable[[], Mapping[str, Any]],
) -> SafeString:
    """The fragment from the cache, or rendered from `templates[0]` with `context()` (called
    only then, so a hit costs none of its queries) and stored."""
    key = fragment_key(name, *parts, templates=templates)
    kept: str | None = cache.get(key)
    if kept is not None:
        return mark_safe(kept)  # noqa: S308 -- our markup
    html = fragment_render(templates[0], context())
    cache.set(key, html, FRAGMENT_TTL)
    return html


def kept[T](name: str, *parts: object, compute: Callable[[], T]) -> T:
    """A value (not markup) read under the `public` generation, from the cache or from
    `compute()` (called only then) and stored: for data that only public writes change, with
    `parts` naming whatever else it depends on (a member, a version of their follows). It is
    pickled, so model instances keep what was loaded with them."""
    key = _key("kept", name, parts, ())
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    value = compute()
    cache.set(key, value, FRAGMENT_TTL)
    return value


_MISSING = object()
