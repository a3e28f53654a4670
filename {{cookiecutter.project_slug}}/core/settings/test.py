"""The test suite's settings (pytest picks them from pyproject.toml).

Sentry is deliberately not started here: a DSN in a developer's .env must never
receive test errors. Tests that check what Sentry sends start it themselves with a
capturing transport (tests/conftest.py).
"""

import environ

from core.database import DATABASE_CACHE_URL

from .base import *  # noqa: F403

ENVIRONMENT = "test"

SECRET_KEY = "django-insecure-test-only-key"  # noqa: S105 (never used outside tests)

ALLOWED_HOSTS = ["testserver"]

# Hashing passwords properly is slow by design; tests don't need the protection.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test database's own cache table, whatever CACHE_URL{% if cookiecutter.background_jobs == "celery" %} or CELERY_BROKER_URL{% endif %} say: each test's rate
# limit counts roll back with its transaction, and never reach a developer's Redis.
CACHES = {"default": environ.Env.cache_url_config(DATABASE_CACHE_URL)}
{%- if cookiecutter.background_jobs == "celery" %}

# Queued tasks run inside the test that queues them, with no broker to start.
CELERY_TASK_ALWAYS_EAGER = True
{%- endif %}
