"""Outgoing email from EMAIL_URL: the console in development, an SMTP server when set,
a refusal when a deployed server has none, and its password never in a Sentry event;
and FRONTEND_URL, where the mailed links lead."""

import json

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured

from core.email import frontend_url_from_environment
from tests.conftest import DEPLOYED_ENVIRONMENT, run_django, run_project

SHOW_EMAIL_SETTINGS = """
import json
from django.conf import settings
names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
         "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""
SEND_A_MESSAGE = """
import django
django.setup()
from django.core.mail import send_mail
send_mail("Welcome aboard", "Hello from the project", None, ["ada@example.com"])
"""
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def email_settings(settings_module="development", **variables):
    return json.loads(run_django(SHOW_EMAIL_SETTINGS, settings_module, **variables))


def test_development_without_email_url_prints_each_message_on_the_console():
    result = run_project(["-c", SEND_A_MESSAGE], "development", EMAIL_URL="")

    assert result.returncode == 0, result.stderr
    assert "Subject: Welcome aboard" in result.stdout
    assert "To: ada@example.com" in result.stdout


def test_email_url_names_the_smtp_server_its_login_and_starttls():
    configured = email_settings(
        EMAIL_URL="smtp+tls://ada:p%40ss-w0rd@smtp.example.com:587", DEFAULT_FROM_EMAIL="team@example.com"
    )

    assert configured == {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "ada",
        "EMAIL_HOST_PASSWORD": "p@ss-w0rd",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "team@example.com",
    }


def test_smtp_ssl_url_uses_implicit_tls_and_plain_smtp_none():
    implicit = email_settings(EMAIL_URL="smtp+ssl://ada:secret@smtp.example.com:465")
    plain = email_settings(EMAIL_URL="smtp://127.0.0.1:1025")

    assert (implicit["EMAIL_USE_SSL"], implicit["EMAIL_USE_TLS"]) == (True, False)
    assert implicit["EMAIL_PORT"] == 465
    assert (plain["EMAIL_USE_SSL"], plain["EMAIL_USE_TLS"], plain["EMAIL_HOST_USER"]) == (False, False, "")


def test_email_timeout_can_be_shortened():
    assert email_settings(EMAIL_TIMEOUT="2.5")["EMAIL_TIMEOUT"] == 2.5


@pytest.mark.parametrize("timeout", ["soon", "0", "-1", "inf"])
def test_an_email_timeout_that_is_not_a_positive_number_is_refused(timeout):
    result = run_project(["manage.py", "check"], "development", EMAIL_TIMEOUT=timeout)

    assert result.returncode != 0
    assert f"EMAIL_TIMEOUT={timeout!r} must be a number of seconds above 0" in result.stderr


@pytest.mark.parametrize(
    "url",
    ["smtp://ada:planted-mail-password@smtp.example.com:twenty-five", "gmail://ada:planted-mail-password@x"],
)
def test_a_malformed_email_url_is_refused_in_one_line_with_its_password_masked(url):
    result = run_project(["manage.py", "check"], "production", **{**DEPLOYED_ENVIRONMENT, "EMAIL_URL": url})

    assert result.returncode != 0
    assert "EMAIL_URL=" in result.stderr
    assert "is not an email URL" in result.stderr
    assert "Fix it, for example: EMAIL_URL=smtp+tls://" in result.stderr
    assert "planted-mail-password" not in result.stderr


def test_the_email_password_never_reaches_sentry(start_sentry):
    transport = start_sentry(EMAIL_URL="smtp+tls://ada:planted-mail-password@smtp.example.com:587")

    sentry_sdk.capture_message("login with planted-mail-password refused by smtp.example.com")

    [event] = transport.events
    assert "planted-mail-password" not in json.dumps(event)
    assert "refused by smtp.example.com" in event["message"]


def test_the_frontend_url_is_read_without_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("FRONTEND_URL", "https://app.example.com/portal/")

    assert frontend_url_from_environment() == "https://app.example.com/portal"


@pytest.mark.parametrize(
    "url", ["app.example.com", "ftp://app.example.com", "https://", "https://app.example.com/?next=/"]
)
def test_a_frontend_url_that_links_cannot_start_with_is_refused_in_one_line(monkeypatch, url):
    monkeypatch.setenv("FRONTEND_URL", url)

    with pytest.raises(ImproperlyConfigured) as error:
        frontend_url_from_environment(default="http://localhost:3000")

    assert str(error.value).startswith(f"FRONTEND_URL={url!r} is not an http(s) address")
    assert str(error.value).endswith("Fix it, for example: FRONTEND_URL=https://app.example.com")
