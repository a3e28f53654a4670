"""Your laptop: debug on, a throwaway key, and it starts with no .env at all."""

from core.env import env
from observability.sentry import init_sentry

from .base import *  # noqa: F403

ENVIRONMENT = "development"

# SECURITY WARNING: this fallback key is public; it is only for local development.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key")

DEBUG = env.bool("DEBUG", default=True)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
{%- if cookiecutter.background_jobs == "celery" %}

# https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-always-eager
# Without Redis on the laptop, a queued task runs at once inside the request that queues
# it, and its error is that request's error; set CELERY_BROKER_URL to use `make worker`.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
{%- endif %}

init_sentry(ENVIRONMENT, STATIC_URL)  # noqa: F405
