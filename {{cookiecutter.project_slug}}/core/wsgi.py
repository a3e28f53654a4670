"""The WSGI entry point servers such as gunicorn load; production settings by default.

GET /api/health/ is answered here, before Django's middleware and Sentry: load
balancers send it every few seconds, and a probe should cost one database query,
not the whole request stack (core/health.py). Everything else goes to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.production")

django_application = get_wsgi_application()

from core.health import health_wsgi_app, is_health_probe  # noqa: E402 (needs the app set up)


def application(environ, start_response):
    if is_health_probe(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")):
        return health_wsgi_app(environ, start_response)
    return django_application(environ, start_response)
