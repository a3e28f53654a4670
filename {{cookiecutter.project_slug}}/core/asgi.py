"""The ASGI entry point for servers such as uvicorn; production settings by default.

As in core/wsgi.py, GET /api/health/ is answered before Django and Sentry, so a probe
costs one database query under either server; a request in a charset Django cannot
decode is answered 400 (core/request_charset.py); a caller's trace headers reach
Django and Sentry only when callers are trusted (core.sentry.TRACE_HEADERS); and a HEAD
request gets Django's answer without its body (core/head_requests.py). Everything
else goes to Django, which sentry-sdk's DjangoIntegration instruments under ASGI as
under WSGI.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.production")

django_application = get_asgi_application()

from core.head_requests import headers_only  # noqa: E402 (needs the app set up)
from core.health import health_asgi_app, is_health_probe  # noqa: E402
from core.request_charset import content_type_of, names_only_accepted_charsets, refuse_asgi  # noqa: E402
from core.sentry import TRACE_HEADERS  # noqa: E402

if TYPE_CHECKING:
    from core.health import Receive, Scope, Send

# Their names in an ASGI scope: lowercase bytes.
TRACE_HEADER_NAMES = tuple(name.encode() for name in TRACE_HEADERS)


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await acknowledge_lifespan(receive, send)
    if scope["type"] == "http" and is_health_probe(scope["method"], scope["path"]):
        return await health_asgi_app(scope, receive, send)
    if scope["type"] == "http" and not names_only_accepted_charsets(content_type_of(scope)):
        return await refuse_asgi(scope, receive, send)
    if not settings.SENTRY_TRUST_INCOMING_TRACES:
        headers = [
            (name, value) for name, value in scope["headers"] if name.lower() not in TRACE_HEADER_NAMES
        ]
        scope = {**scope, "headers": headers}
    if scope["type"] == "http" and scope["method"] == "HEAD":
        send = headers_only(send)
    return await django_application(scope, receive, send)


async def acknowledge_lifespan(receive: Receive, send: Send) -> None:
    """Servers announce start-up and shutdown (ASGI lifespan); Django has nothing to do
    then, and would answer with an exception that Sentry reports at every start."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
