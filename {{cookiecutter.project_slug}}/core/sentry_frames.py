"""What each stack frame of an error carries, for a fraction of what the SDK spends on it.

`make bench` found two costs in every captured error (docs/sentry.md, "What Sentry
costs"), both from the SDK's per-frame work:

- Source context: the SDK reads and splits each frame's whole source file again for
  every error. Here the lines come from the standard library's linecache, which reads
  a file once, through the SDK's own function; every frame keeps its five lines.
- Local variables: an error in a view passes through a dozen Django and library frames,
  each holding the request, the handler and the middleware chain, and serialising them
  was the largest share of the event. The variables that explain a bug are nearly
  always in the project's own frames, so with SENTRY_LOCAL_VARIABLES=project (the
  default) only those get them, taken from the exception's traceback and serialised by
  the SDK's serializer as it would have done.

The SDK's own collection of both is turned off in core.sentry; this integration's event
processor adds them back before the SDK serialises the event. It also names a QuerySet
among the variables instead of running its query, as the SDK's Django support did.
"""

import os
import sysconfig

import sentry_sdk
from django.db.models.query import QuerySet
from sentry_sdk.integrations import Integration
from sentry_sdk.scope import add_global_event_processor
from sentry_sdk.serializer import add_global_repr_processor, serialize
from sentry_sdk.utils import get_lines_from_file, walk_exception_chain

from core.env import BASE_DIR

PROJECT_DIR = f"{BASE_DIR}/"
# A virtual environment may live inside the project folder; its packages are not ours.
LIBRARY_DIRS = tuple({f"{sysconfig.get_path(name)}/" for name in ("stdlib", "purelib", "platlib")})


def is_project_file(path):
    return path.startswith(PROJECT_DIR) and not path.startswith(LIBRARY_DIRS)


class FrameDetailIntegration(Integration):
    identifier = "frame_detail"

    def __init__(self, project_variables):
        self.project_variables = project_variables

    @staticmethod
    def setup_once():
        add_global_event_processor(add_frame_detail)
        add_global_repr_processor(unevaluated_queryset_repr)


def unevaluated_queryset_repr(value, hint):
    """A QuerySet among a frame's local variables is named, not run: repr() would send
    its query to the database while the error is being reported."""
    if isinstance(value, QuerySet) and value._result_cache is None:
        return f"<{type(value).__name__} of {value.model.__name__}, not evaluated>"
    return NotImplemented


def add_frame_detail(event, hint):
    client = sentry_sdk.get_client()
    integration = client.get_integration(FrameDetailIntegration)
    if integration is None:
        return event  # Sentry started without it, as some tests do
    exc_info = (hint or {}).get("exc_info")
    project_locals = project_frame_locals(exc_info) if integration.project_variables and exc_info else {}
    for frame in stack_frames(event):
        path, lineno = frame.get("abs_path"), frame.get("lineno")
        if path and lineno and "context_line" not in frame:
            pre, line, post = get_lines_from_file(path, lineno - 1, client.options["max_value_length"])
            frame.update(pre_context=pre, context_line=line, post_context=post)
        variables = project_locals.get((path, lineno, frame.get("function")))
        if variables is not None:
            frame["vars"] = serialize(dict(variables), is_vars=True)
    return event


def stack_frames(event):
    for section in ("exception", "threads"):
        for value in (event.get(section) or {}).get("values", []):
            yield from (value.get("stacktrace") or {}).get("frames", [])


def project_frame_locals(exc_info):
    """Each project frame's variables in the exception and its causes, keyed the way the
    SDK describes the frame (absolute path, line, function)."""
    found = {}
    for _, _, traceback in walk_exception_chain(exc_info):
        while traceback is not None:
            code = traceback.tb_frame.f_code
            path = os.path.abspath(code.co_filename)
            if is_project_file(path):
                found[path, traceback.tb_lineno, code.co_name] = traceback.tb_frame.f_locals
            traceback = traceback.tb_next
    return found
