"""Settings every environment shares.

Each environment's module (development, staging, production, test) starts with
`from .base import *` and changes only what differs. Values that vary between
machines come from the environment through core.env; secrets have no default here.
"""

from typing import Any

{% if cookiecutter.background_jobs == "celery" -%}
from celery.schedules import crontab
{% endif -%}
from corsheaders.defaults import default_headers

{% if cookiecutter.background_jobs == "celery" -%}
from core.celery import broker_url_from_environment
{% endif -%}
from core.database import cache_from_environment, database_from_environment
from core.email import CONSOLE_URL, email_from_environment, frontend_url_from_environment
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
    "django.contrib.sites",
    "corsheaders",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
{%- if cookiecutter.api_framework == "ninja" %}
    "ninja",  # its docs page's templates and static files
{%- elif cookiecutter.api_framework == "drf" %}
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the docs page's static files
{%- endif %}
    "users",
    "ops",
{%- if cookiecutter.api_framework != "none" %}
    "notes",
{%- endif %}
]

# https://docs.djangoproject.com/en/5.2/topics/http/middleware/
MIDDLEWARE = [
    # First, so every later middleware's log lines and Sentry events carry the id.
    "observability.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that can answer, so every answer to an allowed origin says so.
    "corsheaders.middleware.CorsMiddleware",
    # Before any view parses a body, after CORS so that its 400 names an allowed origin
    # (edge/json_depth.py): a body nested deeper than any real payload is no RecursionError.
    "edge.json_depth.JsonDepthMiddleware",
    # Only a cookie that could hold a session key reaches Django's (edge/session_cookie.py).
    "edge.session_cookie.SessionCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Once the caller is known: Sentry's pseudonymous user (observability/user_id.py).
    "observability.user_id.SentryUserMiddleware",
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

# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#substituting-a-custom-user-model
AUTH_USER_MODEL = "users.User"
# allauth's, for every login: the admin's goes through the accounts API too (core/urls.py).
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]

# https://docs.djangoproject.com/en/5.2/topics/auth/passwords/
# Argon2 hashes new passwords; the others still check passwords hashed before a change.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# https://docs.allauth.org/en/latest/headless/configuration.html
# Accounts as an API at /_allauth/ (docs/auth.md), for a browser (session cookie and CSRF
# token) and for an app (a session token in X-Session-Token); no pages of allauth's own.
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("browser", "app")
# The frontend that shows the pages a mailed link opens: the key is the link's last segment.
FRONTEND_URL = frontend_url_from_environment(default="http://localhost:3000")
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": FRONTEND_URL + "/account/verify-email/{key}",
    "account_reset_password": FRONTEND_URL + "/account/password/reset",
    "account_reset_password_from_key": FRONTEND_URL + "/account/password/reset/key/{key}",
    "account_signup": FRONTEND_URL + "/account/signup",
}
# Where the admin sends a visitor who is not signed in (docs/auth.md, "The admin").
LOGIN_URL = FRONTEND_URL + "/account/login"
# https://docs.allauth.org/en/latest/account/configuration.html
# Sign in by email and password; nobody signs in before following the mailed link.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# One address per user: an unverified second address would let one user claim another
# person's address before they sign up, and receive its password-reset mail.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_ADAPTER = "users.adapter.AccountAdapter"
# allauth's own rate limits (login, failed logins, sign-up, password reset, the second
# factor) hold: they count in the cache below, which every worker shares.
# Behind a load balancer, the clients' addresses are in X-Forwarded-For: how many proxies
# append to it (docs/deploy.md). 0 takes the connection's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# https://docs.djangoproject.com/en/5.2/ref/contrib/sites/
# One site, named by users/migrations/0003_site.py: allauth's mail says its name, and
# its failed-login count per account is keyed by it, not by the Host a client sends.
SITE_ID = 1
# https://docs.allauth.org/en/latest/mfa/configuration.html
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PROJECT_NAME

# https://github.com/adamchainz/django-cors-headers#configuration
# Origins (https://app.example.com) of a frontend served elsewhere that may call the API;
# none by default, so only pages of this origin can. Browser clients send cookies, app
# clients X-Session-Token; CSRF_TRUSTED_ORIGINS lets the browser client's writes through.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (*default_headers, "x-session-token")
CSRF_TRUSTED_ORIGINS = CORS_ALLOWED_ORIGINS

# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# https://docs.djangoproject.com/en/5.2/howto/static-files/
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# https://docs.djangoproject.com/en/5.2/topics/email/
# EMAIL_URL (core/email.py), required when deployed; without it, development prints each
# message on the console. vars().update() is how django-environ's documentation sets them.
vars().update(email_from_environment(default=CONSOLE_URL))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# https://docs.djangoproject.com/en/5.2/topics/logging/
# INFO must reach the loggers: Sentry turns INFO records into breadcrumbs, and a record
# a logger drops never reaches Sentry. The console shows INFO and above as well, plain
# for people here; deployed.py switches it to JSON lines for log collectors.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "observability.request_id.RequestIdLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "observability.log_format.JsonFormatter"},
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
    # Django's own console handler (DEFAULT_LOGGING) would print each django.* record a
    # second time, as it reaches the root's: configuring the logger drops that handler.
    "loggers": {"django": {"level": "INFO"}},
}

# The OpenAPI schemas and docs pages: {% if cookiecutter.api_framework != "none" %}the API's (/api/openapi.json, /api/docs/) and {% endif %}the
# accounts API's (/_allauth/openapi.json, .html); production turns them off unless asked
# for ({% if cookiecutter.api_framework != "none" %}docs/api.md{% else %}docs/auth.md{% endif %} says why).
API_DOCS_ENABLED = True
HEADLESS_SERVE_SPECIFICATION = API_DOCS_ENABLED
{%- if cookiecutter.api_framework != "none" %}
# The accounts API's page in the same Swagger UI as the API's, from static files, no CDN.
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "users/accounts_api_docs.html"
API_DESCRIPTION = (
    "Sign up, sign in and get a session token with the accounts API: "
    "[its docs](/_allauth/openapi.html), [its schema](/_allauth/openapi.json) (docs/auth.md)."
)
{%- endif %}
{%- if cookiecutter.api_framework == "drf" %}

# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    # allauth's session token for apps, Django's session (with the CSRF token of writes)
    # for browsers (api/auth.py); every view needs a signed-in caller unless it says not.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # ?page= and ?page_size= (up to 100), 20 a page unless asked (api/pagination.py).
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    # JSON answers only: the docs page (/api/docs/) is where people try the API.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": PROJECT_NAME,
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's scripts and styles from this server's static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
{%- endif %}

# The route that raises on purpose to prove Sentry receives errors (ops/views.py).
SENTRY_DEBUG_ROUTE_ENABLED = True

# Whether a caller's sentry-trace and baggage headers reach Sentry (edge/trace_headers.py):
# only when every caller is the project's own (docs/sentry.md).
SENTRY_TRUST_INCOMING_TRACES = read_bool("SENTRY_TRUST_INCOMING_TRACES")
{%- if cookiecutter.background_jobs == "celery" %}

# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# Background jobs (core/celery.py reads every CELERY_* name here). Required when deployed;
# development runs tasks inside the request when it is unset (development.py).
CELERY_BROKER_URL = broker_url_from_environment()
CELERY_TASK_ALWAYS_EAGER = False
# A task is acknowledged once it has run, not when a worker takes it, so a worker killed
# mid-task (a deploy, the OOM killer, a lost node) leaves it for another worker; and one
# whose pool process dies is put back at once. Tasks must therefore be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each worker process holds one unacknowledged task at a time: with late acknowledgement
# a prefetched task would wait behind a slow one while another worker sits idle.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds after which a task is killed (and fails, it is not retried): a call that hangs
# without a timeout must not hold a worker forever.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis gives a task nobody acknowledged to another worker after this many seconds.
    # It must outlast the longest task and the longest retry countdown (ops/tasks.py), or
    # a slow task runs twice at once; it is also how long a killed worker's task waits.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A Redis that stops answering without closing the connection (a failover, a NAT
    # timeout) fails a request that queues a task within seconds, instead of holding it.
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
}
# JSON only: a pickled message, from anyone who can write to Redis, would run their code.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# No result backend: tasks report through their logs and Sentry, and a task whose
# result matters stores it in the database itself.
CELERY_TASK_IGNORE_RESULT = True
# Keep retrying the broker when a worker starts before Redis does (Celery 6 asks for it).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING above (JSON lines when deployed), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html
# What `celery beat` queues, in UTC; each entry is a Sentry Crons monitor (docs/sentry.md).
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "clear-expired-sessions": {
        "task": "ops.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=0),
    },
}
{%- endif %}

# https://docs.djangoproject.com/en/5.2/topics/cache/
{%- if cookiecutter.background_jobs == "celery" %}
# Redis, which Celery already needs (CACHE_URL can name another): a cache every worker
# shares, so a rate limit counts each client once, not once per worker.
CACHES = {"default": cache_from_environment(default=CELERY_BROKER_URL)}
{%- else %}
# A table in the database (users/migrations/0002_cache_table.py makes it): a cache every
# worker shares, so a rate limit counts each client once, not once per worker. CACHE_URL
# (redis://...) can name another.
CACHES = {"default": cache_from_environment()}
{%- endif %}
