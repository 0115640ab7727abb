"""What a version holds, checked before anything is saved: the fields people type (title,
description, tags, language, the choices) and an upload's content, recognised by decoding
(never by its name), size-limited, and its original stored under a server-made path.
`records.services` builds versions from what this module returns."""

import codecs
import hashlib
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from django.conf import settings

from riffhouse.core.errors import ApplicationError
from riffhouse.core.storage import storage_put
from riffhouse.core.tempfiles import temp_directory
from riffhouse.core.text import name_check
from riffhouse.records import media
from riffhouse.records.models import (
    Kind,
)

TAG_RE = re.compile(r"^[a-z0-9][a-z0-9 -]{0,38}[a-z0-9]$|^[a-z0-9]$")
MAX_TAGS = 10
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
TEXT_MIME = "text/markdown"
_SVG = re.compile(rb"<svg[\s>]", re.IGNORECASE)

# Kinds in words: what a file of each kind is, and the choice on the upload form that takes
# it (PRODUCT.md's kinds as people say them; `Kind`'s labels name the browse tabs).
KIND_CHOICE_LABELS: dict[str, str] = {
    Kind.TEXT: "Writing",
    Kind.IMAGE: "Art",
    Kind.AUDIO: "Music",
    Kind.VIDEO: "Film",
}
_A_FILE: dict[str, str] = {
    Kind.TEXT: "a text file",
    Kind.IMAGE: "a picture",
    Kind.AUDIO: "a song or sound",
    Kind.VIDEO: "a film or animation",
}
_NOT_A: dict[str, str] = {
    Kind.TEXT: "writing",
    Kind.IMAGE: "art",
    Kind.AUDIO: "music",
    Kind.VIDEO: "a film",
}


def a_file(kind: str) -> str:
    """A file of this kind, in words: "a picture", "a song or sound"."""
    return _A_FILE[kind]


UNRECOGNISED = (
    "We don't recognise this file. Share a picture (JPEG, PNG, WebP or GIF), a song or sound "
    "(MP3, WAV, FLAC, Ogg or M4A), a film (MP4, MOV or WebM) or a UTF-8 text file."
)
# Where a refusal is read: the upload form (with its kind choice), a new version of a record
# (its kind is set), or the API (which names `kind`).
Where = Literal["form", "version", "api"]


@dataclass(frozen=True)
class Upload:
    """A file someone sent: an open binary handle (on disk for large files), the name the
    client gave it (for display only, never for storage) and its size in bytes. `staged` is
    the stored name of a file kept from an earlier try (`records.staging`), removed once a
    version made from it commits."""

    handle: IO[bytes]
    name: str
    size: int
    staged: str = ""

    @classmethod
    def of(cls, file: Any) -> "Upload | None":
        """The upload of a Django `UploadedFile` (from a form or the API), if one was sent."""
        if not file:
            return None
        return cls(handle=file, name=file.name or "upload", size=file.size or 0)


@dataclass
class Content:
    body: str = ""
    original: str = ""
    original_name: str = ""
    original_size: int = 0
    original_sha256: str = ""
    mime: str = ""
    probe: dict[str, Any] | None = None


