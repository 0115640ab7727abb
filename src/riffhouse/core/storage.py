"""Storage helpers that work the same on the local disk and on S3-compatible storage:
files move in chunks, never whole in memory."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

from riffhouse.core.tempfiles import temp_directory

CHUNK = 1024 * 1024


def storage_put(name: str, handle: IO[bytes]) -> str:
    """Store a file object under exactly `name` (a server-made, unique path); return it."""
    handle.seek(0)
    stored = default_storage.save(name, File(handle, name=name))
    return str(stored)


def storage_put_path(name: str, path: Path) -> str:
    with path.open("rb") as handle:
        return storage_put(name, handle)


@contextmanager
def storage_local_copy(name: str, *, suffix: str = "") -> Iterator[Path]:
    """A temporary local copy of a stored file (media tools need a real path), removed on exit."""
    with temp_directory("copy") as tmp:
        local = tmp / f"file{suffix}"
        with default_storage.open(name, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        yield local


def storage_delete_many(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
