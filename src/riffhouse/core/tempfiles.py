"""Our temporary files: uploads streaming in, originals copied out of storage, processing
folders. A process killed in the middle of one (a worker's SIGKILL, a web worker killed at
the end of its graceful timeout) cannot clean up after itself, so every such file carries our
own prefix and a lock its owner holds while using it; `tempfiles_sweep` removes those whose
lock is free (the owner is gone: the kernel drops a dead process's locks) and that are older
than a safe age. It never touches a name without our prefix, another user's file, or a file
whose owner still holds its lock."""

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler as DjangoUploadHandler

PREFIX = "riffhouse-tmp-"
LOCK_NAME = ".riffhouse-lock"


def temp_roots() -> list[Path]:
    """The folders our temporary files are made in: the system's and the uploads' own."""
    roots = [Path(tempfile.gettempdir())]
    if settings.FILE_UPLOAD_TEMP_DIR:
        roots.append(Path(settings.FILE_UPLOAD_TEMP_DIR))
    unique: dict[Path, None] = {}
    for root in roots:
        unique.setdefault(root.resolve(), None)
    return list(unique)


def _lock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_EX)


@contextmanager
def temp_directory(purpose: str) -> Iterator[Path]:
    """A private temporary folder, removed on exit (also when the block fails). Its lock is
    held until then, so the sweep leaves it alone while this process lives."""
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{purpose}-"))
    fd = os.open(path / LOCK_NAME, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        _lock(fd)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)


class LockedTemporaryUploadedFile(TemporaryUploadedFile):
    """Django's upload temporary file under our prefix, locked while the request holds it."""

    def __init__(
        self,
        name: str,
        content_type: str | None,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        ext = os.path.splitext(name)[1]
        file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed with the upload)
            prefix=f"{PREFIX}upload-", suffix=".upload" + ext, dir=settings.FILE_UPLOAD_TEMP_DIR
        )
        _lock(file.fileno())
        # Skips TemporaryUploadedFile.__init__, which would make a second, unlocked file.
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)


class TemporaryFileUploadHandler(DjangoUploadHandler):
    """Streams a large upload to a LockedTemporaryUploadedFile (FILE_UPLOAD_HANDLERS)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super(DjangoUploadHandler, self).new_file(*args, **kwargs)
        self.file = LockedTemporaryUploadedFile(
            self.file_name or "", self.content_type, 0, self.charset, self.content_type_extra
        )


def _owner_gone(lock_path: Path) -> bool:
    """True when nobody holds the lock (or there is no lock file: its owner died before
    making one, which only the age check then guards)."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # also releases the lock we may have taken
    return True


def _size(path: Path) -> int:
    if not path.is_dir():
        return path.lstat().st_size
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            with suppress(OSError):
                total += (Path(folder) / name).lstat().st_size
    return total


def tempfiles_sweep(*, min_age_seconds: float | None = None) -> tuple[int, int]:
    """Remove our temporary files and folders left behind by processes that died. Returns
    (entries removed, bytes freed)."""
    age = settings.TEMP_SWEEP_MIN_AGE_SECONDS if min_age_seconds is None else min_age_seconds
    cutoff = time.time() - age
    removed = freed = 0
    for root in temp_roots():
        try:
            entries = list(root.iterdir())
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(PREFIX):
                continue
            try:
                stat = entry.lstat()
            except FileNotFoundError:
                continue
            if stat.st_uid != os.getuid() or stat.st_mtime > cutoff or entry.is_symlink():
                continue
            is_dir = entry.is_dir()
            if not _owner_gone(entry / LOCK_NAME if is_dir else entry):
                continue
            try:
                size = _size(entry)
                if is_dir:
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            except FileNotFoundError:
                continue
            removed += 1
            freed += size
    return removed, freed
