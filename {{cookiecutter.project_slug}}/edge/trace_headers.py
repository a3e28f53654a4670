"""A caller's trace headers, kept only when every caller is the project's own.

sentry-trace and baggage are how a caller continues its trace here (the SDK reads no
others). From anyone on the internet they would choose which requests are traced (a
"sampled" flag, or a baggage sample_rand under the rate) and spend the transaction
quota, so they are dropped before Django and the SDK see a request, unless
SENTRY_TRUST_INCOMING_TRACES says every caller is the project's own (docs/sentry.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from edge.types import Scope

TRACE_HEADERS = ("sentry-trace", "baggage")
# Their names in a WSGI environ (HTTP_SENTRY_TRACE, HTTP_BAGGAGE) and an ASGI scope.
WSGI_KEYS = tuple(f"HTTP_{name.upper().replace('-', '_')}" for name in TRACE_HEADERS)
ASGI_NAMES = tuple(name.encode() for name in TRACE_HEADERS)


def drop_from_environ(environ: WSGIEnvironment) -> None:
    for key in WSGI_KEYS:
        environ.pop(key, None)


def drop_from_scope(scope: Scope) -> Scope:
    headers = [(name, value) for name, value in scope["headers"] if name.lower() not in ASGI_NAMES]
    return {**scope, "headers": headers}
