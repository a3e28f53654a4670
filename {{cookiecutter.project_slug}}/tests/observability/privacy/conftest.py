"""The privacy tests' fixtures: the planted environment (and SECRET_KEY), and Sentry
started with it."""

import urllib.parse

import pytest

from tests.observability.privacy.planted import DSN_KEY, FALLBACK_KEYS, HARMLESS_ENVIRONMENT, PROJECT_SECRETS


@pytest.fixture(autouse=True)
def planted_secret_key(settings):
    settings.SECRET_KEY = PROJECT_SECRETS["SECRET_KEY"]


@pytest.fixture
def plant_environment(monkeypatch):
    for name, value in {**PROJECT_SECRETS, **HARMLESS_ENVIRONMENT}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DATABASE_PASSWORD_IN_URL")
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://app:{urllib.parse.quote(PROJECT_SECRETS['DATABASE_PASSWORD_IN_URL'])}@db/app",
    )
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", ",".join(FALLBACK_KEYS))


@pytest.fixture
def transport(start_sentry, plant_environment):
    return start_sentry(SENTRY_DSN=f"https://{DSN_KEY}@sentry.invalid/42")
