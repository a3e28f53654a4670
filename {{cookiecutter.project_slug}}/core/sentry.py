"""The one place Sentry is configured: options from the environment, checked, then init.

Each environment's settings module calls init_sentry() once. With SENTRY_DSN empty or
unset the SDK is not initialised at all, so nothing is sent and nothing is patched.
Every other bad value stops start-up with ImproperlyConfigured, because the SDK itself
would silently drop data (a sample rate of 1.5 or "0.5x" disables tracing).

Requests, errors and SQL spans come from sentry-sdk's own DjangoIntegration, log
records from its LoggingIntegration,{% if cookiecutter.background_jobs == "celery" %} tasks and beat schedules from its CeleryIntegration,{% endif %}
and any library the SDK knows (Redis, httpx...) as soon as the project installs it.
What is sent is cleaned by core.privacy; docs/sentry.md says why each option below
has the value it has.
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
from sentry_sdk.integrations.logging import LoggingIntegration, ignore_logger
from sentry_sdk.utils import BadDsn

from core.client_faults import worker_aborted_waiting_for_client
from core.env import bad_value, env, read_bool
from core.privacy import Event, Hint, PrivacyFilter, project_secrets, request_repr

DEFAULT_TRACES_SAMPLE_RATE = "{{ cookiecutter.sentry_traces_sample_rate | trim }}"
DEFAULT_LOG_EVENT_LEVEL = "{{ cookiecutter.sentry_log_event_level }}"
LOG_EVENT_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Loggers whose records are neither breadcrumbs nor events: the access logs (gunicorn's,
# runserver's django.server) write a line per request after the response, outside any
# request, and runserver's also reports malformed requests from any client.
QUIET_LOGGERS = ("gunicorn.access", "django.server", "uvicorn.access")

# What any anonymous client can cause is never an event, so nobody on the internet can
# spend the project's quota. Django answers these exceptions with a 400 (a body it
# cannot decode, a bad Host header, an oversized or many-field body, a client that hung
# up mid-body), yet they can reach Sentry as exceptions; it logs them, and every CSRF
# failure, to django.security.*, whose records stay breadcrumbs. The servers log
# malformed requests as warnings (their errors still are events).
CLIENT_CAUSED_ERRORS = [BadRequest, SuspiciousOperation, UnreadablePostError]
CLIENT_CAUSED_LOGGERS = ("django.security.",)
CLIENT_CAUSED_WARNING_LOGGERS = ("gunicorn.error", "uvicorn.error")


def read_sample_rate() -> float:
    raw = env.str("SENTRY_TRACES_SAMPLE_RATE", default=DEFAULT_TRACES_SAMPLE_RATE)
    try:
        rate = float(raw)
    except ValueError:
        rate = math.nan
    if not math.isfinite(rate) or not 0 <= rate <= 1:
        raise bad_value(
            "SENTRY_TRACES_SAMPLE_RATE", raw, "must be a number from 0 to 1", "0.1 (traces 10% of requests)"
        )
    return rate


def read_log_event_level() -> int:
    raw = env.str("SENTRY_LOG_EVENT_LEVEL", default=DEFAULT_LOG_EVENT_LEVEL).strip()
    if raw.upper() not in LOG_EVENT_LEVELS:
        raise bad_value(
            "SENTRY_LOG_EVENT_LEVEL", raw, f"must be one of {', '.join(LOG_EVENT_LEVELS)}", "WARNING"
        )
    level: int = logging.getLevelName(raw.upper())
    return level


# The headers through which a caller continues its trace here (the SDK reads no others).
# core/wsgi.py and core/asgi.py remove them before Django and the SDK see a request,
# unless SENTRY_TRUST_INCOMING_TRACES says every caller is the project's own: with them,
# anyone on the internet could choose which of their requests are traced (a "sampled"
# flag, or a baggage sample_rand under the rate) and spend the transaction quota.
TRACE_HEADERS = ("sentry-trace", "baggage")


def drop_client_caused(privacy_filter: PrivacyFilter) -> Callable[[Event, Hint], Event | None]:
    """before_send: no event for what a client caused, then the privacy filter."""

    def before_send(event: Event, hint: Hint) -> Event | None:
        logger = event.get("logger") or ""
        if logger.startswith(CLIENT_CAUSED_LOGGERS) or (
            logger in CLIENT_CAUSED_WARNING_LOGGERS and event.get("level") == "warning"
        ):
            return None
        if worker_aborted_waiting_for_client(hint):
            return None
        return privacy_filter(event, hint)

    return before_send


def sentry_options(environment: str) -> dict[str, Any] | None:
    """The keyword arguments for sentry_sdk.init(), or None when Sentry is off.

    `environment` is the settings module's name, reported unless SENTRY_ENVIRONMENT says
    otherwise. Every variable is read and checked even with the DSN unset, so a typo is
    caught on the laptop, not on the first deploy that sets a DSN.
    """
    dsn = env.str("SENTRY_DSN", default="").strip()
    personal_data = read_bool("SENTRY_SEND_PERSONAL_DATA")
    traces_sample_rate = read_sample_rate()
    log_event_level = read_log_event_level()
    if not dsn:
        return None  # checked, and nothing more to build: Sentry stays off
    privacy_filter = PrivacyFilter(project_secrets(os.environ), personal_data=personal_data)
    return {
        "dsn": dsn,
        "environment": env.str("SENTRY_ENVIRONMENT", default="") or environment,
        # None lets the SDK find a release itself (SENTRY_RELEASE, then the git commit).
        "release": env.str("SENTRY_RELEASE", default="") or None,
        # A trusted caller's sampling decision (its sentry-trace header) wins, so that a
        # distributed trace is kept or dropped whole; see TRACE_HEADERS.
        "traces_sample_rate": traces_sample_rate,
        "integrations": [
            # Without a span per signal receiver on every traced request: views and SQL
            # say where the time goes ("What Sentry costs" in docs/sentry.md).
            DjangoIntegration(signals_spans=False),
            LoggingIntegration(level=logging.INFO, event_level=log_event_level),
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
        # data-collected/): no user, no cookies, request headers and query strings with
        # the SDK's credential names filtered; core.privacy does the rest, personal data
        # and client addresses included.
        "data_collection": {
            "user_info": personal_data,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "denylist"}},
            "url_query_params": {"mode": "denylist"},
            "database_query_data": False,
            # No background job's arguments on its events and transactions: an email
            # body or a link holds what no field name gives away. A failed task's own
            # frames still show its variables, cleaned by core.privacy.
            "queues": False,
            "gen_ai": {"inputs": False, "outputs": False},
        },
        "ignore_errors": CLIENT_CAUSED_ERRORS,
        "before_send": drop_client_caused(privacy_filter),
        "before_send_transaction": privacy_filter,
        "custom_repr": request_repr,
        # One thread per process sends envelopes one request at a time: over a real
        # network (tens of ms each) a burst of errors outruns it, and the SDK's default
        # queue of 100 drops the rest. 1,000 rides out a burst for a few MB at most.
        "transport_queue_size": 1000,
    }


def init_sentry(environment: str, **overrides: Any) -> None:
    """Start Sentry when SENTRY_DSN is set; `overrides` lets tests install a transport."""
    options = sentry_options(environment)
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
        ignore_logger(name)
