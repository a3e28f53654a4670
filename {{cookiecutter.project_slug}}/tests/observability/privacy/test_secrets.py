"""observability/privacy/secrets.py: the project's secrets, found by value in every form."""

import base64
import logging
import os

import pytest
from django.urls import path

from observability.privacy.allowlists import allowlists_from_environment
from observability.privacy.secrets import looks_like_credential, project_secrets
from tests.observability.privacy.planted import scrubber


@pytest.mark.parametrize(
    "value, secret",
    [
        ("sk_live_51PlantedStripeKey9x", True),
        ("ghp_PlantedGithubPat0123456789", True),
        ("Tr0ub4dor&3", True),
        ("correcthorsebatterystaple", True),
        ("a1b2c3d4e5f6a7b8", True),
        ("hunter22", True),
        # Controls: settings that are words, regions, numbers or hosts.
        ("eu-west-1", False),
        ("production", False),
        ("hello there world", False),
        ("0.25", False),
        ("api.example.com,www.example.com", False),
        ("us-east-2.amazonaws.com", False),
        ("12345678901234567890", False),
        ("comment0,worker1", False),
    ],
)
def test_a_value_is_taken_for_a_credential_by_its_look(value, secret):
    assert looks_like_credential(value) == secret


def test_the_environments_secrets_are_found_by_value_in_every_form():
    environ = {
        "STRIPE_SK": "sk_live_51PlantedStripeKey9x",
        "SECRET_KEY_FALLBACKS": "planted-old-key-one-1A2b3C,planted-old-key-two-4D5e6F",
        "SENTRY_RELEASE": "9f2c1e0b7a6d5c4b3a29180706f5e4d3c2b1a090",
        "AWS_REGION": "eu-west-1",
    }

    secrets = project_secrets(environ, allowlists_from_environment().not_secret_variables)

    expected = {
        "sk_live_51PlantedStripeKey9x",
        "planted-old-key-one-1A2b3C",
        "planted-old-key-two-4D5e6F",
        base64.b64encode(b"sk_live_51PlantedStripeKey9x").decode(),
        b"sk_live_51PlantedStripeKey9x".hex(),
    }
    assert expected <= set(secrets)
    assert not {environ["SENTRY_RELEASE"], environ["AWS_REGION"]} & set(secrets)


def test_a_secret_is_replaced_inside_any_string():
    scrub = scrubber(["planted-secret-value"])

    event = scrub({"message": "x planted-secret-value y", "extra": {"note": ["aplanted-secret-valueb"]}}, {})

    assert event == {"message": "x [Filtered] y", "extra": {"note": ["a[Filtered]b"]}}


def test_a_secret_across_the_cut_is_taken_out_before_it_is_cut():
    secret = "Qm7vR2kP9xLw4Tz8"
    text = "x" * 4085 + secret

    forms = project_secrets({"WIDGET_FACTOR": secret}, frozenset())
    sent = scrubber(forms)({"extra": {"text": text, "hex": secret.encode().hex().upper()}}, {})

    assert "Qm7vR2k" not in sent["extra"]["text"] and sent["extra"]["text"].startswith("xxx")
    assert sent["extra"]["hex"] == "[Filtered]"


@pytest.mark.parametrize(
    "value, secret",
    [
        ("ABCD-12EF-GH34-5678", True),
        ("x7k2p-9qw3r-m4n8t", True),
        ("AB12C-DE34F-GH56I-JK78L-MN90P", True),
        # Controls: words, regions, dates and versions joined by dashes.
        ("eu-west-1", False),
        ("blue-green-east", False),
        ("north-europe-west", False),
        ("2024-05-01", False),
        ("v1.2.3-rc-1", False),
    ],
)
def test_an_environment_value_of_short_groups_joined_by_dashes_is_a_secret(value, secret):
    assert (value in project_secrets({"PRODUCT_LICENCE": value}, frozenset())) == secret


LICENCE_KEY = "ABCD-12EF-GH34-5678"
logger = logging.getLogger("ops")


def licence_view(request):
    licence, stage = os.environ["PRODUCT_LICENCE"], os.environ["DEPLOY_STAGE"]
    logger.warning("activating %s in %s", licence, stage)
    raise RuntimeError(f"licence {licence} refused in {stage}")


urlpatterns = [path("activate/", licence_view)]


@pytest.mark.django_db
def test_a_licence_key_in_the_environment_is_in_no_event_span_or_log(start_sentry, monkeypatch, wsgi_client):
    monkeypatch.setenv("PRODUCT_LICENCE", LICENCE_KEY)
    monkeypatch.setenv("DEPLOY_STAGE", "blue-green-east")
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1", SENTRY_LOGS_LEVEL="WARNING")

    wsgi_client.get("/activate/", {"page": LICENCE_KEY})

    # The warning is an event too (SENTRY_LOG_EVENT_LEVEL), then the error.
    [warning, error], [segment] = transport.events, transport.segments()
    assert LICENCE_KEY.encode() not in transport.sent_bytes
    assert warning["logentry"]["formatted"] == "activating [Filtered] in blue-green-east"
    assert error["exception"]["values"][0]["value"] == "licence [Filtered] refused in blue-green-east"
    assert transport.logs[0]["body"] == "activating [Filtered] in blue-green-east"
    assert segment["attributes"]["http.query"] == "page=[Filtered]"
