"""The one place Sentry is configured: options from the environment, checked, then init.

Each environment's settings module calls init_sentry() once. With SENTRY_DSN empty or
unset the SDK is not initialised at all, so nothing is sent and nothing is patched.
Every other bad value stops start-up with ImproperlyConfigured, because the SDK itself
would silently drop data (a sample rate of 1.5 or "0.5x" disables tracing).

Requests, errors and SQL spans come from sentry-sdk's own DjangoIntegration, log
records (breadcrumbs, events and, if asked for, Sentry Logs) from its LoggingIntegration,
{%- if cookiecutter.background_jobs == "celery" %}
tasks and beat schedules from its CeleryIntegration,
{%- endif %}
and any library the SDK knows (Redis, httpx...) as soon as the project installs it.
What is sent is cleaned by core.privacy, after core.allowlists chose what may be
collected; docs/sentry.md says why each option below has the value it has. The same
options work on sentry-sdk 2.x and 3.x; the little that differs is in core.sentry_compat.
"""

import logging
import math
import os
from collections.abc import Callable
from typing import Any

import sentry_sdk
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import UnreadablePostError
from sentry_sdk.integrations.argv import ArgvIntegration
{%- if cookiecutter.background_jobs == "celery" %}
from sentry_sdk.integrations.celery import CeleryIntegration
{%- endif %}
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.utils import BadDsn

from core.allowlists import allowlists_from_environment
from core.client_faults import worker_aborted_waiting_for_client
from core.env import BASE_DIR, bad_value, env, read_bool
from core.health import HEALTH_PATH
from core.privacy import MAX_TEXT, Event, Hint, PrivacyFilter, project_secrets, request_repr
from core.sentry_compat import logging_integration, logs_options, quiet_logger

