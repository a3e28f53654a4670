"""observability/client_faults.py: no request an anonymous client can send makes a
Sentry event, except a real unhandled exception in the app (the control in each test).

Each abuse goes through Django's WSGI handler. gunicorn's worker timeout is raised where
a worker waits: for a client that sends its request too slowly, no event; in a view that
hangs, one. The worker is stopped the way gunicorn stops it (its own abort handler, from
a timer signal) while gunicorn's own parser reads a connection; the template's suite does
the same under a real gunicorn."""

import functools
import logging
import signal
import socket
import time
from types import SimpleNamespace

import pytest
import sentry_sdk
from django.core.exceptions import BadRequest
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser
from gunicorn.workers.base import Worker

from tests.routes import urlpatterns  # noqa: F401 (wsgi_client serves this module's routes)


@pytest.fixture(autouse=True)
def debug_route_off(settings):
    settings.SENTRY_DEBUG_ROUTE_ENABLED = False


def stopped_by_gunicorns_timeout(wait):
    """Run `wait` until gunicorn's abort handler stops it, as the arbiter's SIGABRT
    would: the SystemExit it raised, with its traceback."""
    worker = SimpleNamespace(alive=True, cfg=SimpleNamespace(worker_abort=lambda worker: None))
    # The handler itself, as gunicorn installs it: no frame of ours between it and `wait`.
    previous = signal.signal(signal.SIGALRM, functools.partial(Worker.handle_abort, worker))
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        wait()
    except SystemExit as stopped:
        return stopped
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    raise AssertionError("the worker was not stopped")


def read_a_request_sent_in(part):
    client, server = socket.socketpair()
    with client, server:
        client.sendall(part)
        next(RequestParser(Config(), server, ("127.0.0.1", 50000)))


def test_a_worker_stopped_reading_a_slow_request_makes_no_event_but_a_hanging_view_makes_one(start_sentry):
    transport = start_sentry()
    slow_clients = [
        stopped_by_gunicorns_timeout(lambda: read_a_request_sent_in(b"")),
        stopped_by_gunicorns_timeout(lambda: read_a_request_sent_in(b"GET / HTTP/1.1\r\nHost: a\r\n")),
    ]
    hanging_view = stopped_by_gunicorns_timeout(lambda: time.sleep(10))

    for stopped in [*slow_clients, hanging_view]:
        sentry_sdk.capture_exception(stopped)

    [event] = transport.events
    assert event["exception"]["values"][-1]["type"] == "SystemExit"
    # Where it was stopped: in the view's own frame, just before gunicorn's handler.
    assert [frame["function"] for frame in event["exception"]["values"][-1]["stacktrace"]["frames"]][-2:] == [
        "<lambda>",
        "handle_abort",
    ]


def served_as_by_a_server(send, *args, **kwargs):
    """Django's own error views read such a body again, and the BadRequest escapes its
    handler: a server answers 500 then, and logs the exception as an error."""
    try:
        return send(*args, **kwargs)
    except BadRequest:
        return 500, b""


ABUSES = {
    "bad Host header": lambda client: client.get("/form/", headers={"Host": "evil.example"}),
    "CSRF failure": lambda client: client.post("/form/", {"name": "x"}),
    "body over DATA_UPLOAD_MAX_MEMORY_SIZE": lambda client: client.post(
        "/form/", "a=" + "x" * 3_000_000, content_type="application/x-www-form-urlencoded"
    ),
    "more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS": lambda client: client.post(
        "/form/", "&".join(f"f{n}=1" for n in range(1500)), content_type="application/x-www-form-urlencoded"
    ),
    "a form in a charset Django cannot decode": lambda client: served_as_by_a_server(
        client.post,
        "/form/",
        "a=b",
        content_type="application/x-www-form-urlencoded; charset=utf-7",
        headers={"Cookie": "csrftoken=" + "a" * 32},
    ),
    "the debug route while it is off": lambda client: client.get("/api/sentry-debug/"),
    "a path that does not exist": lambda client: client.get("/wp-login.php"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("abuse", ABUSES)
def test_abuse_makes_no_event_but_a_real_error_does(start_sentry, wsgi_client, abuse):
    transport = start_sentry()

    status, _ = ABUSES[abuse](wsgi_client)

    assert status >= 400
    assert transport.events == []
    assert wsgi_client.get("/broken/")[0] == 500
    assert len(transport.events) == 1


@pytest.mark.django_db
def test_a_security_warning_is_still_a_breadcrumb_of_the_next_real_error(start_sentry, wsgi_client):
    transport = start_sentry()

    logging.getLogger("django.security.csrf").warning("Forbidden (CSRF cookie not set.): /form/")
    logging.getLogger("ops").error("a real error")

    [event] = transport.events
    assert "Forbidden (CSRF cookie not set.): /form/" in [
        crumb.get("message") for crumb in event["breadcrumbs"]["values"]
    ]
