"""Settings every environment shares.

Each environment's module (development, staging, production, test) starts with
`from .base import *` and changes only what differs. Values that vary between
machines come from the environment through core.env; secrets have no default here.
"""

from typing import Any

from core.database import database_from_environment
from core.env import BASE_DIR, env, read_bool

PROJECT_NAME = "{{ cookiecutter.__project_name_literal }}"  # noqa: E501 (kept as typed)

# The name Sentry reports when SENTRY_ENVIRONMENT is not set; each module overrides it.
ENVIRONMENT = "base"

# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = False

# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

# https://docs.djangoproject.com/en/5.2/ref/settings/#installed-apps
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "api",
]

# https://docs.djangoproject.com/en/5.2/topics/http/middleware/
MIDDLEWARE = [
    # First, so every later middleware's log lines and Sentry events carry the id.
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"

# https://docs.djangoproject.com/en/5.2/ref/settings/#templates
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
{%- if cookiecutter.database == "postgresql" %}
# PostgreSQL through DATABASE_URL (.env.example), required in every environment.
DATABASES = {"default": database_from_environment()}
{%- else %}
# SQLite in the project folder needs nothing installed; DATABASE_URL can point elsewhere.
DATABASES = {"default": database_from_environment(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
{%- endif %}

# https://docs.djangoproject.com/en/5.2/ref/settings/#default-auto-field
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# https://docs.djangoproject.com/en/5.2/ref/settings/#auth-password-validators
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# https://docs.djangoproject.com/en/5.2/howto/static-files/
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# https://docs.djangoproject.com/en/5.2/topics/logging/
# INFO must reach the loggers: Sentry turns INFO records into breadcrumbs, and a record
# a logger drops never reaches Sentry. The console shows INFO and above as well, plain
# for people here; deployed.py switches it to JSON lines for log collectors.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.request_id.RequestIdLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
}

# The route that raises on purpose to prove Sentry receives errors (api.views).
SENTRY_DEBUG_ROUTE_ENABLED = True

# Whether a caller's sentry-trace and baggage headers reach Sentry (core.sentry.
# TRACE_HEADERS): only when every caller is the project's own (docs/sentry.md).
SENTRY_TRUST_INCOMING_TRACES = read_bool("SENTRY_TRUST_INCOMING_TRACES")
