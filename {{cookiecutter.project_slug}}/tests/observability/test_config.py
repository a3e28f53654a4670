"""observability/config.py and sentry.py: Sentry stays off without a DSN, and every bad
value stops start-up."""

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured

from observability.sentry import init_sentry
from tests.conftest import TEST_DSN, run_project


def test_sentry_is_not_initialised_when_dsn_is_empty(monkeypatch):
    monkeypatch.setenv("SENTRY_DSN", "")

    init_sentry("development")

    assert not sentry_sdk.get_client().is_active()


def test_sentry_is_initialised_when_dsn_is_set(start_sentry):
    start_sentry()

    assert sentry_sdk.get_client().is_active()
    assert sentry_sdk.get_client().dsn == TEST_DSN


@pytest.mark.parametrize("rate", ["abc", "1.5", "-0.1", "nan", "inf", "0.5x", "1,5", ""])
def test_bad_traces_sample_rate_stops_start_up(monkeypatch, rate):
    monkeypatch.setenv("SENTRY_DSN", TEST_DSN)
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", rate)

    with pytest.raises(ImproperlyConfigured) as error:
        init_sentry("development")

    assert f"SENTRY_TRACES_SAMPLE_RATE={rate!r}" in str(error.value)
    assert "for example: SENTRY_TRACES_SAMPLE_RATE=0.1" in str(error.value)


def test_bad_sample_rate_is_caught_even_while_sentry_is_off(monkeypatch):
    monkeypatch.setenv("SENTRY_DSN", "")
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", "1.5")

    with pytest.raises(ImproperlyConfigured, match="SENTRY_TRACES_SAMPLE_RATE='1.5'"):
        init_sentry("development")


@pytest.mark.parametrize(
    "dsn",
    [
        "not-a-dsn",
        "https://sentry.invalid/42",  # no public key
        "ftp://key@sentry.invalid/42",  # unsupported scheme
        "https://key@sentry.invalid/project",  # project id is not a number
    ],
)
def test_malformed_dsn_stops_start_up(monkeypatch, dsn):
    monkeypatch.setenv("SENTRY_DSN", dsn)

    with pytest.raises(ImproperlyConfigured) as error:
        init_sentry("development")

    assert f"SENTRY_DSN={dsn!r}" in str(error.value)
    assert "for example: SENTRY_DSN=https://" in str(error.value)


def test_unknown_log_event_level_stops_start_up(monkeypatch):
    monkeypatch.setenv("SENTRY_DSN", TEST_DSN)
    monkeypatch.setenv("SENTRY_LOG_EVENT_LEVEL", "LOUD")

    with pytest.raises(ImproperlyConfigured, match="SENTRY_LOG_EVENT_LEVEL='LOUD'"):
        init_sentry("development")


@pytest.mark.parametrize(
    "rate, expected", [("0", 0.0), ("1", 1.0), (".5", 0.5), ("1e-1", 0.1), (" 0.25 ", 0.25)]
)
def test_good_sample_rates_are_accepted(start_sentry, rate, expected):
    start_sentry("development", SENTRY_TRACES_SAMPLE_RATE=rate)

    assert sentry_sdk.get_client().options["traces_sample_rate"] == expected


@pytest.mark.parametrize("settings_environment", ["development", "staging", "production"])
def test_environment_defaults_to_the_settings_module(start_sentry, settings_environment):
    start_sentry(settings_environment, SENTRY_ENVIRONMENT="")

    assert sentry_sdk.get_client().options["environment"] == settings_environment


def test_release_comes_from_sentry_release(start_sentry):
    start_sentry("production", SENTRY_RELEASE="backend@1.2.3")

    assert sentry_sdk.get_client().options["release"] == "backend@1.2.3"


@pytest.mark.parametrize("variable", ["SENTRY_TRUST_INCOMING_TRACES", "SENTRY_SEND_PERSONAL_DATA"])
def test_a_switch_that_is_not_true_or_false_stops_start_up(variable):
    result = run_project(["manage.py", "check"], "development", **{variable: "ture"})

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"ImproperlyConfigured: {variable}='ture' must be true or false. "
        f"Fix it, for example: {variable}=false"
    )


def test_events_report_the_sdks_django_and_logging_integrations(start_sentry):
    transport = start_sentry()

    sentry_sdk.capture_message("which integrations?")

    [event] = transport.events
    assert {"django", "logging"} <= set(event["sdk"]["integrations"])
    assert "argv" not in event["sdk"]["integrations"]


def test_a_dsn_without_a_user_id_key_stops_start_up_with_one_line():
    result = run_project(["manage.py", "check"], "development", SENTRY_DSN=TEST_DSN, SENTRY_USER_ID_KEY="")

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "ImproperlyConfigured: SENTRY_USER_ID_KEY='' must be set while SENTRY_DSN is. Fix it, for example: "
        """SENTRY_USER_ID_KEY=$(python -c "import secrets; print(secrets.token_urlsafe(32))")"""
    )


@pytest.mark.parametrize("dsn", [TEST_DSN, ""])
def test_a_short_user_id_key_is_refused_without_being_shown(monkeypatch, dsn):
    short_key = "planted-short-user-id-key-31chr"
    monkeypatch.setenv("SENTRY_DSN", dsn)
    monkeypatch.setenv("SENTRY_USER_ID_KEY", short_key)

    with pytest.raises(ImproperlyConfigured, match=r"SENTRY_USER_ID_KEY='\[Filtered\]' is shorter") as error:
        init_sentry("development")

    assert short_key not in str(error.value)


@pytest.mark.parametrize(
    "variables",
    [{"SENTRY_DSN": ""}, {"SENTRY_DSN": TEST_DSN, "SENTRY_SEND_PERSONAL_DATA": "true"}],
    ids=["sentry off", "personal data on"],
)
def test_no_user_id_key_is_needed_without_pseudonyms(start_sentry, variables):
    start_sentry(SENTRY_USER_ID_KEY="", **variables)

    assert sentry_sdk.get_client().is_active() == bool(variables["SENTRY_DSN"])
