"""WSGI entry point for production servers (gunicorn in `riffhouse serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riffhouse.settings")

application = get_wsgi_application()
