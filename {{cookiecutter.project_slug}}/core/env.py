"""The project's one reader of configuration: the process environment, then .env.

Real environment variables win over .env, so a deployment can override any line of
it without editing the file. A missing .env is fine: development has safe defaults.
"""

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
