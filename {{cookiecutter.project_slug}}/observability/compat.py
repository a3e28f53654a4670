"""What differs between sentry-sdk 2.x (locked) and 3.x, in the one place it differs.

Everything else in observability/sentry.py is written once for both: spans are streamed on both
(trace_lifecycle="stream"), so before_send_span and traces_sampler see the same spans,
and no option or module that 3.x removes is used. What is left is the logging API,
whose names 3.x gives new meanings. Once the project requires sentry-sdk 3, the 3.x
branch of each function is all that stays (docs/sentry.md, "Upgrading to sentry-sdk 3").
"""

import logging
from typing import Any

import sentry_sdk
from sentry_sdk.integrations import logging as sentry_logging
from sentry_sdk.integrations.logging import LoggingIntegration

SDK_MAJOR = int(sentry_sdk.VERSION.split(".", 1)[0])


def logging_integration(*, event_level: int, logs_level: int | None) -> LoggingIntegration:
    """INFO records as breadcrumbs, `event_level` and above as events, `logs_level` and
    above as Sentry Logs (None: none). In 3.x `level` means the Sentry Logs level and
    breadcrumbs have their own argument; in 2.x `level` means the breadcrumb level."""
    if SDK_MAJOR >= 3:
        return LoggingIntegration(level=logs_level, breadcrumb_level=logging.INFO, event_level=event_level)  # type: ignore[call-arg,unused-ignore]
    return LoggingIntegration(level=logging.INFO, sentry_logs_level=logs_level, event_level=event_level)  # type: ignore[call-arg,unused-ignore]


def logs_options(logs_level: int | None) -> dict[str, Any]:
    """sentry_sdk.init() options that turn Sentry Logs on: 2.x asks for enable_logs, 3.x
    sends what the logging integration's level lets through and refuses the option."""
    return {"enable_logs": True} if logs_level is not None and SDK_MAJOR < 3 else {}


def quiet_logger(name: str) -> None:
    """Neither a breadcrumb, an event nor a Sentry Log for this logger's records."""
    if SDK_MAJOR >= 3:
        sentry_logging.ignore_logger_for_events(name)  # type: ignore[attr-defined,unused-ignore]
        sentry_logging.ignore_logger(name)
    else:
        sentry_logging.ignore_logger(name)
        sentry_logging.ignore_logger_for_sentry_logs(name)  # type: ignore[attr-defined,unused-ignore]
