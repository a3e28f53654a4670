"""Which errors a client caused by what it did not send: a gunicorn worker aborted while
it waited for a request's headers or body.

gunicorn kills a worker that has not checked in for GUNICORN_TIMEOUT seconds: its
handler raises SystemExit wherever the worker is. A client that opens a connection and
sends nothing, or half a body, holds a sync worker there, and each time gunicorn logs
"Error handling request" with the SystemExit (and sentry-sdk's WSGI integration reports
it too when the application was reading the body). That is anyone's to cause, so it is
no event; gunicorn's log line stays. A view that itself runs past the timeout is a bug
and stays an event: the two differ in where the worker was when it was stopped, inside
gunicorn's reading of the request or anywhere else.
"""

import sys
from types import TracebackType

from core.privacy import Hint

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
