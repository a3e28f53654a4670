"""Outgoing email, from EMAIL_URL: read once, checked, never echoing a password."""

import math
import urllib.parse
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from core.env import bad_value, env, mask_url_passwords

EXAMPLE_URL = "smtp+tls://user:password@smtp.example.com:587"
# Prints each message on the console instead of sending it: development's default.
CONSOLE_URL = "consolemail://"


def email_from_environment(default: str = "") -> dict[str, Any]:
    """Django's EMAIL_* settings for EMAIL_URL (or `default` when it is unset), read with
    django-environ's email_url: EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL, plus EMAIL_TIMEOUT."""
    url = env.str("EMAIL_URL", default="") or default  # set but empty counts as unset
    if not url:
        raise ImproperlyConfigured(
            "EMAIL_URL is not set, and a deployed server cannot start without it. "
            f"Fix it, for example: EMAIL_URL={EXAMPLE_URL}"
        )
    scheme = url.partition("://")[0]
    if "://" not in url or scheme not in environ.Env.EMAIL_SCHEMES or not has_numeric_port(url):
        raise bad_value(
            "EMAIL_URL",
            mask_url_passwords(url),
            f"is not an email URL ({', '.join(sorted(environ.Env.EMAIL_SCHEMES))})",
            EXAMPLE_URL,
        )
    config: dict[str, Any] = environ.Env.email_url_config(url)
    # What the URL leaves out (no login, no port) keeps Django's default, not None.
    given = {name: value for name, value in config.items() if value is not None}
    return {**given, "EMAIL_TIMEOUT": read_timeout()}


def has_numeric_port(url: str) -> bool:
    try:
        urllib.parse.urlsplit(url).port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        return False
    return True


def read_timeout() -> float:
    """Seconds before a mail server that stopped answering fails the send, so it cannot
    hold a request or a worker until its time limit."""
    raw = env.str("EMAIL_TIMEOUT", default="10")
    try:
        timeout = float(raw)
    except ValueError:
        timeout = math.nan
    if not math.isfinite(timeout) or timeout <= 0:
        raise bad_value("EMAIL_TIMEOUT", raw, "must be a number of seconds above 0", "10")
    return timeout


def frontend_url_from_environment(default: str = "") -> str:
    """FRONTEND_URL, the origin (and path) of the pages a mailed link opens: the address
    verification and password reset pages of the frontend (docs/auth.md)."""
    url = env.str("FRONTEND_URL", default="").strip() or default
    example = "https://app.example.com"
    if not url:
        raise ImproperlyConfigured(
            "FRONTEND_URL is not set, and a deployed server cannot mail a working link "
            f"without it. Fix it, for example: FRONTEND_URL={example}"
        )
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise bad_value("FRONTEND_URL", url, "is not an http(s) address without ?query or #fragment", example)
    return url.rstrip("/")