DEFAULT_TRACES_SAMPLE_RATE = "{{ cookiecutter.sentry_traces_sample_rate | trim }}"
DEFAULT_PROFILE_SESSION_SAMPLE_RATE = "{{ cookiecutter.sentry_profile_session_sample_rate | trim }}"
DEFAULT_LOG_EVENT_LEVEL = "{{ cookiecutter.sentry_log_event_level }}"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Loggers whose records are neither breadcrumbs nor events: the access logs (gunicorn's,
# runserver's django.server) write a line per request after the response, outside any
# request, and runserver's also reports malformed requests from any client.
QUIET_LOGGERS = ("gunicorn.access", "django.server", "uvicorn.access")

# What any anonymous client can cause is never an event, so nobody on the internet can
# spend the project's quota. Django answers these exceptions with a 400 (a body it
# cannot decode, a bad Host header, an oversized or many-field body, a client that hung
# up mid-body), yet they can reach Sentry as exceptions; it logs them, and every CSRF
# failure, to django.security.*, whose records stay breadcrumbs; core.request_charset and
# core.session_cookie log the requests they refuse. The servers log malformed requests
# as warnings (their errors still are events), and Django each 4xx answer (a 404) as a
# django.request warning: none of them is an event, nor a Sentry Log.
CLIENT_CAUSED_ERRORS = [BadRequest, SuspiciousOperation, UnreadablePostError]
CLIENT_CAUSED_LOGGERS = ("django.security.", "core.request_charset", "core.session_cookie")
CLIENT_CAUSED_WARNING_LOGGERS = ("gunicorn.error", "uvicorn.error", "django.request")


def read_sample_rate(variable: str, default: str, example: str) -> float:
    raw = env.str(variable, default=default)
    try:
        rate = float(raw)
    except ValueError:
        rate = math.nan
    if not math.isfinite(rate) or not 0 <= rate <= 1:
        raise bad_value(variable, raw, "must be a number from 0 to 1", example)
    return rate


def read_log_level(variable: str, default: str) -> int | None:
    """A level name, or None for an empty or unset variable without a default."""
    raw = env.str(variable, default=default).strip()
    if not raw:
        return None
    if raw.upper() not in LOG_LEVELS:
        raise bad_value(variable, raw, f"must be one of {', '.join(LOG_LEVELS)}", "WARNING")
    level: int = logging.getLevelName(raw.upper())
    return level


# The headers through which a caller continues its trace here (the SDK reads no others).
# core/wsgi.py and core/asgi.py remove them before Django and the SDK see a request,
# unless SENTRY_TRUST_INCOMING_TRACES says every caller is the project's own: with them,
# anyone on the internet could choose which of their requests are traced (a "sampled"
# flag, or a baggage sample_rand under the rate) and spend the transaction quota.
TRACE_HEADERS = ("sentry-trace", "baggage")


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


def drop_client_caused_logs(privacy_filter: PrivacyFilter) -> Callable[[Event, Hint], Event | None]:
    """before_send_log: the same for Sentry Logs, which have a quota of their own."""

    def before_send_log(log: Event, hint: Hint) -> Event | None:
        attributes = log.get("attributes") or {}
        logger = attributes.get("logger.name")
        # Sentry Logs name levels as OpenTelemetry does: "warn", not "warning".
        level = {"warn": "warning"}.get(log.get("severity_text") or "", log.get("severity_text") or "")
        if isinstance(logger, str) and is_client_caused_record(logger, level):
            return None
        return privacy_filter.log(log, hint)

    return before_send_log


# Requests that say nothing about the project's code: a static file (served by
# whitenoise inside Django), a HEAD or OPTIONS (a monitor, a CORS preflight), the health
# probe (answered before Django by core.wsgi and core.asgi, but through Django by the
# test client and runserver).
UNTRACED_METHODS = frozenset({"HEAD", "OPTIONS"})


def traces_sampler(rate: float, static_url: str) -> Callable[[dict[str, Any]], float]:
    """traces_sampler: which traces start here. Requests{% if cookiecutter.background_jobs == "celery" %} and tasks{% endif %} at `rate` (or as a
    trusted caller decided: untrusted callers' trace headers never reach the SDK, see
    TRACE_HEADERS); never the requests above, nor a library's span outside any request
    (a query at start-up, a management command's), which would be a trace alone.
    A span the project starts itself outside a request is traced at `rate` too."""
    static_prefix = "/" + static_url.strip("/") + "/"

    def is_untraced_request(method: str | None, path: str | None) -> bool:
        path = path or ""
        return method in UNTRACED_METHODS or path == HEALTH_PATH or path.startswith(static_prefix)

    def sample(context: dict[str, Any]) -> float:
        if "wsgi_environ" in context:
            environ = context["wsgi_environ"]
            if is_untraced_request(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")):
                return 0.0
        elif "asgi_scope" in context:
            scope = context["asgi_scope"]
            if is_untraced_request(scope.get("method"), scope.get("path")):
                return 0.0
{%- if cookiecutter.background_jobs == "celery" %}
        elif "celery_job" not in context:  # a task's root span is traced like a request's
{%- else %}
        else:
{%- endif %}
            attributes = (context.get("transaction_context") or {}).get("data") or {}
            if str(attributes.get("sentry.origin") or "").startswith("auto."):
                return 0.0
        parent_sampled = context.get("parent_sampled")
        return float(parent_sampled) if parent_sampled is not None else rate

    return sample


def sentry_options(environment: str, static_url: str = "static/") -> dict[str, Any] | None:
    """The keyword arguments for sentry_sdk.init(), or None when Sentry is off.

    `environment` is the settings module's name, reported unless SENTRY_ENVIRONMENT says
    otherwise; `static_url` is STATIC_URL, whose files are never traced. Every variable
    is read and checked even with the DSN unset, so a typo is caught on the laptop, not
    on the first deploy that sets a DSN.
    """
    dsn = env.str("SENTRY_DSN", default="").strip()
    personal_data = read_bool("SENTRY_SEND_PERSONAL_DATA")
    traces_sample_rate = read_sample_rate(
        "SENTRY_TRACES_SAMPLE_RATE", DEFAULT_TRACES_SAMPLE_RATE, "0.1 (traces 10% of requests)"
    )
    profile_session_sample_rate = read_sample_rate(
        "SENTRY_PROFILE_SESSION_SAMPLE_RATE",
        DEFAULT_PROFILE_SESSION_SAMPLE_RATE,
        "0.1 (profiles the traced requests of 10% of processes)",
    )
    log_event_level = read_log_event_level()
    logs_level = read_log_level("SENTRY_LOGS_LEVEL", "")
    allowlists = allowlists_from_environment()
    if not dsn:
        return None  # checked, and nothing more to build: Sentry stays off
    privacy_filter = PrivacyFilter(
        project_secrets(os.environ, allowlists.not_secret_variables), allowlists, personal_data=personal_data
    )
    return {
        "dsn": dsn,
        "environment": env.str("SENTRY_ENVIRONMENT", default="") or environment,
        # None lets the SDK find a release itself (SENTRY_RELEASE, then the git commit).
        "release": env.str("SENTRY_RELEASE", default="") or None,
        # Spans are sent as they end, each through before_send_span: the only way
        # sentry-sdk 3 traces, and the same on 2.x, so one privacy rule covers both.
        "trace_lifecycle": "stream",
        "traces_sample_rate": traces_sample_rate,
        "traces_sampler": traces_sampler(traces_sample_rate, static_url),
        # Off unless asked for: the profiler samples every thread's stack while a traced
        # request or task runs, in the processes this rate picks.
        **(
            {"profile_session_sample_rate": profile_session_sample_rate, "profile_lifecycle": "trace"}
            if profile_session_sample_rate
            else {}
        ),
        **logs_options(logs_level),
        "integrations": [
            # Without a span per signal receiver on every traced request: views and SQL
            # say where the time goes ("What Sentry costs" in docs/sentry.md).
            DjangoIntegration(signals_spans=False),
            logging_integration(event_level=log_event_level, logs_level=logs_level),
{%- if cookiecutter.background_jobs == "celery" %}
            # Each beat schedule entry becomes a Crons monitor, so a nightly job that
            # fails or never runs is an alert, not silence. A task continues the trace
            # of the request that queued it (propagate_traces, on by default).
            CeleryIntegration(monitor_beat_tasks=True),
{%- endif %}
        ],
        # A server's command line says nothing about a bug, and a command's may hold a
        # password; every other default integration stays.
        "disabled_integrations": [ArgvIntegration()],
        # What the SDK collects (https://docs.sentry.io/platforms/python/data-management/
        # data-collected/): no user, no cookies; headers and query parameters by
        # core.allowlists (the SDK matches its terms as parts of a name, core.privacy
        # then as whole names); request bodies, whose values core.privacy keeps only for
        # allowed field names; no outgoing request's or response's body.
        "data_collection": {
            "user_info": personal_data,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(allowlists.request_headers)}},
            "url_query_params": {"mode": "allowlist", "terms": sorted(allowlists.query_parameters)},
            "http_bodies": ["incoming_request"],
            "database_query_data": False,
            # No background job's arguments on its events and transactions: an email
            # body or a link holds what no field name gives away. A failed task's own
            # frames still show its variables, cleaned by core.privacy.
            "queues": False,
            "gen_ai": {"inputs": False, "outputs": False},
            "mcp": {"inputs": False, "outputs": False},
            "graphql": {"document": False, "variables": False},
        },
        # Which frames are the project's own (in_app), and so keep their variables:
        # the project's folder, wherever the process was started from.
        "project_root": str(BASE_DIR),
        # A log event's stack is where it was logged, not an error's: without it, log
        # events group by message (sentry-sdk 3 would attach one by default).
        "attach_stacktrace": False,
        # The SDK cuts longer strings as it serialises, far enough past where core.privacy
        # cuts them that no secret across its cut arrives half.
        "max_value_length": MAX_TEXT + privacy_filter.longest_secret,
        "ignore_errors": CLIENT_CAUSED_ERRORS,
        "before_send": drop_client_caused(privacy_filter),
        "before_send_span": privacy_filter.span,
        "before_send_log": drop_client_caused_logs(privacy_filter),
        "custom_repr": request_repr,
        # One thread per process sends envelopes one request at a time: over a real
        # network (tens of ms each) a burst of errors outruns it, and the SDK's default
        # queue of 100 drops the rest. 1,000 rides out a burst for a few MB at most.
        "transport_queue_size": 1000,
    }


def read_log_event_level() -> int:
    level = read_log_level("SENTRY_LOG_EVENT_LEVEL", DEFAULT_LOG_EVENT_LEVEL)
    if level is None:
        raise bad_value("SENTRY_LOG_EVENT_LEVEL", "", f"must be one of {', '.join(LOG_LEVELS)}", "WARNING")
    return level


def init_sentry(environment: str, static_url: str = "static/", **overrides: Any) -> None:
    """Start Sentry when SENTRY_DSN is set; `overrides` lets tests install a transport."""
    options = sentry_options(environment, static_url)
    if options is None:
        return
    try:
        sentry_sdk.init(**{**options, **overrides})
    except BadDsn as error:
        raise bad_value(
            "SENTRY_DSN",
            options["dsn"],
            f"is not a Sentry DSN ({error})",
            "https://<key>@o123.ingest.sentry.io/456 (or leave it empty to turn Sentry off)",
        ) from None
    for name in QUIET_LOGGERS:
        quiet_logger(name)
