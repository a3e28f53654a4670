"""The pre-production server: configured like production, debug route on for smoke tests."""

from core.sentry import init_sentry

from .deployed import *  # noqa: F403
from .deployed import env

ENVIRONMENT = "staging"

SENTRY_DEBUG_ROUTE_ENABLED = env.bool("SENTRY_DEBUG_ROUTE_ENABLED", default=True)

init_sentry(ENVIRONMENT)
