"""Request-wide middleware: text no field may hold is refused before any view reads it, a
service's refusal that escapes a page view becomes the right error page, and a suspended
member's changes are refused."""

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve

from riffhouse.core.errors import ApplicationError, NotFound, RequestRefused
from riffhouse.core.text import JSON_MAX_DEPTH, json_problem, text_problem


class MultiPartTextRefused(MultiPartParserError, RequestRefused):
    """A multipart form field that is not acceptable text. A MultiPartParserError, so Django
    forgets the half-parsed form and answers 400 however the form was first read."""


class TextCheckingMultiPartParser(MultiPartParser):
    """Django's parser, then the text rule (core/text.py) on every field name and value.
    Django decodes invalid UTF-8 in fields to U+FFFD, which the rule refuses."""

    def parse(self) -> tuple[Any, Any]:
        post, files = super().parse()
        refusal = _fields_refusal(post, "form field")
        if refusal:
            raise MultiPartTextRefused(refusal, code="invalid_characters")
        return post, files


class TextInputMiddleware:
    """Refuse, with a 400 (`invalid_characters`), a request whose path, query string, form
    fields or JSON strings hold text no field may hold, so that no view, service or database
    ever sees it (PostgreSQL cannot store NUL; SQLite would). A JSON or urlencoded body over
    DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, JSON nested deeper than JSON_MAX_DEPTH a 400.
    Multipart forms are checked when first read (a view may refuse an upload by its length
    before reading it), by TextCheckingMultiPartParser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Set before anything reads the form: Django refuses a new parser after that.
        # django-stubs types this attribute as a parser instance; Django 6 wants the class.
        request.multipart_parser_class = TextCheckingMultiPartParser  # type: ignore[assignment]
        try:
            self._check(request)
        except RequestRefused as refusal:
            return _refuse(request, refusal)
        except RequestDataTooBig:
            return _refuse(
                request,
                RequestRefused(
                    "The request body is too large.", code="request_too_large", status=413
                ),
            )
        except SuspiciousOperation as error:  # too many fields, a bad form encoding
            return _refuse(request, RequestRefused(str(error)))
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        problem = text_problem(request.path)
        if problem:
            raise RequestRefused(f"The address {problem}.", code="invalid_characters")
        refusal = _fields_refusal(request.GET, "query parameter")
        if refusal:
            raise RequestRefused(refusal, code="invalid_characters")
        # Django parses forms of POST requests only.
        if request.method == "POST" and request.content_type == "multipart/form-data":
            return  # checked as it is parsed
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            refusal = _fields_refusal(request.POST, "form field")
            if refusal:
                raise RequestRefused(refusal, code="invalid_characters")
            return
        if request.method in {"GET", "HEAD", "OPTIONS"} or not request.META.get("CONTENT_LENGTH"):
            return
        # Any other body is read as JSON (django-ninja does so whatever its content type).
        body = request.body
        try:
            data = json.loads(body)
        except RecursionError:
            raise RequestRefused(
                f"The JSON body is nested more than {JSON_MAX_DEPTH} levels deep.", code="too_deep"
            ) from None
        except ValueError:
            return  # not JSON: whatever reads it says so
        refused = json_problem(data)
        if refused:
            reason, code = refused
            raise RequestRefused(f"The JSON body {reason}.", code=code)


def _refuse(request: HttpRequest, refusal: RequestRefused) -> HttpResponse:
    from riffhouse.core.views import bad_request

    return bad_request(request, refusal)


def _fields_refusal(fields: QueryDict, what: str) -> str | None:
    """Why a query string's or form's fields (names and values) cannot be accepted, naming
    the first field that fails the text rule; None when all pass."""
    for name, values in fields.lists():
        for text in (name, *values):
            problem = text_problem(text)
            if problem:
                return f"The {what} “{_shown(name)}” {problem}."
    return None


def _shown(name: str) -> str:
    # A field name is shown back to the sender; keep it short and printable.
    return "".join(c if c.isprintable() else "?" for c in name[:40])


class ApplicationErrorMiddleware:
    """Turn a service's refusal that escapes a page view into the right error page, so a view
    never has to catch NotFound just to answer 404. (The API has its own handlers.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            from riffhouse.core.views import page_not_found

            return page_not_found(request, exception)
        if isinstance(exception, ApplicationError):
            return render(request, "error.html", {"error": exception}, status=exception.status)
        return None


# The header records.js sends with a form it posts by XHR (for the upload's progress bar).
UPLOAD_FORM_HEADER = "X-Upload-Form"


class UploadFormMessagesMiddleware:
    """An upload form is posted by XHR (records.js), which follows the redirect and reads
    the page, and then the browser opens that page itself. The XHR's read (it carries the
    form's header through the redirect) must not use up the flash messages, or the member
    never sees "Saved." or where their upload went. Sits inside MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        storage = getattr(request, "_messages", None)
        if request.method == "GET" and request.headers.get(UPLOAD_FORM_HEADER) and storage:
            storage.used = False  # left for the browser's own visit
        return response


# What a suspended member may still change: logging out and their appeal (page and API).
SUSPENDED_MAY = frozenset({"accounts:logout", "moderation:appeal", "api:appeal_create"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class Suspended(ApplicationError):
    status = 403

    def __init__(self, *, reason: str, until: Any) -> None:
        ending = (
            "until a moderator lifts it"
            if until is None or until.year >= 9999
            else f"until {until:%-d %B %Y %H:%M} UTC"
        )
        super().__init__(
            f"Your account is suspended {ending}: {reason or 'no reason given'}. You can "
            "read, log out and appeal, but not change anything.",
            code="suspended",
        )


def suspension_refusal(request: HttpRequest, user: Any) -> Suspended | None:
    """Why `user` (a suspended member) may not make this request, or None: reads, logging
    out and appealing stay open to them. Used by SuspensionMiddleware for sessions, and by
    the API's bearer authentication (which identifies the member only inside the API)."""
    if request.method in SAFE_METHODS or not getattr(user, "is_suspended", False):
        return None
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    if match is not None and match.view_name in SUSPENDED_MAY:
        return None
    return Suspended(reason=user.suspension_reason, until=user.suspended_until)


class SuspensionMiddleware:
    """Refuse every change a suspended member tries (POST, PUT, PATCH, DELETE; pages and the
    API) with 403 `suspended` and a page or JSON that says why, except logging out and their
    appeal. Reads stay open: they may sign in, look, and see why (decision 0036)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = suspension_refusal(request, getattr(request, "user", None))
        if refusal is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": refusal.detail, "code": refusal.code}, status=403)
        return render(request, "suspended.html", {"error": refusal}, status=403)
