"""Site-wide pages: health check, error pages, and serving public media files."""

import mimetypes
from pathlib import PurePosixPath

from django.core.exceptions import RequestDataTooBig
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from riffhouse.core.errors import RequestRefused
from riffhouse.core.selectors import health_report

# Media that anyone may read and that browsers may show inline. Everything else under
# /media/ is refused here; later issues serve private and record files through their apps.
PUBLIC_MEDIA_PREFIXES = ("avatars/",)
INLINE_TYPES = {"image/webp", "image/png", "image/jpeg"}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    report, serving = health_report()
    return JsonResponse(report, status=200 if serving else 503)


@require_safe
def public_media(request: HttpRequest, path: str) -> FileResponse:
    clean = PurePosixPath(path)
    if clean.is_absolute() or ".." in clean.parts or not path.startswith(PUBLIC_MEDIA_PREFIXES):
        raise Http404("No such file.")
    try:
        handle = default_storage.open(str(clean), "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("No such file.") from exc
    content_type = mimetypes.guess_type(clean.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, content_type=content_type, as_attachment=content_type not in INLINE_TYPES
    )
    # Avatar files get a new name on every change, so they can be cached for a long time.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path.startswith("/api/")
        or "application/json" in request.headers.get("Accept", "").split(",")[0]
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request refused before (or while) its view read it: core.errors.RequestRefused from
    TextInputMiddleware, or Django's own (a malformed form, too many fields)."""
    if isinstance(exception, RequestDataTooBig):
        exception = RequestRefused(
            "The request body is too large.", code="request_too_large", status=413
        )
    detail = getattr(exception, "detail", "The request is malformed.")
    code = getattr(exception, "code", "bad_request")
    status = getattr(exception, "status", 400)
    if _wants_json(request):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return render(request, "400.html", {"detail": detail, "status": status}, status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"detail": "Something went wrong on our side.", "code": "server_error"}, status=500
        )
    # The 500 page must render without context processors that touch the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