# Field checks ------------------------------------------------------------------------------
def tags_parse(*, raw: str | list[str] | tuple[str, ...]) -> list[str]:
    """Tags from "space, Lullaby #synth" or a list: lower-case, de-duplicated, checked."""
    items = re.split(r"[,#\n]+", raw) if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).strip().lower().split())
        if not tag:
            continue
        if not TAG_RE.match(tag):
            raise ApplicationError(
                f"“{tag[:40]}” is not a tag: use up to 40 letters, digits, spaces or '-'.",
                code="invalid_tag",
                field="tags",
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ApplicationError(f"Add at most {MAX_TAGS} tags.", code="too_many_tags", field="tags")
    return tags


def title_check(title: str) -> str:
    title = name_check(" ".join(title.split()), field="title", what="The title")
    if not title:
        raise ApplicationError("Give your record a title.", code="required", field="title")
    if len(title) > 200:
        raise ApplicationError(
            "Titles can be at most 200 characters.", code="too_long", field="title"
        )
    return title


def description_check(description: str) -> str:
    if len(description) > 5000:
        raise ApplicationError(
            "Descriptions can be at most 5,000 characters.", code="too_long", field="description"
        )
    return description.strip()


def choice_check(value: str, choices: type[Any], field: str, label: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ApplicationError(
            f"Unknown {label} “{value[:40]}”: use one of {allowed}.",
            code=f"invalid_{field}",
            field=field,
        )
    return value


def language_check(language: str) -> str:
    language = language.strip()
    if language and not LANGUAGE_RE.match(language):
        raise ApplicationError(
            "Use a language code such as “en”, “pt-BR” or “yue”.",
            code="invalid_language",
            field="language",
        )
    return language


# Content -----------------------------------------------------------------------------------
@contextmanager
def _local_file(upload: Upload) -> Iterator[Path]:
    """A path on disk for the upload: Django keeps large uploads in a temporary file already;
    small ones (held in memory) are written out in chunks."""
    temporary_path = getattr(upload.handle, "temporary_file_path", None)
    if callable(temporary_path):
        yield Path(temporary_path())
        return
    with temp_directory("upload") as tmp:
        path = tmp / "upload"
        upload.handle.seek(0)
        with path.open("wb") as target:
            shutil.copyfileobj(upload.handle, target, 1024 * 1024)
        yield path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _probe(kind: str, path: Path) -> media.Probe:
    # Images: the header only, in the request; decoding is the job's, under its memory cap.
    if kind == Kind.IMAGE:
        return media.probe_image_header(path, max_pixels=settings.RECORD_MAX_PIXELS)
    if kind == Kind.AUDIO:
        return media.probe_audio(path, max_duration=settings.RECORD_MAX_SECONDS)
    return media.probe_video(path, max_duration=settings.RECORD_MAX_SECONDS)


def _looks_like_text(start: bytes) -> bool:
    """Whether a file's first 64 KB are text: UTF-8 without NUL bytes. Media files fail this
    within their first bytes; whether all of it is text, `media.decode_text` says."""
    try:
        text = codecs.getincrementaldecoder("utf-8")("strict").decode(start, final=False)
    except UnicodeDecodeError:
        return False
    return bool(start) and "\x00" not in text


def _kind_of(path: Path) -> str:
    """Recognise an upload's kind by its content: a picture, text, a film, else a song or
    sound; a file that is none of them is refused naming what we take."""
    try:
        media.probe_image_header(path, max_pixels=settings.RECORD_MAX_PIXELS)
    except media.MediaError as error:
        if error.code != "unsupported_format":
            raise
    else:
        return Kind.IMAGE
    with path.open("rb") as handle:
        start = handle.read(64 * 1024)
    if _looks_like_text(start):
        if _SVG.search(start[:4096]):
            # Text inside, but a picture to the person who made it: say which pictures we take.
            raise media.MediaError(
                "SVG pictures are not supported. Upload a JPEG, PNG, WebP or GIF.",
                code="unsupported_format",
            )
        return Kind.TEXT
    try:
        return media.probe_video(path, max_duration=settings.RECORD_MAX_SECONDS).kind
    except media.MediaError as error:
        if error.code not in {"wrong_kind", "unsupported_format"}:
            raise
    try:
        return media.probe_audio(path, max_duration=settings.RECORD_MAX_SECONDS).kind
    except media.MediaError as error:
        if error.code != "unsupported_format":
            raise
    raise media.MediaError(UNRECOGNISED, code="unsupported_format")


def _size_limit(kind: str, size: int) -> None:
    limit = settings.RECORD_MAX_BYTES[kind]
    if size > limit:
        raise ApplicationError(
            f"That file is {size / settings.MB:,.1f} MB; {Kind(kind).label.lower()} "
            f"uploads can be at most {limit / settings.MB:,.0f} MB.",
            code="file_too_large",
            field="file",
            status=413,
        )
    if size == 0:
        raise ApplicationError("That file is empty.", code="empty_file", field="file")


def upload_request_check(*, content_length: str | None) -> None:
    """Refuse an oversized upload from its declared length, before a byte of it is read."""
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    limit = max(settings.RECORD_MAX_BYTES.values()) + settings.MB
    if length > limit:
        raise ApplicationError(
            f"That upload is larger than {limit // settings.MB:,} MB, the most Riffhouse accepts.",
            code="file_too_large",
            status=413,
        )


def record_detect_kind(*, upload: Upload) -> str:
    """The kind of a file, recognised by its content (never by its name)."""
    if upload.size == 0:
        raise ApplicationError("That file is empty.", code="empty_file", field="file")
    with _local_file(upload) as path:
        try:
            return _kind_of(path)
        except media.MediaError as error:
            raise ApplicationError(error.reason, code=error.code, field="file") from error


def kind_mismatch(*, actual: str, expected: str, where: Where) -> ApplicationError:
    """The refusal of a file of one kind given as another, naming both as people say them:
    on a form with the kind choice, the choice that takes it ("This is a text file, not
    music — paste it into Text or choose Writing"); for a new version, the kind the record
    keeps; in the API, the `kind` to send."""
    if where == "form":
        fix = (
            "paste it into Text or choose Writing"
            if actual == Kind.TEXT
            else f"choose {KIND_CHOICE_LABELS[actual]}"
        )
        detail = f"This is {_A_FILE[actual]}, not {_NOT_A[expected]} — {fix}."
    elif where == "version":
        detail = (
            f"This is {_A_FILE[actual]}, not {_A_FILE[expected]}: a new version of this record "
            f"must be {_A_FILE[expected]} too."
        )
    else:
        send = "send its text as `body` with" if actual == Kind.TEXT else "send it with"
        detail = f"This is {_A_FILE[actual]}, not {_A_FILE[expected]}: {send} kind “{actual}”."
    return ApplicationError(detail, code="wrong_kind", field="file")


def _actual_kind(path: Path) -> str | None:
    try:
        return _kind_of(path)
    except media.MediaError:
        return None


@contextmanager
def _refusals(kind: str, path: Path, *, where: Where) -> Iterator[None]:
    """The media tools' refusals raised inside, as the uploader's ApplicationError; a valid
    file of another kind is refused naming both kinds."""
    try:
        yield
    except media.MediaError as error:
        if error.code in {"wrong_kind", "unsupported_format", "invalid_text"}:
            actual = _actual_kind(path)
            if actual and actual != kind:
                raise kind_mismatch(actual=actual, expected=kind, where=where) from error
        raise ApplicationError(error.reason, code=error.code, field="file") from error


def _text_check(upload: Upload, path: Path, *, where: Where) -> str:
    """The text of an uploaded text file (strict UTF-8, within the size limit)."""
    _size_limit(Kind.TEXT, upload.size)
    with _refusals(Kind.TEXT, path, where=where), path.open("rb") as handle:
        return media.decode_text(handle.read())


def _media_check(kind: str, upload: Upload, path: Path, *, where: Where) -> media.Probe:
    """The probe of a picture, a song or sound, or a film, checked to be `kind`."""
    _size_limit(kind, upload.size)
    with _refusals(kind, path, where=where):
        probe = _probe(kind, path)
    if probe.kind != kind:
        raise kind_mismatch(actual=probe.kind, expected=kind, where=where)
    return probe


def upload_check(*, upload: Upload, kind: str | None, where: Where = "form") -> str:
    """The kind of an upload, checked as `content_prepare` will check it but storing nothing:
    as `kind` when the person chose one (a file of another kind is refused naming both),
    else recognised by its content. Size limits included."""
    if upload.size == 0:
        raise ApplicationError("That file is empty.", code="empty_file", field="file")
    with _local_file(upload) as path:
        if kind is None:
            try:
                kind = _kind_of(path)
            except media.MediaError as error:
                raise ApplicationError(error.reason, code=error.code, field="file") from error
        if kind == Kind.TEXT:
            _text_check(upload, path, where=where)
        else:
            _media_check(kind, upload, path, where=where)
    return kind


def content_prepare(
    kind: str,
    record_id: int,
    key: str,
    *,
    body: str | None,
    upload: Upload | None,
    where: Where = "api",
) -> Content:
    """Check the new content and store its original. Raises before storing anything. `where`
    words the refusal of a file of another kind (`kind_mismatch`)."""
    if kind == Kind.TEXT:
        if upload is not None:
            with _local_file(upload) as path:
                body = _text_check(upload, path, where=where)
        if body is None or not body.strip():
            raise ApplicationError(
                "Write something, or upload a Markdown or text file.", code="required", field="body"
            )
        if "\x00" in body:
            raise ApplicationError(
                "The text contains a NUL character.", code="invalid_text", field="body"
            )
        if len(body.encode()) > settings.RECORD_MAX_BYTES[Kind.TEXT]:
            raise ApplicationError(
                "That text is too long for one record.", code="too_long", field="body"
            )
        return Content(body=body.replace("\r\n", "\n"), mime=TEXT_MIME)
    if upload is None:
        raise ApplicationError(f"Choose {_A_FILE[kind]} to upload.", code="required", field="file")
    with _local_file(upload) as path:
        probe = _media_check(kind, upload, path, where=where)
        sha = _sha256(path)
        with path.open("rb") as handle:
            stored = storage_put(f"records/{record_id}/{key}/original", handle)
    return Content(
        original=stored,
        original_name=Path(upload.name).name[:255],
        original_size=upload.size,
        original_sha256=sha,
        mime=probe.mime,
        probe=probe.__dict__.copy(),
    )


def cover_prepare(record_id: int, key: str, *, upload: Upload) -> str:
    """Check an uploaded cover image from its header (the job decodes it, under its memory
    cap) and store the original; returns its storage name. Raises before storing anything."""
    _size_limit(Kind.IMAGE, upload.size)
    return cover_original_store(upload=upload, name=f"records/{record_id}/covers/{key}/original")


def cover_original_store(*, upload: Upload, name: str) -> str:
    """Check a cover image (a record's, a production's) from its header, as `field="cover"`
    (the job decodes it, under its memory cap), and store it as `name`; returns the storage
    name. The caller checks its size first. Raises before storing anything."""
    with _local_file(upload) as path:
        try:
            media.probe_image_header(path, max_pixels=settings.RECORD_MAX_PIXELS)
        except media.MediaError as error:
            if error.code == "unsupported_format":
                raise ApplicationError(
                    "A cover must be a picture: a JPEG, PNG, WebP or GIF.",
                    code="unsupported_format",
                    field="cover",
                ) from error
            raise ApplicationError(error.reason, code=error.code, field="cover") from error
        with path.open("rb") as handle:
            return storage_put(name, handle)
