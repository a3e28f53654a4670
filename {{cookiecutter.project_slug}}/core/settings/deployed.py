"""What every deployed environment shares: secrets from the environment, HTTPS hardening.

Staging and production each start from here, so a staging server is configured like
production and `check --deploy` means the same for both. This module does not start
Sentry: staging.py and production.py do, each once, under its own name.
"""

from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

{% if cookiecutter.background_jobs == "celery" -%}
from core.celery import EXAMPLE_BROKER_URL
{% endif -%}
from core.email import email_from_environment, frontend_url_from_environment
from core.env import env

from .base import *  # noqa: F403

T = TypeVar("T")


def _required(variable: str, value: T, example: str) -> T:
    if not value:
        raise ImproperlyConfigured(
            f"{variable} is not set, and a deployed server cannot start without it. "
            f"Fix it, for example: {variable}={example}"
        )
    return value


# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
# SECURITY WARNING: no default, so a server without SECRET_KEY refuses to start.
SECRET_KEY = _required(
    "SECRET_KEY",
    env.str("SECRET_KEY", default=""),
    '$(python -c "import secrets; print(secrets.token_urlsafe(50))")',
)

# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = _required(
    "ALLOWED_HOSTS", env.list("ALLOWED_HOSTS", default=[]), "api.example.com,www.example.com"
)

# https://docs.djangoproject.com/en/5.2/topics/email/
# A deployed server's mail must reach people: no EMAIL_URL, no start.
vars().update(email_from_environment())
# Mailed links (address verification, password reset) must open the real frontend.
FRONTEND_URL = frontend_url_from_environment()

{%- if cookiecutter.background_jobs == "celery" %}

# https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-url
# Tasks queued here must reach a worker: no broker, no start.
CELERY_BROKER_URL = _required("CELERY_BROKER_URL", CELERY_BROKER_URL, EXAMPLE_BROKER_URL)  # noqa: F405
{%- endif %}

# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
# The load balancer terminates TLS and says so in X-Forwarded-Proto; only trust this
# header behind a proxy that sets it (and strips it from clients).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-ssl-redirect
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load-balancer probes speak plain HTTP to the health routes; a redirect would fail them.
SECURE_REDIRECT_EXEMPT = [r"^api/health/(live/)?$"]

# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-hsts-seconds
# Start small; raise to 31536000 once HTTPS works everywhere, since browsers remember it.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# https://docs.djangoproject.com/en/5.2/ref/settings/#session-cookie-secure
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# https://docs.djangoproject.com/en/5.2/topics/logging/
# One JSON object per line on stdout, which log collectors parse without a pattern.
LOGGING = {**LOGGING, "handlers": {"console": {**LOGGING["handlers"]["console"], "formatter": "json"}}}  # noqa: F405

# https://whitenoise.readthedocs.io/en/stable/django.html
# Servers serve their own static files (runserver does it in development). Right after
# SecurityMiddleware, as whitenoise asks, so static requests skip the rest of the stack.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
