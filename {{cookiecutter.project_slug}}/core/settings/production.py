"""The live service."""

from core.env import read_bool
from observability.sentry import init_sentry

from .deployed import *  # noqa: F403

ENVIRONMENT = "production"

# Off unless asked for: anyone on the internet could call it and use up the error
# quota of the Sentry plan (docs/sentry.md).
SENTRY_DEBUG_ROUTE_ENABLED = read_bool("SENTRY_DEBUG_ROUTE_ENABLED", default=False)

# Off unless asked for: the schemas{% if cookiecutter.api_framework != "none" %}, the API's and the accounts API's,{% endif %} map every route
# and parameter for whoever probes the service ({% if cookiecutter.api_framework != "none" %}docs/api.md{% else %}docs/auth.md{% endif %}).
API_DOCS_ENABLED = read_bool("API_DOCS_ENABLED")
HEADLESS_SERVE_SPECIFICATION = API_DOCS_ENABLED

init_sentry(ENVIRONMENT, STATIC_URL)  # noqa: F405
