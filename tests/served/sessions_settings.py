"""Copied into a Celery bake by the template's background-job tests: jobs_settings.py,
with sessions kept in Redis through Django's cache, as Django documents it."""

from core.env import env
from jobs_settings import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("TEST_CACHE_URL"),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
