"""The pre-production server: configured like production, debug route on for smoke tests."""

from core.env import read_bool
from observability.sentry import init_sentry

from .deployed import *  # noqa: F403

ENVIRONMENT = "staging"

SENTRY_DEBUG_ROUTE_ENABLED = read_bool("SENTRY_DEBUG_ROUTE_ENABLED", default=True)

init_sentry(ENVIRONMENT, STATIC_URL)  # noqa: F405
