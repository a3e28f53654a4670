"""What an anonymous client can cause, which is never an event, so nobody on the
internet can spend the project's quota.

Django answers some exceptions with a 400 (a body it cannot decode, a bad Host header,
an oversized or many-field body, a client that hung up mid-body), yet they can reach
Sentry as exceptions; it logs them, and every CSRF failure, to django.security.*, whose
records stay breadcrumbs; edge/charset.py, edge/json_depth.py and edge/session_cookie.py
log the requests they refuse. The servers log malformed requests as warnings (their
errors still are events), and Django each 4xx answer (a 404) as a django.request
warning: none of them is an event, nor a Sentry Log.

And a gunicorn worker aborted while it waited for a request's headers or body: gunicorn
kills a worker that has not checked in for GUNICORN_TIMEOUT seconds, and its handler
raises SystemExit wherever the worker is. A client that opens a connection and sends
nothing, or half a body, holds a sync worker there, and gunicorn logs "Error handling
request" with the SystemExit (sentry-sdk's WSGI integration reports it too when the
application was reading the body). That is anyone's to cause, so it is no event;
gunicorn's log line stays. A view that itself runs past the timeout is a bug and stays
an event: the two differ in where the worker was when it was stopped.
"""

import sys
from collections.abc import Callable
from types import TracebackType

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import UnreadablePostError
from sentry_sdk.types import Event, Hint, Log

from observability.privacy import PrivacyFilter

CLIENT_CAUSED_ERRORS = [BadRequest, SuspiciousOperation, UnreadablePostError]
CLIENT_CAUSED_LOGGERS = ("django.security.", "edge.charset", "edge.json_depth", "edge.session_cookie")
CLIENT_CAUSED_WARNING_LOGGERS = ("gunicorn.error", "uvicorn.error", "django.request")

# Where gunicorn reads a request (its parser, body readers and socket reads) and writes
# the response; a worker stopped in here was waiting on the client's connection.
CLIENT_IO_MODULES = ("gunicorn.http.",)
# gunicorn's handler for its timeout signal, which raises the SystemExit.
ABORT_HANDLER_MODULES = ("gunicorn.workers.",)


def frame_modules(traceback: TracebackType | None) -> list[str]:
    """The module of each frame, outermost first."""
    modules = []
    while traceback is not None:
        modules.append(str(traceback.tb_frame.f_globals.get("__name__", "")))
        traceback = traceback.tb_next
    return modules


def is_standard_library(module: str) -> bool:
    return module.partition(".")[0] in sys.stdlib_module_names


def worker_aborted_waiting_for_client(hint: Hint) -> bool:
    """Whether the event's exception is gunicorn's timeout stopping a worker that was
    waiting for the client (reading the request, or writing to a client that does not read)."""
    exc_info = hint.get("exc_info")
    if not exc_info or not isinstance(exc_info[1], SystemExit):
        return False
    modules = frame_modules(exc_info[2])
    # The innermost frames are the abort handler's; before them the interrupted frame,
    # or the standard library's socket and ssl code it was blocked in.
    while modules and modules[-1].startswith(ABORT_HANDLER_MODULES):
        modules.pop()
    while modules and is_standard_library(modules[-1]):
        modules.pop()
    return bool(modules) and modules[-1].startswith(CLIENT_IO_MODULES)


def is_client_caused_record(logger: str, level: str) -> bool:
    return logger.startswith(CLIENT_CAUSED_LOGGERS) or (
        logger in CLIENT_CAUSED_WARNING_LOGGERS and level == "warning"
    )


def drop_client_caused(privacy_filter: PrivacyFilter) -> Callable[[Event, Hint], Event | None]:
    """before_send: no event for what a client caused, then the privacy filter."""

    def before_send(event: Event, hint: Hint) -> Event | None:
        if is_client_caused_record(event.get("logger") or "", event.get("level") or ""):
            return None
        if worker_aborted_waiting_for_client(hint):
            return None
        return privacy_filter(event, hint)

    return before_send


def drop_client_caused_logs(privacy_filter: PrivacyFilter) -> Callable[[Log, Hint], Log | None]:
    """before_send_log: the same for Sentry Logs, which have a quota of their own."""

    def before_send_log(log: Log, hint: Hint) -> Log | None:
        attributes = log.get("attributes") or {}
        logger = attributes.get("logger.name")
        # Sentry Logs name levels as OpenTelemetry does: "warn", not "warning".
        level = {"warn": "warning"}.get(log.get("severity_text") or "", log.get("severity_text") or "")
        if isinstance(logger, str) and is_client_caused_record(logger, level):
            return None
        return privacy_filter.log(log, hint)

    return before_send_log
