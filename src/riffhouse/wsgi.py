"""WSGI entry point for production servers (gunicorn in `riffhouse serve`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riffhouse.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the process: move
# it out of the collector's reach, so that a request allocating many small objects (a deep
# lineage walk) does not make every collection traverse the whole process.
gc.freeze()
