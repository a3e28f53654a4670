"""Django's ASGI application, behind what answers before it (this package's docstring)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from edge import trace_headers
from edge.charset import content_type_of, names_only_accepted_charsets, refuse_asgi
from edge.head import headers_only
from edge.health import health_asgi_app, is_health_probe

if TYPE_CHECKING:
    from edge.types import ASGIApp, Receive, Scope, Send


def wrap(django_application: ASGIApp) -> ASGIApp:
    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await acknowledge_lifespan(receive, send)
        if scope["type"] == "http" and is_health_probe(scope["method"], scope["path"]):
            return await health_asgi_app(scope, receive, send)
        if scope["type"] == "http" and not names_only_accepted_charsets(content_type_of(scope)):
            return await refuse_asgi(scope, receive, send)
        if not settings.SENTRY_TRUST_INCOMING_TRACES:
            scope = trace_headers.drop_from_scope(scope)
        if scope["type"] == "http" and scope["method"] == "HEAD":
            send = headers_only(send)
        return await django_application(scope, receive, send)

    return application


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
