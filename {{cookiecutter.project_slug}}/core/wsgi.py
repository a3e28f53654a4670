"""The WSGI entry point servers such as gunicorn load; production settings by default.

GET /api/health/ is answered here, before Django's middleware and Sentry: load
balancers send it every few seconds, and a probe should cost one database query,
not the whole request stack (api/health.py). Everything else goes to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.production")

django_application = get_wsgi_application()

from api.health import HEALTH_PATH, health_wsgi_app  # noqa: E402 (needs the app set up)


def application(environ, start_response):
    if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
        return health_wsgi_app(environ, start_response)
    return django_application(environ, start_response)
