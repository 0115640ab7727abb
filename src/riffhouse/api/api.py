"""The NinjaAPI instance and its one error format: `{"detail": str, "code": str}`.

Every refusal is a 4xx with a message a person can act on; an exception that is not an
ApplicationError is a bug and answers 500 in the same shape.
"""

import json
import logging
from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from riffhouse.accounts.api import router as accounts_router
from riffhouse.community.api import router as community_router
from riffhouse.community.api_comments import comments_router
from riffhouse.community.api_feeds import router as feeds_router
from riffhouse.community.api_social import router as social_router
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage.api import router as lineage_router
from riffhouse.moderation.api import router as moderation_router
from riffhouse.productions.api import router as productions_router
from riffhouse.records.api import router as records_router
from riffhouse.search.api import router as search_router

logger = logging.getLogger(__name__)


class BodyNotAnObject(ValueError):
    """A JSON body that is an array, a string, a number or null: every body here is an object."""


class ObjectParser(Parser):
    """JSON bodies must be objects. (ninja would read `[]` or `null` as an object with no
    fields, so `PATCH /me` with `[]` changed nothing and answered 200.)"""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise BodyNotAnObject
        return data


class ReadableSwagger(Swagger):
    """ninja's Swagger UI, its files served from the package (never a CDN), on our page
    (templates/api/docs.html): a viewport for phones, styles that keep long paths and tables
    inside the screen, and a way back to the site."""

    template = "api/docs.html"


api = NinjaAPI(
    parser=ObjectParser(),
    docs=ReadableSwagger(settings={"docExpansion": "list", "defaultModelsExpandDepth": 0}),
    title="Riffhouse API",
    version="1",
    description=(
        "Make creative work together. Authenticate with `Authorization: Bearer <token>` "
        "(get one from `POST /api/v1/auth/token` or Settings → API tokens) or a browser "
        'session. Errors are `{"detail": str, "code": str}`.'
    ),
    urls_namespace="api",
)


def _error(
    request: HttpRequest,
    detail: str,
    code: str,
    status: int,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    response = api.create_response(
        request, {"detail": detail, "code": code, **extra}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _location(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja reports ("body", "payload", "field"); people want "field".
    parts = [str(p) for p in loc if p not in {"body", "payload", "query", "path", "form"}]
    return ".".join(parts)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    extra = {"field": exc.field} if exc.field else {}
    return _error(request, exc.detail, exc.code, exc.status, exc.headers, **extra)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _location(e.get("loc", ())), "message": str(e.get("msg", "Invalid value."))}
        for e in exc.errors
    ]
    detail = (
        "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        or "The request is not valid."
    )
    return _error(request, detail, "invalid", 422, errors=errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        "Log in or send a valid bearer token.",
        "not_authenticated",
        401,
        {"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
        429: "too_many_requests",
    }
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):
        if isinstance(exc.__cause__, BodyNotAnObject):
            message = "The request body must be a JSON object."
            return _error(
                request, message, "invalid", 422, errors=[{"field": "", "message": message}]
            )
        if isinstance(exc.__cause__, RecursionError):
            return _error(request, "The JSON body is nested too deeply.", "too_deep", 400)
        detail = "The request body is not valid JSON."
    return _error(request, detail, codes.get(exc.status_code, "error"), exc.status_code)


@api.exception_handler(MultiPartParserError)
def on_malformed_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Django's parser refuses a form without a boundary, with a bad header...;
    # core.middleware.TextCheckingMultiPartParser a field that is not acceptable text.
    detail = getattr(exc, "detail", None) or "The multipart form is malformed."
    return _error(request, detail, getattr(exc, "code", "bad_request"), 400)


@api.exception_handler(BadRequest)
def on_bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    detail = getattr(exc, "detail", None) or str(exc) or "The request is malformed."
    status = getattr(exc, "status", 400)
    return _error(request, detail, getattr(exc, "code", "bad_request"), status)


@api.exception_handler(SuspiciousOperation)
def on_suspicious_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Too large a form or body, too many fields or files: the sender can fix it.
    if isinstance(exc, RequestDataTooBig):
        return _error(request, "The request body is too large.", "request_too_large", 413)
    return _error(request, str(exc) or "The request is malformed.", "bad_request", 400)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, "Not found.", "not_found", 404)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled API error on %s %s", request.method, request.path)
    return _error(request, "Something went wrong on our side.", "server_error", 500)


api.add_router("", accounts_router)
api.add_router("", records_router)
api.add_router("", community_router)
api.add_router("", feeds_router)
api.add_router("", social_router)
api.add_router("", comments_router)
api.add_router("", lineage_router)
api.add_router("", productions_router)
api.add_router("", search_router)
api.add_router("", moderation_router)
