"""Django's WSGI application, behind what answers before it (this package's docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.conf import settings

from edge import trace_headers
from edge.charset import names_only_accepted_charsets, refuse_wsgi
from edge.head import HeadersOnly
from edge.health import health_wsgi_app, is_health_probe

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def wrap(django_application: WSGIApplication) -> Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]:
    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if is_health_probe(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")):
            return health_wsgi_app(environ, start_response)
        if not names_only_accepted_charsets(environ.get("CONTENT_TYPE", "")):
            return refuse_wsgi(environ, start_response)
        if not settings.SENTRY_TRUST_INCOMING_TRACES:
            trace_headers.drop_from_environ(environ)
        response = django_application(environ, start_response)
        if environ.get("REQUEST_METHOD") == "HEAD":
            # Django has called start_response by now: the headers are the GET's.
            return HeadersOnly(response)
        return response

    return application
