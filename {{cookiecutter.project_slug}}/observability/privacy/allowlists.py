"""What is known to be safe to send to Sentry: the privacy rules' first layer.

Sentry gets a request header's value, a query parameter's value or a request body
field's value only when its name is listed here (or added from the environment, as
docs/sentry.md shows); every other one keeps its name and loses its value. What a list
lets through still passes the name and value rules, so an allowed name that
marks a credential, or a planted secret, is still taken out.

Names are compared whole and case-insensitively: `page` allows `?page=2`, never
`?homepage_token=`.
"""

import re
from dataclasses import dataclass

from core.env import bad_value, env, read_bool

# Request headers that describe the client's software and the request's shape, never a
# person or a credential: what a developer needs to reproduce a request. Left out on
# purpose: Authorization, Cookie and every X-*-Token; the client-address headers
# (Forwarded, X-Forwarded-For, X-Real-IP, CF-Connecting-IP...), personal data; headers a
# load balancer or CDN adds about the user (X-Amzn-Oidc-*, CloudFront-Viewer-*,
# Remote-User); and anything custom, whose meaning only the project knows.
REQUEST_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "cache-control",
        "connection",
        "content-length",
        "content-type",
        "host",
        "origin",
        "pragma",
        # A URL: its query keeps only the values QUERY_PARAMETERS allows.
        "referer",
        "sec-fetch-dest",
        "sec-fetch-mode",
        "sec-fetch-site",
        "user-agent",
        "x-forwarded-host",
        "x-forwarded-proto",
        "x-request-id",
    }
)

# Query parameters that page, order and shape a response: what a list view is asked.
# Left out: search terms (q, search), which people fill with names and addresses; every
# id, code, ticket, state and redirect target, which OAuth, CAS and SAML fill with tokens.
QUERY_PARAMETERS = frozenset(
    {"page", "page_size", "per_page", "limit", "offset", "ordering", "order", "sort", "format", "fields"}
)

# Request body fields: none by default. A body is what a person typed (names,
# addresses, messages, card numbers) or what a client was given (tokens); only the
# project knows which of its fields are neither.
BODY_FIELDS: frozenset[str] = frozenset()

# Environment variables whose values are settings, not secrets, although some look
# random (a release's commit hash, a container's host name): every other value that
# looks like a credential is taken out of what is sent, whatever its variable is called.
NOT_SECRET_VARIABLES = frozenset(
    {
        # The project's own settings, the names these lists are extended with among them.
        "ALLOWED_HOSTS",
        "DJANGO_SETTINGS_MODULE",
        "GUNICORN_BIND",
        "SENTRY_ALLOWED_BODY_FIELDS",
        "SENTRY_ALLOWED_HEADERS",
        "SENTRY_ALLOWED_QUERY_PARAMETERS",
        "SENTRY_ENVIRONMENT",
        "SENTRY_NOT_SECRET_VARIABLES",
        "SENTRY_RELEASE",
        # Where sentry-sdk finds a release without SENTRY_RELEASE: a commit, a build.
        "CIRCLE_SHA1",
        "CODEBUILD_RESOLVED_SOURCE_VERSION",
        "GAE_DEPLOYMENT_ID",
        "GITHUB_SHA",
        "HEROKU_SLUG_COMMIT",
        "K_REVISION",
        "SOURCE_VERSION",
        # What the system, the shell and the container set.
        "HOME",
        "HOSTNAME",
        "LANG",
        "LOGNAME",
        "OLDPWD",
        "PATH",
        "PWD",
        "SHELL",
        "TERM",
        "TZ",
        "USER",
        "VIRTUAL_ENV",
    }
)

# What a name in an extension may hold: a header, parameter, field or variable name.
NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")


@dataclass(frozen=True)
class Allowlists:
    request_headers: frozenset[str]
    query_parameters: frozenset[str]
    body_fields: frozenset[str]
    not_secret_variables: frozenset[str]
    # Whether frames outside the project's own code keep their local variables.
    library_frame_variables: bool


def read_names(variable: str, defaults: frozenset[str], example: str, lower: bool = True) -> frozenset[str]:
    """The defaults plus the comma-separated names in `variable`."""
    names = [name.strip() for name in env.list(variable, default=[]) if name.strip()]
    for name in names:
        if not NAME.fullmatch(name):
            raise bad_value(variable, name, "must be a comma-separated list of names", example)
    return defaults | {name.lower() if lower else name for name in names}


def allowlists_from_environment() -> Allowlists:
    return Allowlists(
        request_headers=read_names("SENTRY_ALLOWED_HEADERS", REQUEST_HEADERS, "X-Client-Version,X-Tenant"),
        query_parameters=read_names("SENTRY_ALLOWED_QUERY_PARAMETERS", QUERY_PARAMETERS, "status,view"),
        body_fields=read_names("SENTRY_ALLOWED_BODY_FIELDS", BODY_FIELDS, "quantity,currency"),
        not_secret_variables=read_names(
            "SENTRY_NOT_SECRET_VARIABLES", NOT_SECRET_VARIABLES, "AWS_REGION,BUILD_ID", lower=False
        ),
        library_frame_variables=read_bool("SENTRY_LIBRARY_FRAME_VARIABLES"),
    )
