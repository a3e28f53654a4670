"""SENTRY_LOCAL_VARIABLES=project: local variables only on this project's own frames.

An error in a view passes through a dozen Django and library frames, each holding the
request, the handler and the middleware chain; serialising all of their variables was
the largest share of what reporting one error cost (docs/sentry.md, "Performance").
The variables that explain a bug are nearly always in the project's own frames, so by
default only those keep them; every frame keeps its file, line and source context.
This runs as an SDK integration, before the SDK serialises the event.
"""

import sysconfig

import sentry_sdk
from sentry_sdk.integrations import Integration
from sentry_sdk.scope import add_global_event_processor

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
        add_global_event_processor(drop_library_frame_variables)


def drop_library_frame_variables(event, hint):
    if sentry_sdk.get_client().get_integration(ProjectFrameVariablesIntegration) is None:
        return event  # another setting, or a test that started Sentry without it
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            if not is_project_file(frame.get("abs_path") or ""):
                frame.pop("vars", None)
    return event
