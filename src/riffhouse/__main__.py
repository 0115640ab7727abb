"""The `riffhouse` console script: Django's management commands and Riffhouse's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riffhouse.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        if "--traceback" in sys.argv:
            raise
        # A setting to fix, not a bug: the message says which; a traceback would bury it.
        sys.exit(f"riffhouse: {exc}")


if __name__ == "__main__":
    main()
