"""gunicorn's worker timeout raised where a worker waits: for a client that sends its
request too slowly, no event; in a view that hangs, one. The worker is stopped the way
gunicorn stops it (its own abort handler, from a timer signal) while gunicorn's own
parser reads a connection; the template's suite does the same under a real gunicorn."""

import functools
import signal
import socket
import time
from types import SimpleNamespace

import sentry_sdk
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser
from gunicorn.workers.base import Worker


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
