#!/usr/bin/env python
"""Django's command-line utility; runs with development settings unless told otherwise."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.development")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    # A bad variable or an unreachable database is the user's to fix, not a bug in the
    # code: one line naming it beats a traceback. --traceback still shows where.
    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings, which check every variable)
        execute_from_command_line(sys.argv)
    except (ImproperlyConfigured, OperationalError) as error:
        if "--traceback" in sys.argv:
            raise
        hint = " (check DATABASE_URL in .env)" if isinstance(error, OperationalError) else ""
        sys.exit(f"{type(error).__name__}: {' '.join(str(error).split())}{hint}")


if __name__ == "__main__":
    main()
