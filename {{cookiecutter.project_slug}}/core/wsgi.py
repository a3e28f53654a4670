"""The WSGI entry point servers such as gunicorn load; production settings by default.

Django's application sits behind edge/, which answers the health probe, refuses
undecodable charsets, drops untrusted trace headers and strips HEAD bodies first.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.production")

django_application = get_wsgi_application()

from edge.wsgi import wrap  # noqa: E402 (needs the settings loaded)

application = wrap(django_application)
