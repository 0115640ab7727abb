"""Serving stored files to browsers: byte ranges (seeking in audio and video), long caching
for immutable files, `nosniff`, and downloads for anything not safe to show inline. On
S3-compatible storage the browser is redirected to a short-lived signed URL instead."""

import logging
import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024
logger = logging.getLogger(__name__)
# Types a browser may render in the page; everything else is sent as a download.
INLINE_TYPES = frozenset(
    {
        "image/webp",
        "image/jpeg",
        "image/png",
        "image/gif",
        "audio/mp4",
        "audio/mpeg",
        "audio/ogg",
        "audio/flac",
        "audio/wav",
        "video/mp4",
        "video/webm",
        "video/ogg",
    }
)


def _chunks(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def _disposition(download_name: str | None, inline: bool) -> str:
    # Django quotes and encodes the name, so a file named with quotes or line breaks
    # cannot break out of the header.
    return content_disposition_header(not inline, download_name or "file") or "attachment"


def serve_stored_file(
    request: HttpRequest,
    name: str,
    content_type: str,
    *,
    public: bool,
    download_name: str | None = None,
) -> HttpResponseBase:
    inline = content_type in INLINE_TYPES
    cache = "public, max-age=31536000, immutable" if public else "private, no-store"
    if hasattr(default_storage, "bucket_name") or getattr(
        getattr(default_storage, "_wrapped", None), "bucket_name", None
    ):
        # django-storages' S3Storage.url takes response headers for the signed URL.
        url = default_storage.url(  # type: ignore[call-arg]
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": _disposition(download_name, inline),
            },
        )
        response: HttpResponse = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        size = default_storage.size(name)
        handle = default_storage.open(name, "rb")
    except FileNotFoundError as exc:
        # The database names a file that storage lost (a restore from backup without the
        # media, a hand-deleted file): the visitor gets a 404, the operator a log line.
        logger.error("Stored file %s is missing from storage.", name)
        raise Http404("No such file.") from exc
    start, end = 0, size - 1
    status = 200
    header = request.headers.get("Range", "")
    match = RANGE_RE.match(header.strip()) if header else None
    if header and match:
        first, last = match.groups()
        if first == "" and last == "":
            match = None
        elif first == "":
            start, end = max(0, size - int(last)), size - 1
        else:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        if match and (start > end or start >= size):
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        if match:
            status = 206
    length = end - start + 1
    streaming = StreamingHttpResponse(
        _chunks(handle, start, length), status=status, content_type=content_type
    )
    streaming["Content-Length"] = str(length)
    streaming["Accept-Ranges"] = "bytes"
    if status == 206:
        streaming["Content-Range"] = f"bytes {start}-{end}/{size}"
    streaming["Cache-Control"] = cache
    streaming["X-Content-Type-Options"] = "nosniff"
    streaming["Content-Disposition"] = _disposition(download_name, inline)
    return streaming
