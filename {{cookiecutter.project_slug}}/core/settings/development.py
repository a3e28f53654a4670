"""Your laptop: debug on, a throwaway key, and it starts with no .env at all."""

from core.env import env
from core.sentry import init_sentry

from .base import *  # noqa: F403

ENVIRONMENT = "development"

# SECURITY WARNING: this fallback key is public; it is only for local development.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key")

DEBUG = env.bool("DEBUG", default=True)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

init_sentry(ENVIRONMENT)
