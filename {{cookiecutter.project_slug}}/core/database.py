"""The database and the cache, from DATABASE_URL and CACHE_URL: read once, checked, never
echoing a password."""

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from core.env import env, mask_url_passwords

PROJECT_SLUG = "{{ cookiecutter.project_slug }}"
EXAMPLE_URL = f"postgres://{PROJECT_SLUG}:password@127.0.0.1:5432/{PROJECT_SLUG}"
# A table in the project's database, made by `migrate` (users/migrations/0002_cache_table.py).
DATABASE_CACHE_URL = "dbcache://django_cache"


def database_from_environment(default: str = "") -> dict[str, Any]:
    """Django's DATABASES["default"] for DATABASE_URL (or `default` when it is unset)."""
    url = env.str("DATABASE_URL", default="") or default  # set but empty counts as unset
    if not url:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not set. Fix it, for example: DATABASE_URL={EXAMPLE_URL}"
        )
    scheme = url.partition("://")[0]
    if "://" not in url or scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL={mask_url_passwords(url)!r} is not a database URL Django can use. "
            f"Fix it, for example: DATABASE_URL={EXAMPLE_URL}"
        )
    return {
        **environ.Env.db_url_config(url),
        # Keep a connection open between requests (seconds; 0 closes it after each), and
        # check it still works before reusing it, so a database restart costs no request.
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }


def cache_from_environment(default: str = "") -> dict[str, Any]:
    """Django's CACHES["default"] for CACHE_URL (or `default`, else the database's table)."""
    url = env.str("CACHE_URL", default="") or default or DATABASE_CACHE_URL
    scheme = url.partition("://")[0]
    if "://" not in url or scheme not in ("dbcache", "redis", "rediss"):
        raise ImproperlyConfigured(
            f"CACHE_URL={mask_url_passwords(url)!r} is not a cache this project can share "
            f"between its workers. Fix it, for example: CACHE_URL=redis://127.0.0.1:6379/1 "
            f"(or unset, for a table in the database)"
        )
    return dict(environ.Env.cache_url_config(url))
