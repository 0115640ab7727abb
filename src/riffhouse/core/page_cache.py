"""Public pages from the shared cache, exactly fresh (decision 0040).

What a logged-out visitor sees of a public page or API read is the same for every one of
them, so it is rendered once and kept in the configured cache (Redis when REDIS_URL is set,
shared by every web process; local memory otherwise). Freshness comes from generations
(`CacheGeneration`), counters in the database:

- `public` moves with every write that changes what a public page shows: the services that
  make such writes are decorated `@changes_public_pages` (or call `public_pages_changed()`),
  so the number moves in the write's transaction, or right after its commit and before it
  returns. A test lists every service and holds each to a decision (`core/tests/
  test_page_cache_writes.py`).
- `trending` moves with each run of the trending job, for the pages that show trending.

`PublicPageCacheMiddleware` reads the generations (one query) for a GET without a session,
and answers from the cache when the page was rendered under the same numbers; otherwise the
page is rendered as usual and, if its view is marked `@public_page` and nothing in it is
the visitor's own (no cookie set, no CSRF token, no session), stored. The answer carries an
ETag and Last-Modified (a 304 for a browser that has it) and a Cache-Control that lets a
shared cache (a CDN) hold it `PUBLIC_PAGE_SHARED_MAX_AGE` seconds.

Fragments that are the same for everyone on logged-in pages use the same numbers:
`public_generation()` in code, `{{ public_generation }}` in templates (context processor
`page_cache`), as part of a `{% cache %}` key.

A CSP nonce is per response: a cached page keeps the nonce it was rendered with and each
answer replaces it with a fresh one.
"""

import contextvars
import functools
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import (  # type: ignore[attr-defined]
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
    get_token,
)
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from riffhouse.core.models import CacheGeneration
from riffhouse.core.templatetags.relative_time import TIME_MARK, times_filled

PUBLIC = "public"
TRENDING = "trending"
GENERATIONS = (PUBLIC, TRENDING)

# Bump when the cached entry's shape changes, or a deploy changes every page's markup
# wholesale: the old entries are then never read.
PAGE_FORMAT = 1
# How long a page stays in the cache without being read again under the same numbers.
PAGE_TTL = 60 * 10
# Cookies a logged-out visitor may carry and still be served from the cache: none of them
# changes the page (a CSRF cookie from a form they saw elsewhere).
NEUTRAL_COOKIES = frozenset({settings.CSRF_COOKIE_NAME})

Generations = dict[str, tuple[int, datetime]]

# The generations as this request (or job) read them: read once, forgotten by a write.
_current: contextvars.ContextVar[Generations | None] = contextvars.ContextVar(
    "page_cache_generations", default=None
)


def generations_read() -> Generations:
    """Every generation's number and when it moved, in one query; remembered until the next
    write (`public_pages_changed`) or the end of the request."""
    seen = _current.get()
    if seen is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, number, changed_at FROM core_cachegeneration")
            rows = cursor.fetchall()
        seen = {name: (number, _aware(changed_at)) for name, number, changed_at in rows}
        if len(seen) < len(GENERATIONS):
            seen = _generations_create()
        _current.set(seen)
    return seen


# Read with a member's session (decision 0044): a logged-in page's first query brings them.
GENERATIONS_COLUMNS = tuple(
    f"(SELECT {column} FROM core_cachegeneration WHERE name = '{name}')"  # noqa: S608 -- constants
    for name in GENERATIONS
    for column in ("number", "changed_at")
)


def generations_taken(values: tuple[Any, ...]) -> None:
    """The generations as the session's statement read them (`GENERATIONS_COLUMNS`): this
    request's, as if `generations_read` had read them then (a missing row: read later)."""
    if any(value is None for value in values):
        return
    pairs = zip(values[::2], values[1::2], strict=True)
    _current.set(
        {
            name: (int(number), _aware(changed_at))
            for name, (number, changed_at) in zip(GENERATIONS, pairs, strict=True)
        }
    )


def _generations_create() -> Generations:
    """Make the rows a migration made and something deleted since (a test database flushed
    between tests). A new row starts at a random number, never at one a page may still be
    cached under."""
    now = timezone.now()
    for name in GENERATIONS:
        CacheGeneration.objects.get_or_create(
            name=name, defaults={"number": secrets.randbits(52), "changed_at": now}
        )
    return {
        row.name: (row.number, row.changed_at)
        for row in CacheGeneration.objects.filter(name__in=GENERATIONS)
    }


