"""The live service."""

from core.env import env
from core.sentry import init_sentry

from .deployed import *  # noqa: F403

ENVIRONMENT = "production"

# Off unless asked for: anyone on the internet could call it and use up the error
# quota of the Sentry plan (docs/sentry.md).
SENTRY_DEBUG_ROUTE_ENABLED = env.bool("SENTRY_DEBUG_ROUTE_ENABLED", default=False)

init_sentry(ENVIRONMENT, STATIC_URL)  # noqa: F405
