#!/usr/bin/env python
"""Django's command-line utility; runs with development settings unless told otherwise."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.development")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings, which check every variable)
    except ImproperlyConfigured as error:
        # A bad variable is the user's to fix, not a bug: one line naming it beats a traceback.
        sys.exit(f"ImproperlyConfigured: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
