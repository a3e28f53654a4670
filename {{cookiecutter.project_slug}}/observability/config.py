"""The SENTRY_* variables, read and checked at start-up.

Every variable is checked even with SENTRY_DSN unset, so a typo is caught on the laptop,
not on the first deploy that sets a DSN; a bad value stops start-up with one line naming
it, because the SDK itself would silently drop data (a sample rate of 1.5 or "0.5x"
disables tracing).
"""

import logging
import math
from dataclasses import dataclass

from core.env import bad_value, env, read_bool
from observability.privacy.allowlists import Allowlists, allowlists_from_environment

DEFAULT_TRACES_SAMPLE_RATE = "{{ cookiecutter.sentry_traces_sample_rate | trim }}"
DEFAULT_PROFILE_SESSION_SAMPLE_RATE = "{{ cookiecutter.sentry_profile_session_sample_rate | trim }}"
DEFAULT_LOG_EVENT_LEVEL = "{{ cookiecutter.sentry_log_event_level }}"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_USER_ID_KEY_LENGTH = 32


@dataclass(frozen=True)
class SentryConfig:
    dsn: str
    environment: str
    release: str | None
    send_personal_data: bool
    traces_sample_rate: float
    profile_session_sample_rate: float
    log_event_level: int
    logs_level: int | None
    allowlists: Allowlists
    user_id_key: str


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


def read_log_event_level() -> int:
    level = read_log_level("SENTRY_LOG_EVENT_LEVEL", DEFAULT_LOG_EVENT_LEVEL)
    if level is None:
        raise bad_value("SENTRY_LOG_EVENT_LEVEL", "", f"must be one of {', '.join(LOG_LEVELS)}", "WARNING")
    return level


def read_user_id_key(dsn: str, send_personal_data: bool) -> str:
    """The key of the signed-in user's pseudonym (observability/user_id.py): needed while
    Sentry is on without personal data, and long enough that it cannot be guessed."""
    key: str = env.str("SENTRY_USER_ID_KEY", default="").strip()
    example = '$(python -c "import secrets; print(secrets.token_urlsafe(32))")'
    if key and len(key) < MIN_USER_ID_KEY_LENGTH:
        # The key itself stays out of the error: logs and CI output keep it.
        too_short = f"is shorter than {MIN_USER_ID_KEY_LENGTH} characters"
        raise bad_value("SENTRY_USER_ID_KEY", "[Filtered]", too_short, example)
    if dsn and not send_personal_data and not key:
        raise bad_value("SENTRY_USER_ID_KEY", "", "must be set while SENTRY_DSN is", example)
    return key


def read_config(environment: str) -> SentryConfig:
    """`environment` is the settings module's name, reported unless SENTRY_ENVIRONMENT
    says otherwise."""
    dsn = env.str("SENTRY_DSN", default="").strip()
    send_personal_data = read_bool("SENTRY_SEND_PERSONAL_DATA")
    return SentryConfig(
        dsn=dsn,
        environment=env.str("SENTRY_ENVIRONMENT", default="") or environment,
        # None lets the SDK find a release itself (SENTRY_RELEASE, then the git commit).
        release=env.str("SENTRY_RELEASE", default="") or None,
        send_personal_data=send_personal_data,
        traces_sample_rate=read_sample_rate(
            "SENTRY_TRACES_SAMPLE_RATE", DEFAULT_TRACES_SAMPLE_RATE, "0.1 (traces 10% of requests)"
        ),
        profile_session_sample_rate=read_sample_rate(
            "SENTRY_PROFILE_SESSION_SAMPLE_RATE",
            DEFAULT_PROFILE_SESSION_SAMPLE_RATE,
            "0.1 (profiles the traced requests of 10% of processes)",
        ),
        log_event_level=read_log_event_level(),
        logs_level=read_log_level("SENTRY_LOGS_LEVEL", ""),
        allowlists=allowlists_from_environment(),
        user_id_key=read_user_id_key(dsn, send_personal_data),
    )
