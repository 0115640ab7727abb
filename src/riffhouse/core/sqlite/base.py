"""Django's SQLite backend, with the database private to the account that runs Riffhouse.

SQLite creates a missing database file as 0644 (readable by every local account: password
hashes, email addresses), and its -wal and -shm files take the database file's mode. So
before SQLite opens the file we create it empty with mode 0600 (an empty file is a valid
database), and a missing folder for it with mode 0700; a folder we cannot create is a
configuration error that names the setting, not a traceback from inside SQLite.
"""

import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3 import base


def database_file_prepare(path: Path) -> None:
    """Create the folder (0700) and the empty database file (0600) when they are missing.
    An existing file keeps its mode: whoever made it chose it."""
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        if path.is_file():  # it exists (perhaps made just now by another process): fine
            return
        raise ImproperlyConfigured(
            f"Cannot create the SQLite database {path} ({exc.strerror}). Set RIFFHOUSE_DATA_DIR "
            "to a folder the account running Riffhouse may write to (it is created, mode "
            "0700, if missing), or DATABASE_URL to another database."
        ) from exc
    os.close(fd)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        name = str(self.settings_dict["NAME"])
        # A plain path; "file:" URIs and in-memory databases are left to SQLite.
        if not name.startswith("file:") and not self.is_in_memory_db():
            database_file_prepare(Path(name))
        return super().get_new_connection(conn_params)
