"""SENTRY_LOCAL_VARIABLES=project: local variables only on this project's own frames.

An error in a view passes through a dozen Django and library frames, each holding the
request, the handler and the middleware chain; serialising all of their variables was
the largest share of what reporting one error cost (docs/sentry.md, "Performance").
The variables that explain a bug are nearly always in the project's own frames, so by
default only those get them; every frame keeps its file, line and source context.

The SDK collects variables for every frame or for none (include_local_variables), so
this runs with it off and adds the project frames' variables from the exception's own
traceback, serialised by the SDK's serializer as it would have done.
"""

import os
import sysconfig

import sentry_sdk
from sentry_sdk.integrations import Integration
from sentry_sdk.scope import add_global_event_processor
from sentry_sdk.serializer import serialize
from sentry_sdk.utils import walk_exception_chain

from core.env import BASE_DIR

PROJECT_DIR = f"{BASE_DIR}/"
# A virtual environment may live inside the project folder; its packages are not ours.
LIBRARY_DIRS = tuple({f"{sysconfig.get_path(name)}/" for name in ("stdlib", "purelib", "platlib")})


def is_project_file(path):
    return path.startswith(PROJECT_DIR) and not path.startswith(LIBRARY_DIRS)


class ProjectFrameVariablesIntegration(Integration):
    identifier = "project_frame_variables"

    @staticmethod
    def setup_once():
        add_global_event_processor(add_project_frame_variables)


def add_project_frame_variables(event, hint):
    exc_info = (hint or {}).get("exc_info")
    if exc_info is None or sentry_sdk.get_client().get_integration(ProjectFrameVariablesIntegration) is None:
        return event
    project_locals = {}
    for _, _, traceback in walk_exception_chain(exc_info):
        while traceback is not None:
            code = traceback.tb_frame.f_code
            path = os.path.abspath(code.co_filename)  # as the SDK writes abs_path
            if is_project_file(path):
                project_locals[path, traceback.tb_lineno, code.co_name] = traceback.tb_frame.f_locals
            traceback = traceback.tb_next
    for value in (event.get("exception") or {}).get("values", []):
        for frame in (value.get("stacktrace") or {}).get("frames", []):
            key = (frame.get("abs_path"), frame.get("lineno"), frame.get("function"))
            if key in project_locals:
                frame["vars"] = serialize(dict(project_locals[key]), is_vars=True)
    return event
