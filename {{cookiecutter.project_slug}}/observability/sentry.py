"""Sentry's one `sentry_sdk.init(...)`: each option is named as on Sentry's options page
(https://docs.sentry.io/platforms/python/configuration/options/), and each that is not
the SDK's default says why in a line.

Each environment's settings module calls init_sentry() once. With SENTRY_DSN empty or
unset the SDK is not initialised at all, so nothing is sent and nothing is patched.
Requests, errors and SQL spans come from the SDK's DjangoIntegration, log records from
its LoggingIntegration,{% if cookiecutter.background_jobs == "celery" %} tasks and beat schedules from its CeleryIntegration,{% endif %} and any library the
SDK knows (Redis, httpx...) as soon as the project installs it. The sibling modules
build what is passed by name: config (the variables), sampler, client_faults, privacy.
"""

import sentry_sdk
from sentry_sdk.integrations.argv import ArgvIntegration
{%- if cookiecutter.background_jobs == "celery" %}
from sentry_sdk.integrations.celery import CeleryIntegration
{%- endif %}
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport
from sentry_sdk.utils import BadDsn

from core.env import BASE_DIR, bad_value
from observability import compat
from observability.client_faults import CLIENT_CAUSED_ERRORS, drop_client_caused, drop_client_caused_logs
from observability.config import read_config
from observability.privacy import PrivacyFilter, custom_repr
from observability.sampler import traces_sampler

# Loggers whose records are neither breadcrumbs nor events: the access logs (gunicorn's,
# runserver's django.server) write a line per request after the response, outside any
# request, and runserver's also reports malformed requests from any client.
QUIET_LOGGERS = ("gunicorn.access", "django.server", "uvicorn.access")


def init_sentry(environment: str, static_url: str = "static/", transport: Transport | None = None) -> None:
    """Start Sentry when SENTRY_DSN is set. `environment` is the settings module's name,
    `static_url` its STATIC_URL; `transport` (the SDK's own by default) is how the tests
    and `manage.py sentry_check` see what is sent."""
    config = read_config(environment)
    if not config.dsn:
        return  # every variable checked, and nothing more to do: Sentry stays off
    privacy = PrivacyFilter.from_environment(config.allowlists, personal_data=config.send_personal_data)
    try:
        sentry_sdk.init(
            dsn=config.dsn,
            environment=config.environment,
            release=config.release,
            traces_sample_rate=config.traces_sample_rate,
            # Never the health probe, static files, HEAD or a library's span alone.
            traces_sampler=traces_sampler(config.traces_sample_rate, static_url),
            # Spans are sent as they end, through before_send_span: how sentry-sdk 3
            # traces, and the same on 2.x, so one privacy rule covers both.
            trace_lifecycle="stream",
            # Off unless asked for: the profiler samples every thread's stack while a
            # traced request or task runs, in the processes this rate picks.
            profile_session_sample_rate=config.profile_session_sample_rate or None,
            profile_lifecycle="trace",
            integrations=[
                # Without a span per signal receiver: views and SQL say where time goes.
                DjangoIntegration(signals_spans=False),
                compat.logging_integration(event_level=config.log_event_level, logs_level=config.logs_level),
{%- if cookiecutter.background_jobs == "celery" %}
                # Each beat schedule entry becomes a Crons monitor: a nightly job that
                # fails or never runs is an alert, not silence.
                CeleryIntegration(monitor_beat_tasks=True),
{%- endif %}
            ],
            # A server's command line says nothing about a bug, and a command's may hold
            # a password.
            disabled_integrations=[ArgvIntegration()],
            # What the SDK collects at all, by allowlist (docs/privacy.md). The ignore: "mcp"
            # is sentry-sdk 3's, which 2.x's types do not know yet (2.x ignores it).
            data_collection={  # type: ignore[arg-type,unused-ignore]
                "user_info": config.send_personal_data,
                "cookies": {"mode": "off"},
                "http_headers": {"request": {"mode": "allowlist", "terms": privacy.allowed_headers}},
                "url_query_params": {"mode": "allowlist", "terms": privacy.allowed_query_parameters},
                # Bodies of incoming requests only: privacy keeps allowed fields' values.
                "http_bodies": ["incoming_request"],
                "database_query_data": False,
                # No job's arguments: an email body or a link holds what no name gives away.
                "queues": False,
                "gen_ai": {"inputs": False, "outputs": False},
                "mcp": {"inputs": False, "outputs": False},
                "graphql": {"document": False, "variables": False},
            },
            # The project's own frames keep their variables, wherever it was started from.
            project_root=str(BASE_DIR),
            # A log event's stack is where it was logged; without one, it groups by message.
            attach_stacktrace=False,
            # Past where privacy cuts text, so no secret across its cut arrives half.
            max_value_length=privacy.max_value_length,
            ignore_errors=CLIENT_CAUSED_ERRORS,
            before_send=drop_client_caused(privacy),
            before_send_span=privacy.span,
            before_send_log=drop_client_caused_logs(privacy),
            custom_repr=custom_repr,
            # A burst of errors over a slow network outruns the sending thread; the
            # default queue of 100 would drop the rest.
            transport_queue_size=1000,
            transport=transport,
            **compat.logs_options(config.logs_level),
        )
    except BadDsn as error:
        raise bad_value(
            "SENTRY_DSN",
            config.dsn,
            f"is not a Sentry DSN ({error})",
            "https://<key>@o123.ingest.sentry.io/456 (or leave it empty to turn Sentry off)",
        ) from None
    for name in QUIET_LOGGERS:
        compat.quiet_logger(name)
