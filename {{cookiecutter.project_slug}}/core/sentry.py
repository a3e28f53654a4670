"""The one place Sentry is configured: options from the environment, checked, then init.

Each environment's settings module calls init_sentry() once. With SENTRY_DSN empty or
unset the SDK is not initialised at all, so nothing is sent and nothing is patched.
Every other bad value stops start-up with ImproperlyConfigured, because the SDK itself
would silently drop data (a sample rate of 1.5 or "0.5x" disables tracing).
"""

import logging
import math

import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.integrations.logging import LoggingIntegration, ignore_logger
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber
from sentry_sdk.utils import BadDsn, Dsn
from sentry_sdk.utils import logger as sdk_logger

from core.env import env
from core.sentry_frames import FrameDetailIntegration

DEFAULT_TRACES_SAMPLE_RATE = "{{ cookiecutter.sentry_traces_sample_rate | trim }}"
DEFAULT_LOG_EVENT_LEVEL = "{{ cookiecutter.sentry_log_event_level }}"
LOG_EVENT_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Which stack frames of an error carry their local variables (core.sentry_frames).
LOCAL_VARIABLES_CHOICES = ("project", "all", "none")

# Form and JSON fields the SDK's own denylist misses: Django's password forms use
# these names, and an email address is personal data we promise not to send.
EXTRA_SENSITIVE_KEYS = [
    "password1",
    "password2",
    "old_password",
    "new_password",
    "new_password1",
    "new_password2",
    "current_password",
    "password_confirm",
    "password_confirmation",
    "email",
    "email_address",
]


def bad_value(variable, value, why, example):
    return ImproperlyConfigured(f"{variable}={value!r} {why}. Fix it, for example: {variable}={example}")


def read_dsn():
    dsn = env.str("SENTRY_DSN", default="").strip()
    if dsn:
        try:
            Dsn(dsn)
        except BadDsn as error:
            raise bad_value(
                "SENTRY_DSN",
                dsn,
                f"is not a Sentry DSN ({error})",
                "https://<key>@o123.ingest.sentry.io/456 (or leave it empty to turn Sentry off)",
            ) from None
    return dsn


def read_sample_rate():
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


def read_choice(variable, default, choices, example):
    """One of `choices`, matched without regard to case."""
    raw = env.str(variable, default=default).strip()
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    raise bad_value(variable, raw, f"must be one of {', '.join(choices)}", example)


def read_log_event_level():
    level = read_choice("SENTRY_LOG_EVENT_LEVEL", DEFAULT_LOG_EVENT_LEVEL, LOG_EVENT_LEVELS, "WARNING")
    return logging.getLevelName(level)


def read_local_variables():
    return read_choice(
        "SENTRY_LOCAL_VARIABLES",
        "project",
        LOCAL_VARIABLES_CHOICES,
        "project (variables of this project's own frames only)",
    )


def sentry_options(environment):
    """The keyword arguments for sentry_sdk.init(), or None when Sentry is off.

    `environment` is the settings module's name, reported unless SENTRY_ENVIRONMENT says
    otherwise. Every variable is read and checked even with the DSN unset, so a typo is
    caught on the laptop, not on the first deploy that sets a DSN.
    """
    dsn = read_dsn()
    local_variables = read_local_variables()
    options = {
        "dsn": dsn,
        "environment": env.str("SENTRY_ENVIRONMENT", default="") or environment,
        # None lets the SDK find a release itself (SENTRY_RELEASE, then the git commit).
        "release": env.str("SENTRY_RELEASE", default="") or None,
        # A caller's sampling decision (the sentry-trace header) wins, so traces stay whole.
        "traces_sample_rate": read_sample_rate(),
        # Only what this project uses, so start-up does not probe some 30 other libraries.
        # Requests are core.sentry_middleware's, not the SDK's DjangoIntegration (why: there).
        "auto_enabling_integrations": False,
        "integrations": [
            LoggingIntegration(level=logging.INFO, event_level=read_log_event_level()),
            FrameDetailIntegration(project_variables=local_variables == "project"),
        ],
        # Source context and the project frames' variables come from core.sentry_frames,
        # at a fraction of the cost; "all" leaves every frame's variables to the SDK.
        "include_source_context": False,
        "include_local_variables": local_variables == "all",
        # One thread per process sends envelopes one request at a time: over a real
        # network (tens of ms each) a burst of errors outruns it, and the SDK's default
        # queue of 100 drops the rest. 1,000 rides out a burst for a few MB at most.
        "transport_queue_size": 1000,
        # Form and JSON bodies up to about 10 kB are attached to error events.
        "max_request_body_size": "medium",
        # Personal data stays off (the SDK's default): no cookies, user IP or user fields.
        "event_scrubber": EventScrubber(denylist=DEFAULT_DENYLIST + EXTRA_SENSITIVE_KEYS, recursive=True),
    }
    return options if dsn else None


# Loggers whose records are neither breadcrumbs nor events. The access logs (gunicorn's,
# runserver's django.server) write a line per request after the response, outside any
# request: noise on the worker's scope. django.request logs every 404 as a warning and
# every 500 as an error whose exception core.sentry_middleware has already captured.
QUIET_LOGGERS = ("gunicorn.access", "django.server", "django.request")


def init_sentry(environment, **overrides):
    """Start Sentry when SENTRY_DSN is set; `overrides` lets tests install a transport."""
    options = sentry_options(environment)
    if options is not None:
        sentry_sdk.init(**options, **overrides)
        for name in QUIET_LOGGERS:
            ignore_logger(name)
        # The SDK writes debug lines on every request and drops them in a filter unless
        # its debug option (SENTRY_DEBUG) is on; a level stops them before they are built.
        debug = sentry_sdk.get_client().options["debug"]
        sdk_logger.setLevel(logging.DEBUG if debug else logging.CRITICAL + 1)