def public_generation() -> int:
    """The `public` number, for the key of a fragment that is the same for everyone."""
    return generations_read().get(PUBLIC, (0, timezone.now()))[0]


def generations_forget() -> None:
    """Read the generations again next time (the start and end of a request)."""
    _current.set(None)


def pages_changed(*names: str) -> None:
    """Move the named generations: every page and fragment cached under them is stale. In
    the caller's transaction when there is one, so the move and the write commit together."""
    now = timezone.now()
    moved = CacheGeneration.objects.filter(name__in=names).update(
        number=F("number") + 1, changed_at=now
    )
    if moved < len(names):
        _generations_create()
    _current.set(None)


def public_pages_changed() -> None:
    """What a public page shows has changed: move `public`."""
    pages_changed(PUBLIC)


def changes_public_pages[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Mark a service whose writes change what public pages show: when it returns, `public`
    has moved (in its caller's transaction if there is one, else right after its own). Called
    by another such service, it leaves the move to the outermost one. A service that raises
    moves nothing (it wrote nothing, or rolled back) unless a service it called had already
    committed outside any transaction."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        outer = _writing.get()
        if outer is not None:
            result = func(*args, **kwargs)
            outer[0] = True
            return result
        wrote = [False]
        token = _writing.set(wrote)
        try:
            result = func(*args, **kwargs)
        except BaseException:
            if wrote[0] and not connection.in_atomic_block:
                public_pages_changed()
            raise
        finally:
            _writing.reset(token)
        public_pages_changed()
        return result

    wrapper.changes_public_pages = True  # type: ignore[attr-defined]
    return wrapper


# Whether a service decorated `changes_public_pages` is running (and whether one it called
# has written): the outermost moves `public` once.
_writing: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "page_cache_writing", default=None
)


# Views -----------------------------------------------------------------------------------
class MemberCheck(Protocol):
    """Whether a member may be given what a view kept for every member (`members_share`):
    given the request and what the view said about the page, True when the page would be
    the same for this member (say, not the record's author)."""

    def __call__(self, *, request: HttpRequest, facts: Mapping[str, Any]) -> bool: ...


def public_page[**P, R](
    *,
    also: tuple[str, ...] = (),
    members: MemberCheck | None = None,
    audience: Callable[[HttpRequest], str] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a view (or, with ninja's `decorate_view`, an API operation) whose answer to a
    logged-out visitor is the same for all of them: it may be cached, under `public` and the
    generations named in `also` (`TRENDING`).

    With `members`, its page for a logged-in member may be kept too, for every member
    `members` admits, without the site's header (decision 0042): the view says so by calling
    `members_share(request, **facts)` while it renders, and `members(request=, facts=)` then
    decides, for the member who rendered it and for each one after, whether they get it.
    With `audience` too, a page is kept apart for each audience it names for a request (a
    member's own home: their id, decision 0044), so audiences do not push out each other's."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        depends = (PUBLIC, *also)

        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            request: HttpRequest = args[0]  # type: ignore[assignment]
            request._public_page = depends  # type: ignore[attr-defined]
            if getattr(request, "_page_cache_key", None):
                # A visitor's answer may be stored: under the numbers read before the view
                # reads anything they name.
                request._page_generations = generations_read()  # type: ignore[attr-defined]
            elif members is not None and _member_request(request):
                part = "member-" + (audience(request) if audience is not None else "")
                return _member_page(request, view, members, depends, part, args, kwargs)  # type: ignore[no-any-return]
            return view(*args, **kwargs)

        return wrapper

    return decorate


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    nonce: str | None
    depends: tuple[tuple[str, int], ...]
    etag: str
    last_modified: datetime


def _aware(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite through a raw cursor
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    assert isinstance(value, datetime)
    return value


def _key(request: HttpRequest, audience: str = "") -> str:
    # htmx asks the same address for a part of the page (a list's next items, a profile's
    # records): kept apart from the whole page.
    part = audience + ("hx" if "HTTP_HX_REQUEST" in request.META else "page")
    # Pages and API answers hold absolute addresses: one entry per scheme and host too (a
    # host Django refuses never gets an entry: its answer is a 400).
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"page:{PAGE_FORMAT}:{part}:{digest}"


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return all(name in NEUTRAL_COOKIES for name in request.COOKIES)


def _shared_headers(response: HttpResponseBase) -> None:
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={settings.PUBLIC_PAGE_SHARED_MAX_AGE}, must-revalidate"
    )
    patch_vary_headers(response, ("Cookie", "Authorization", "HX-Request"))


# Each web process keeps the pages it served last in its own memory too, in front of the
# shared cache: a hit then costs no round trip to Redis. Safe because an entry is always
# checked against the generations in the database, wherever it was found.
LOCAL_ENTRIES = 500


class _Recent[V]:
    """The values this process used last, at most `size` of them, each for `ttl` seconds
    (or until pushed out); safe to share between a process's threads."""

    def __init__(self, size: int, ttl: float | None = None) -> None:
        self.size, self.ttl = size, ttl
        self._kept: OrderedDict[str, tuple[V, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            if self.ttl is not None and kept[1] <= time.monotonic():
                del self._kept[key]
                return None
            self._kept.move_to_end(key)
            return kept[0]

    def put(self, key: str, value: V) -> None:
        until = time.monotonic() + self.ttl if self.ttl is not None else 0.0
        with self._lock:
            self._kept[key] = (value, until)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def kept_keys(self) -> list[str]:
        with self._lock:
            return list(self._kept)


_local: _Recent["CachedPage | MemberPage"] = _Recent(LOCAL_ENTRIES, ttl=PAGE_TTL)


def _entry_get(key: str) -> "CachedPage | MemberPage | None":
    kept = _local.get(key)
    if kept is not None:
        return kept
    found = cache.get(key)
    if isinstance(found, CachedPage | MemberPage):
        _local.put(key, found)
        return found
    return None


def _entry_set(key: str, entry: "CachedPage | MemberPage") -> None:
    cache.set(key, entry, PAGE_TTL)
    _local.put(key, entry)


def _stored_headers(response: HttpResponse) -> tuple[tuple[str, str], ...]:
    """What a kept page answers with of its first answer's headers: not its cookies, and
    not its length (a nonce or token put in may change it)."""
    return tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("set-cookie", "content-length")
    )


def local_entries_forget() -> None:
    """Forget this process's copies (tests that clear the shared cache)."""
    _local.clear()
    _chromes.clear()


class PublicPageCacheMiddleware:
    """Answer a logged-out GET from the cache, or store what a `@public_page` view answered
    it. Sits after CSP (which writes each answer's nonce into its header) and before the
    session: a hit reads no session, user or CSRF state."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        generations_forget()
        try:
            if not _cacheable_request(request):
                response = self.get_response(request)
                if getattr(request, "_public_page", None):
                    response.setdefault("Cache-Control", "private, no-cache")
                return response
            key = _key(request)
            entry = _entry_get(key)
            if isinstance(entry, CachedPage):
                now = generations_read()
                if _numbers_match(entry.depends, now):
                    return self._answer(request, entry)
            request._page_cache_key = key  # type: ignore[attr-defined]
            response = self.get_response(request)
            depends = getattr(request, "_public_page", None)
            seen: Generations | None = getattr(request, "_page_generations", None)
            if (
                depends
                and seen
                and isinstance(response, HttpResponse)
                and self._storable(request, response)
            ):
                entry = self._store(request, response, key, depends, seen)
                conditional = self._validators(request, response, entry)
                if conditional is not None:
                    return conditional
            return response
        finally:
            generations_forget()

    def _storable(self, request: HttpRequest, response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "Cache-Control" not in response
            and not getattr(getattr(request, "user", None), "is_authenticated", False)
        )

    def _store(
        self,
        request: HttpRequest,
        response: HttpResponse,
        key: str,
        depends: tuple[str, ...],
        seen: Generations,
    ) -> CachedPage:
        nonce_object = getattr(request, "_csp_nonce", None)
        nonce = str(nonce_object) if nonce_object else None
        body = response.content
        neutral = body.replace(nonce.encode(), b"") if nonce else body
        numbers = tuple((name, seen[name][0]) for name in depends if name in seen)
        etag_source = repr(numbers).encode() + neutral
        etag = f'W/"{hashlib.blake2b(etag_source, digest_size=12).hexdigest()}"'
        last_modified = max(
            (seen[name][1] for name in depends if name in seen), default=timezone.now()
        )
        entry = CachedPage(
            status=response.status_code,
            headers=_stored_headers(response),
            body=body,
            nonce=nonce,
            depends=numbers,
            etag=etag,
            last_modified=last_modified,
        )
        _entry_set(key, entry)
        return entry

    def _validators(
        self, request: HttpRequest, response: HttpResponse, entry: CachedPage
    ) -> HttpResponseBase | None:
        """The stored page's validators on a freshly rendered answer; a 304 instead of it
        when the visitor already has this page."""
        _validated(response, entry)
        return _not_modified(request, response, entry)

    def _answer(self, request: HttpRequest, entry: CachedPage) -> HttpResponseBase:
        empty = HttpResponse(status=entry.status)
        _validated(empty, entry)
        not_modified = _not_modified(request, empty, entry)
        if not_modified is not None:
            return not_modified
        body = entry.body
        if entry.nonce:
            # A fresh nonce for this answer: CSP's middleware writes it into the header.
            body = body.replace(entry.nonce.encode(), str(request._csp_nonce).encode())  # type: ignore[attr-defined]
        response = HttpResponse(body, status=entry.status)
        for name, value in entry.headers:
            response[name] = value
        _validated(response, entry)
        return response


def _numbers_match(depends: tuple[tuple[str, int], ...], now: Generations) -> bool:
    return all(now.get(name, (None,))[0] == number for name, number in depends)


# Members' pages (decision 0042) ----------------------------------------------------------
# A page may keep relative times as marks (`times_marked`): each answer tells them as of now.
# base.html puts the site's header, with everything that is the member's own (their name,
# menu, badge, a suspension notice, messages), between these marks; a kept page is stored
# without it and each answer renders it for the member asking.
CHROME_START = b"<!--rh:chrome-->"
CHROME_END = b"<!--/rh:chrome-->"
CHROME_TEMPLATE = "core/_chrome.html"
# Where the rendering member's CSP nonce and CSRF token stood: each answer puts its own.
_NONCE_MARK = b"\x00rh:nonce\x00"
_CSRF_MARK = b"\x00rh:csrf\x00"
_MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)


@dataclass(frozen=True)
class MemberPage:
    """A page kept for every member a view's check admits: the body before and after the
    site's header (`after` None for a part without one, an htmx answer)."""

    status: int
    headers: tuple[tuple[str, str], ...]
    before: bytes
    after: bytes | None
    depends: tuple[tuple[str, int], ...]
    facts: tuple[tuple[str, Any], ...]


def every_member(*, request: HttpRequest, facts: Mapping[str, Any]) -> bool:
    """A `MemberCheck` for a page that is the same for every member."""
    return True


def members_share(request: HttpRequest, **facts: Any) -> None:
    """Said by a view marked `@public_page(members=check)` while it renders for a member:
    this page is the same for every member `check(request=, facts=)` admits (so it must not
    show them anything of their own but in the site's header), and may be kept for them."""
    request._members_share = facts  # type: ignore[attr-defined]


def _member_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return request.method in ("GET", "HEAD") and bool(user and user.is_authenticated)


def _member_page(
    request: HttpRequest,
    view: Callable[..., Any],
    check: MemberCheck,
    depends: tuple[str, ...],
    part: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    key = _key(request, audience=part)
    entry = _entry_get(key)
    now = generations_read()  # before the view reads anything they name
    if (
        isinstance(entry, MemberPage)
        and _numbers_match(entry.depends, now)
        and check(request=request, facts=dict(entry.facts))
    ):
        return _member_answer(request, entry)
    response = view(*args, **kwargs)
    facts = getattr(request, "_members_share", None)
    if not isinstance(response, HttpResponse):
        return response
    if (
        facts is not None
        and response.status_code == 200
        and not response.cookies
        and "Cache-Control" not in response
        and check(request=request, facts=facts)
    ):
        numbers = tuple((name, now[name][0]) for name in depends if name in now)
        _entry_set(key, _member_entry(request, response, numbers, facts))
    if TIME_MARK in response.content:
        response.content = times_filled(response.content)
    return response


def _member_entry(
    request: HttpRequest,
    response: HttpResponse,
    depends: tuple[tuple[str, int], ...],
    facts: Mapping[str, Any],
) -> MemberPage:
    body = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        body = body.replace(str(nonce).encode(), _NONCE_MARK)
    secret = request.META.get("CSRF_COOKIE")
    if secret:

        def neutral(match: re.Match[bytes]) -> bytes:
            token = match.group().decode()
            return _CSRF_MARK if _unmask_cipher_token(token) == secret else match.group()

        body = _MASKED_TOKEN.sub(neutral, body)
    start, end = body.find(CHROME_START), body.find(CHROME_END)
    if start >= 0 and end > start:
        before, after = body[: start + len(CHROME_START)], body[end:]
    else:
        before, after = body, None
    return MemberPage(
        status=response.status_code,
        headers=_stored_headers(response),
        before=before,
        after=after,
        depends=depends,
        facts=tuple(facts.items()),
    )


def _member_answer(request: HttpRequest, entry: MemberPage) -> HttpResponse:
    if entry.after is None:
        body = entry.before
    else:
        body = b"".join((entry.before, _chrome(request), entry.after))
    if _NONCE_MARK in body:
        body = body.replace(_NONCE_MARK, str(request._csp_nonce).encode())  # type: ignore[attr-defined]
    if _CSRF_MARK in body:
        body = body.replace(_CSRF_MARK, get_token(request).encode())
    if TIME_MARK in body:
        body = times_filled(body)
    response = HttpResponse(body, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    return response


# A member's header depends only on what it shows of them: kept in each process under a
# digest of those fields (and of its templates), with the CSRF token and the unread count
# put in per answer. Nothing to invalidate: a change to any of them is a new key.
CHROME_TEMPLATES = (CHROME_TEMPLATE, "accounts/_avatar.html", "community/notifications_badge.html")
CHROME_FIELDS = (
    "pk",
    "username",
    "display_name",
    "avatar",
    "avatar_small",
    "deleted_at",
    "is_staff",
    "role",
    "is_suspended",
    "suspended_until",
    "suspension_reason",
)
CHROME_ENTRIES = 1000
_chromes: _Recent[bytes] = _Recent(CHROME_ENTRIES)
_BADGE_OPEN = re.compile(rb'<span id="notification-badge"[^>]*>')


def _chrome(request: HttpRequest) -> bytes:
    """The site's header for the member asking, with their messages if any (then rendered
    afresh: shown once)."""
    if len(getattr(request, "_messages", ())):
        return render_to_string(CHROME_TEMPLATE, request=request).encode()
    from riffhouse.core.fragments import templates_digest

    user = request.user
    shown = repr(tuple(getattr(user, name, None) for name in CHROME_FIELDS)).encode()
    key = templates_digest(*CHROME_TEMPLATES) + hashlib.blake2b(shown, digest_size=16).hexdigest()
    kept = _chromes.get(key)
    if kept is None:
        kept = render_to_string(
            CHROME_TEMPLATE,
            {"csrf_token": _CSRF_MARK.decode(), "unread_notifications": 0},
            request=request,
        ).encode()
        _chromes.put(key, kept)
    badge = render_to_string(CHROME_TEMPLATES[2], request=request).encode()
    if badge:
        kept = _BADGE_OPEN.sub(lambda match: match.group() + badge, kept, count=1)
    return kept


def _validated(response: HttpResponseBase, entry: CachedPage) -> None:
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.last_modified.timestamp())
    _shared_headers(response)


def _not_modified(
    request: HttpRequest, response: HttpResponse, entry: CachedPage
) -> HttpResponseBase | None:
    """A 304 when the visitor's copy is this page, else None. The 304 carries no CSP header:
    a browser merges a 304's headers into its stored answer, whose body holds the nonce of
    that answer's header, so a new nonce there would block the page's scripts."""
    answer = get_conditional_response(
        request,
        etag=entry.etag,
        last_modified=int(entry.last_modified.timestamp()),
        response=response,
    )
    if answer is None or answer is response:
        return None
    answer._csp_config = None  # type: ignore[attr-defined]
    answer._csp_ro_config = None  # type: ignore[attr-defined]
    return answer


def context_processor(request: HttpRequest) -> dict[str, Any]:
    """`{{ public_generation }}` for fragment cache keys, read only when a template uses it."""
    return {"public_generation": _LazyGeneration()}


class _LazyGeneration:
    def __str__(self) -> str:
        return str(public_generation())
