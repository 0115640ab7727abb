"""Settings for the test suite: the real settings, with tasks run inline unless a test asks
for the database queue and real workers (see riffhouse/core/tests/test_tasks_workers.py)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("TASKS_BACKEND", "immediate")

from riffhouse.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    # Tests render templates without running collectstatic first.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "riffhouse-test"}}  # noqa: F405
# Files a test writes go to a scratch folder, never into the instance's data directory.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="riffhouse-test-media-"))
# Served through the finders in tests; whitenoise still wants its folder to exist.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="riffhouse-test-static-"))
WHITENOISE_USE_FINDERS = True
