"""The health probe, answered before Django's middleware and Sentry (core/wsgi.py and
core/asgi.py).

Load balancers call it every few seconds from every node. It carries nothing worth
tracing or reporting, so it skips the request stack, and with it anything a client
could put in a sentry-trace header, and only asks the database{% if cookiecutter.background_jobs == "celery" %} (and the broker){% endif %} one question; the same
answer is served by the URLconf route for the test client.

GET /api/health/live/ is Kubernetes' liveness probe (deploy/kubernetes): it answers
while the process serves and asks nothing else, so an outage of what the app needs
takes pods out of rotation (their readiness probe is /api/health/) without restarting
every one of them.
"""

from __future__ import annotations

{% if cookiecutter.background_jobs == "celery" -%}
import functools
{% endif -%}
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

{% if cookiecutter.background_jobs == "celery" -%}
import redis
{% endif -%}
import sentry_sdk
from asgiref.sync import sync_to_async
{%- if cookiecutter.background_jobs == "celery" %}
from django.conf import settings
{%- endif %}
from django.db import DatabaseError, close_old_connections, connection

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

# An ASGI application's arguments, as Django's own ASGI handler takes them.
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

HEALTH_PATH = "/api/health/"
LIVENESS_PATH = "/api/health/live/"


def is_health_probe(method: str | None, path: str | None) -> bool:
    return method == "GET" and path in (HEALTH_PATH, LIVENESS_PATH)


def database_check() -> str:
    """Whether the database answers, asked the way Django's CONN_HEALTH_CHECKS asks it:
    on the driver's own connection, beneath the cursor that sentry-sdk traces, so a probe
    makes no span and no breadcrumb and costs what it costs with Sentry off."""
    try:
        connection.ensure_connection()
        usable = connection.is_usable()
    except DatabaseError:
        return "unavailable"
    return "ok" if usable else "unavailable"

{%- if cookiecutter.background_jobs == "celery" %}


@functools.cache
def broker_client(url: str) -> redis.Redis:
    """One client per broker URL and process: its pool keeps a connection open between
    probes, so a probe is one PING (about 0.1 ms) rather than a new connection (3 ms)."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def broker_check() -> str:
    try:
        broker_client(settings.CELERY_BROKER_URL).ping()
    except redis.RedisError:
        return "unavailable"
    return "ok"
{%- endif %}


def health_status() -> tuple[int, dict[str, str]]:
    """(HTTP status, JSON body): 200 while what the app needs answers, else 503."""
    checks = {"database": database_check()}
{%- if cookiecutter.background_jobs == "celery" %}
    # A broker only when there is one: without it, development runs tasks eagerly.
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = broker_check()
{%- endif %}
    healthy = all(result == "ok" for result in checks.values())
    return (200 if healthy else 503), {"status": "ok" if healthy else "error", **checks}


def readiness() -> tuple[int, dict[str, str]]:
    """health_status() outside Django's request cycle."""
    # What Django's request_started and request_finished signals would do: drop a
    # connection that is too old or broken, before and after (CONN_MAX_AGE still holds).
    close_old_connections()
    # A scope of its own, dropped after: opening a connection is a breadcrumb, which
    # would otherwise wait in the process's scope for the next event outside a request.
    try:
        with sentry_sdk.isolation_scope():
            return health_status()
    finally:
        close_old_connections()


def probe(path: str = HEALTH_PATH) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of one probe of `path`, outside Django's request cycle."""
    status, payload = (200, {"status": "ok"}) if path == LIVENESS_PATH else readiness()
    body = json.dumps(payload).encode()
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ]
    return status, headers, body


def health_wsgi_app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
    status, headers, body = probe(environ["PATH_INFO"])
    start_response(f"{status} {'OK' if status == 200 else 'Service Unavailable'}", headers)
    return [body]


async def health_asgi_app(scope: Scope, receive: Receive, send: Send) -> None:
    # Django's database connections are synchronous: the probe runs in the thread
    # Django itself uses for synchronous code under ASGI.
    status, headers, body = await sync_to_async(probe)(scope["path"])
    encoded = [(name.lower().encode(), value.encode()) for name, value in headers]
    await send({"type": "http.response.start", "status": status, "headers": encoded})
    await send({"type": "http.response.body", "body": body})
