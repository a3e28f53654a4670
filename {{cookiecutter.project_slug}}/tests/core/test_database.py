"""The cache allauth's rate limits count in, from CACHE_URL: one every worker shares."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.database import cache_from_environment
{%- if cookiecutter.background_jobs == "celery" %}
from tests.conftest import run_django

SHOW_CACHE = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
{%- endif %}


def test_without_cache_url_the_cache_is_a_table_in_the_database(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)

    assert cache_from_environment() == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }


def test_the_tests_database_has_the_cache_table(db):
    from django.core.cache import cache

    cache.set("shared", "by every worker")

    assert cache.get("shared") == "by every worker"


def test_a_redis_cache_url_is_djangos_own_redis_cache(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")

    assert cache_from_environment() == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


@pytest.mark.parametrize(
    "url", ["locmemcache://", "filecache:///tmp/cache", "rediz://:planted-cache-password@127.0.0.1:6379/0"]
)
def test_a_cache_that_workers_would_not_share_is_refused_in_one_line_without_its_password(monkeypatch, url):
    monkeypatch.setenv("CACHE_URL", url)

    with pytest.raises(ImproperlyConfigured) as error:
        cache_from_environment()

    message = str(error.value)
    assert message.startswith("CACHE_URL=") and "is not a cache this project can share" in message
    assert "Fix it, for example: CACHE_URL=redis://" in message
    assert "planted-cache-password" not in message
{%- if cookiecutter.background_jobs == "celery" %}


def test_with_celery_the_cache_is_the_brokers_redis():
    broker = "redis://127.0.0.1:6379/0"

    backend = run_django(SHOW_CACHE, "development", CELERY_BROKER_URL=broker, CACHE_URL="")

    assert backend == "django.core.cache.backends.redis.RedisCache"
{%- endif %}
