"""The project's one reader of configuration: the process environment, then .env.

Real environment variables win over .env, so a deployment can override any line of
it without editing the file. A missing .env is fine: development has safe defaults.
"""

import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def bad_value(variable: str, value: str, why: str, example: str) -> ImproperlyConfigured:
    """The one-line start-up error for a variable that is set to something unusable."""
    return ImproperlyConfigured(f"{variable}={value!r} {why}. Fix it, for example: {variable}={example}")


def read_bool(variable: str, default: bool = False) -> bool:
    """true/false (or yes/no, on/off, 1/0); django-environ reads anything else as false."""
    raw = env.str(variable, default=str(default)).strip()
    if raw.lower() not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
        raise bad_value(variable, raw, "must be true or false", str(default).lower())
    return bool(env.bool(variable, default=default))


# --- A URL's password, masked wherever a value is shown (errors, and Sentry) ---------

MASKED = "[Filtered]"
URL_SCHEME_END = "://"
# Where a bare user:password@ can start when no scheme:// says so.
URL_PIECE_START = re.compile(r"[/?#=,;(]")
# A run of text that can hold a URL, from white space or a quote to the next, holding @.
URL_CANDIDATE = re.compile(r"(?<![^\s'\"])[^\s'\"]*@[^\s'\"]*")
PORT = re.compile(r"\d+(?:[/?#]|$)")


def _mask_url_password(match: re.Match[str]) -> str:
    text = match[0]
    at = text.rfind("@")
    head = text[:at]
    scheme_end = head.find(URL_SCHEME_END)
    if scheme_end >= 0:
        start = scheme_end + len(URL_SCHEME_END)
    else:
        starts = [found.end() for found in URL_PIECE_START.finditer(head)]
        start = starts[-1] if starts else 0
    colon = head.find(":", start)
    if colon < 0 or "/" in head[start:colon] or PORT.match(head, colon + 1):
        return text  # no user:password, or host:port
    return f"{text[: colon + 1]}{MASKED}{text[at:]}"


def mask_url_passwords(text: str) -> str:
    """user:password@host, after scheme:// or not (a mistyped URL holds a password too),
    the password taken up to the URL's last @, so one holding "@", "/" or ":" goes whole."""
    return URL_CANDIDATE.sub(_mask_url_password, text) if "@" in text else text
