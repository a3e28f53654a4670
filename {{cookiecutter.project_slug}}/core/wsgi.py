"""The WSGI entry point servers such as gunicorn load; production settings by default.

GET /api/health/ is answered here, before Django's middleware and Sentry: load
balancers send it every few seconds, and a probe should cost one database query,
not the whole request stack (core/health.py). So is a request in a charset Django
cannot decode, with a 400 (core/request_charset.py). Everything else goes to Django,
without the caller's trace headers unless callers are trusted (core.sentry.
TRACE_HEADERS), and a HEAD request gets Django's answer without its body
(core/head_requests.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.production")

django_application = get_wsgi_application()

from core.head_requests import HeadersOnly  # noqa: E402 (needs the app set up)
from core.health import health_wsgi_app, is_health_probe  # noqa: E402
from core.request_charset import names_only_accepted_charsets, refuse_wsgi  # noqa: E402
from core.sentry import TRACE_HEADERS  # noqa: E402

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

# Their names in a WSGI environ: HTTP_SENTRY_TRACE, HTTP_BAGGAGE.
TRACE_HEADER_KEYS = tuple(f"HTTP_{name.upper().replace('-', '_')}" for name in TRACE_HEADERS)


def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    if is_health_probe(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")):
        return health_wsgi_app(environ, start_response)
    if not names_only_accepted_charsets(environ.get("CONTENT_TYPE", "")):
        return refuse_wsgi(environ, start_response)
    if not settings.SENTRY_TRUST_INCOMING_TRACES:
        for key in TRACE_HEADER_KEYS:
            environ.pop(key, None)
    response = django_application(environ, start_response)
    if environ.get("REQUEST_METHOD") == "HEAD":
        # Django has called start_response by now: the headers are the GET's.
        return HeadersOnly(response)
    return response
