"""Staged uploads: the file someone sent with a form that came back with an error (a missing
title, a refused source or licence), kept so that they need not choose it again.

The file is stored under a server-made name (`staged/<random>`, in the media storage that
every web process shares) and the page carries a signed reference to it: the uploader's id,
the stored name, the file's own name and size, and the kind it was checked as. Only the
member who sent it can use the reference, a changed one is refused, and it expires after
`RECORD_STAGED_UPLOAD_SECONDS`; `staged_uploads_sweep` (in `records_sweep`) removes the
files nobody came back for. A record made from a staged file removes it once it commits
(`records.services`). See docs/decisions/0019-staged-uploads.md."""

import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.core.storage import storage_put
from riffhouse.records.content import Upload

FOLDER = "staged"
_SALT = "riffhouse.records.staged-upload"
# A reference is refused a little before its file may be swept, never after.
_SWEEP_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class StagedUpload:
    """A kept file as its page shows it: the signed `reference` to send back, the name the
    file came with, its size in bytes and its kind."""

    reference: str
    name: str
    size: int
    kind: str


class _StoredFile(File):  # type: ignore[type-arg]
    """A stored file opened for reading that also tells its path on local disk, so that the
    checks read it in place instead of copying it (`content._local_file`)."""

    def __init__(self, file: Any, name: str, path: str) -> None:
        super().__init__(file, name)
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def staged_upload_put(*, owner: User, upload: Upload, kind: str) -> StagedUpload:
    """Keep an upload that passed its checks (as `kind`) for `owner` to send again."""
    stored = storage_put(f"{FOLDER}/{secrets.token_urlsafe(24)}", upload.handle)
    name = Path(upload.name).name[:255] or "upload"
    reference = _signer().sign_object(
        {"owner": owner.pk, "stored": stored, "name": name, "size": upload.size, "kind": kind}
    )
    return StagedUpload(reference=reference, name=name, size=upload.size, kind=kind)


def _expired() -> ApplicationError:
    hours = settings.RECORD_STAGED_UPLOAD_SECONDS / 3600
    return ApplicationError(
        f"The file you chose before was kept for {hours:g} hours and has expired. Choose it again.",
        code="staged_upload_expired",
        field="file",
    )


def staged_upload_get(*, owner: User, reference: str) -> tuple[StagedUpload, Upload]:
    """The kept file a reference names, opened for reading, if `owner` kept it and it has
    not expired. A reference that was changed, or is someone else's, is refused the same
    way (it says nothing about other members' files)."""
    invalid = ApplicationError(
        "We could not use the file kept from before. Choose it again.",
        code="invalid_staged_upload",
        field="file",
    )
    try:
        data = _signer().unsign_object(reference, max_age=settings.RECORD_STAGED_UPLOAD_SECONDS)
    except signing.SignatureExpired as error:
        raise _expired() from error
    except (signing.BadSignature, ValueError) as error:
        raise invalid from error
    if not isinstance(data, dict) or data.get("owner") != owner.pk:
        raise invalid
    stored = str(data.get("stored", ""))
    if not stored.startswith(f"{FOLDER}/"):
        raise invalid
    if not default_storage.exists(stored):
        raise _expired()
    kept = StagedUpload(
        reference=reference,
        name=str(data["name"]),
        size=int(data["size"]),
        kind=str(data["kind"]),
    )
    handle = default_storage.open(stored, "rb")
    # On local disk the checks read it in place; remote storage has no path, so they copy it.
    with suppress(NotImplementedError):
        handle = _StoredFile(handle, stored, default_storage.path(stored))
    return kept, Upload(handle=handle, name=kept.name, size=kept.size, staged=stored)


def staged_uploads_sweep() -> int:
    """Remove kept files older than a reference to them can be; returns how many."""
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - timedelta(seconds=settings.RECORD_STAGED_UPLOAD_SECONDS)
    cutoff -= _SWEEP_MARGIN
    removed = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:  # removed meanwhile (used, or another sweep)
            continue
    return removed
