"""The health probe, answered before Django's middleware and Sentry (core/wsgi.py).

Load balancers call it every few seconds from every node. It carries nothing worth
tracing or reporting, so it skips the request stack and only asks the database one
question; the same answer is served by the URLconf route for the test client.
"""

import json

from django.db import DatabaseError, close_old_connections, connection

HEALTH_PATH = "/api/health/"


def database_status():
    """(HTTP status, JSON body): 200 while the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return 503, {"status": "error", "database": "unavailable"}
    return 200, {"status": "ok", "database": "ok"}


def health_wsgi_app(environ, start_response):
    # What Django's request_started and request_finished signals would do: drop a
    # connection that is too old or broken, before and after (CONN_MAX_AGE still holds).
    close_old_connections()
    try:
        status, payload = database_status()
    finally:
        close_old_connections()
    body = json.dumps(payload).encode()
    reason = "OK" if status == 200 else "Service Unavailable"
    start_response(
        f"{status} {reason}",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]
