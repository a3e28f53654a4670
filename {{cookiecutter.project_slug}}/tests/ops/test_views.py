"""/api/sentry-debug/ under each real settings module, each in its own process."""

import pytest

from tests.conftest import DEPLOYED_ENVIRONMENT, run_django, run_project

REQUEST_DEBUG_ROUTE = """
from django.test import Client
try:
    print(Client().get("/api/sentry-debug/", secure=True).status_code)
except ZeroDivisionError:
    print("ZeroDivisionError")
"""


def debug_route_outcome(settings_module, **variables):
    return run_django(REQUEST_DEBUG_ROUTE, settings_module, **DEPLOYED_ENVIRONMENT, **variables)


@pytest.mark.parametrize("settings_module", ["development", "staging"])
def test_debug_route_raises_zero_division_outside_production(settings_module):
    assert debug_route_outcome(settings_module) == "ZeroDivisionError"


def test_debug_route_is_404_in_production():
    assert debug_route_outcome("production") == "404"


def test_debug_route_raises_in_production_when_enabled():
    assert debug_route_outcome("production", SENTRY_DEBUG_ROUTE_ENABLED="true") == "ZeroDivisionError"


def test_debug_route_can_be_switched_off_in_staging():
    assert debug_route_outcome("staging", SENTRY_DEBUG_ROUTE_ENABLED="false") == "404"


@pytest.mark.parametrize("settings_module, default", [("staging", "true"), ("production", "false")])
def test_a_debug_route_switch_that_is_not_true_or_false_stops_start_up(settings_module, default):
    variables = {**DEPLOYED_ENVIRONMENT, "SENTRY_DEBUG_ROUTE_ENABLED": "ture"}
    result = run_project(["manage.py", "check"], settings_module, **variables)

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "ImproperlyConfigured: SENTRY_DEBUG_ROUTE_ENABLED='ture' must be true or false. "
        f"Fix it, for example: SENTRY_DEBUG_ROUTE_ENABLED={default}"
    )
