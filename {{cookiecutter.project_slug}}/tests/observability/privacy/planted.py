"""Secrets planted in every part of a request, of the environment and of the code that
fails, each next to a harmless control value, for the privacy tests: the secrets must
not be in what the SDK hands its transport; the controls must be."""

import base64
import json
import logging
import urllib.parse

import sentry_sdk
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from observability.privacy import PrivacyFilter
from observability.privacy.allowlists import allowlists_from_environment

logger = logging.getLogger("ops")


# The project's own secrets, as a deployment's environment holds them: some under names
# that mark a secret, most under names no list could hold.
PROJECT_SECRETS = {
    "SECRET_KEY": "planted-django-secret-key-0123456789",
    "DATABASE_PASSWORD_IN_URL": "planted-db-pass/w@rd",
    "PAYMENTS_API_TOKEN": "planted-payments-token-555",
    "STRIPE_SK": "sk_live_51PlantedStripeKey9x",
    "GITHUB_PAT": "ghp_PlantedGithubPat0123456789",
    "SMTP_PW": "Planted4SmtpPw",
    "MASTERKEY": "PlantedMasterKey77",
    "LICENSEKEY": "LIC-PLANTED-8F3K2Q9Z",
    "SLACK_WEBHOOK": "https://hooks.slack.example/services/T0PLANTED/B0PLANTED/PlantedHook42",
}


FALLBACK_KEYS = ["planted-old-key-one-1A2b3C", "planted-old-key-two-4D5e6F"]


DSN_KEY = "plantedpublickey0123"


# Settings that are not secret: they must arrive wherever the code puts them.
HARMLESS_ENVIRONMENT = {"AWS_REGION": "eu-west-1", "GREETING": "hello there world", "LOG_FORMAT": "json"}


# name=secret pairs a client sends in the query string: none of these names is allowed.
QUERY_SECRETS = {
    "password": "planted-query-password",
    "code": "planted-query-oauth-code",
    "code_verifier": "planted-query-code-verifier",
    "ticket": "planted-query-cas-ticket",
    "state": "planted-query-state",
    "to": "planted.query.to@example.com",
    "next": "/account?token=planted-query-next-token",
}


# A body's values: none by default, whatever the field's name.
BODY_SECRETS = {
    "refresh": "planted-body-simplejwt-refresh",
    "access": "planted-body-simplejwt-access",
    "card_no": "4111111111111111",
    "passwort": "planted-body-passwort",
    "SAMLResponse": "planted-body-saml-response",
    "mobile": "+44 7700 900123",
    "date_of_birth": "1970-01-02",
    "passportNumber": "planted-passport-533",
    # The SDK sends 10 fields of a body: the test's are all within them.
    "note": "planted-body-free-text",
}


HEADER_SECRETS = {
    "Authorization": "Bearer planted-header-authorization",
    "Cookie": "sessionid=planted-header-cookie",
    "X-Auth-Token": "planted-header-x-auth-token",
    "DPoP": "planted-header-dpop-proof",
    "X-Amzn-Oidc-Data": "planted-header-oidc-claims",
    "Remote-User": "planted-header-remote-user",
    "X-MFA-Code": "planted-header-mfa-123456",
    "CloudFront-Viewer-City": "planted-header-viewer-city",
    "X-Client-Version": "planted-header-unlisted-custom",
    "Referer": "https://app.example.com/list?page=control-referer-page&token=planted-header-referer-token",
    "Forwarded": "for=198.51.100.17;proto=https",
    "X-Forwarded-For": "198.51.100.18",
    "X-Real-IP": "198.51.100.19",
    "CF-Connecting-IP": "198.51.100.21",
}


HEADER_LEAKS = [
    *(value for name, value in HEADER_SECRETS.items() if name not in ("Referer", "Forwarded")),
    "198.51.100.17",
    "planted-header-referer-token",
]


# Set by the failing view. Not written in its body: the event carries the source lines
# around each frame's line, and a secret written in the source would be sent with them.
CODE_SECRETS = {
    "extra": "planted-extra-refresh-token",
    "context": "planted-context-client-secret",
    "tag": "planted-tag-session",
    "breadcrumb": "planted-breadcrumb-api-key",
    "log": "planted-log-password",
    "url": "planted-url-password",
    "recipient": "planted.recipient@example.com",
}


def environment_secrets():
    return [*PROJECT_SECRETS.values(), *FALLBACK_KEYS]


@csrf_exempt
def failing_view(request):
    signing = settings.SECRET_KEY  # noqa: F841 (a local under a harmless name)
    database = f"postgres://app:{PROJECT_SECRETS['DATABASE_PASSWORD_IN_URL']}@db.internal/app"  # noqa: F841
    mirror = f"https://mirror:{CODE_SECRETS['url']}@files.example.com/pkg"  # noqa: F841
    recipient_list = [CODE_SECRETS["recipient"]]  # noqa: F841 (an address under a harmless name)
    # The environment's secrets as code passes them around: raw, in a list, encoded.
    settings_copy = {name: value for name, value in PROJECT_SECRETS.items()}  # noqa: F841
    fallbacks = list(FALLBACK_KEYS)  # noqa: F841
    encoded = [  # noqa: F841
        base64.b64encode(PROJECT_SECRETS["SMTP_PW"].encode()).decode(),
        PROJECT_SECRETS["MASTERKEY"].encode().hex(),
    ]
    harmless = dict(HARMLESS_ENVIRONMENT)  # noqa: F841
    control_variable = "control-variable-value"  # noqa: F841
    sentry_sdk.set_extra("refresh_token", CODE_SECRETS["extra"])
    sentry_sdk.set_extra("webhook_url", PROJECT_SECRETS["SLACK_WEBHOOK"])
    sentry_sdk.set_extra("control_extra", "control-extra-value")
    sentry_sdk.set_context("payment", {"client_secret": CODE_SECRETS["context"], "amount": "42.00"})
    sentry_sdk.set_tag("session", CODE_SECRETS["tag"])
    sentry_sdk.set_tag("plan", "control-tag-value")
    sentry_sdk.add_breadcrumb(
        message="called upstream", data={"api_key": CODE_SECRETS["breadcrumb"], "page": 3}
    )
    logger.info("login attempt with password=%s for control-log-user", CODE_SECRETS["log"])
    logger.info("charging with %s in %s", PROJECT_SECRETS["STRIPE_SK"], HARMLESS_ENVIRONMENT["AWS_REGION"])
    raise RuntimeError(f"payments refused token {PROJECT_SECRETS['PAYMENTS_API_TOKEN']} for control-order")


def harmless_view(request):
    return HttpResponse("ok")


@csrf_exempt
def library_failing_view(request):
    control_variable = "control-variable-value"  # noqa: F841
    # The JSON decoder's frames hold the whole text they were given.
    json.loads('{"note": "control-library-note", "password": "' + CODE_SECRETS["log"])


urlpatterns = [
    path("fail/", failing_view),
    path("ok/", harmless_view),
    path("library/", library_failing_view),
]


def fail_with_everything_planted(client, body_kind, path="/fail/"):
    query = urllib.parse.urlencode(
        {**QUERY_SECRETS, "page": "control-query-page", "status": "control-status"}
    )
    headers = {**HEADER_SECRETS, "User-Agent": "control-agent/4.2"}
    if body_kind == "json":
        body = json.dumps({**BODY_SECRETS, "order": {"items": [{"sku": "planted-nested-value"}]}})
        status, _ = client.post(f"{path}?{query}", body, content_type="application/json", headers=headers)
    else:
        status, _ = client.post(f"{path}?{query}", BODY_SECRETS, headers=headers)
    assert status == 500


def planted_values():
    planted = [
        *environment_secrets(),
        DSN_KEY,
        *QUERY_SECRETS.values(),
        *BODY_SECRETS.values(),
        "planted-nested-value",
        *HEADER_LEAKS,
        *CODE_SECRETS.values(),
    ]
    # As a query string, base64 and hex hold them.
    encoded = [urllib.parse.quote_plus(secret) for secret in planted]
    encoded += [
        base64.b64encode(PROJECT_SECRETS["SMTP_PW"].encode()).decode(),
        PROJECT_SECRETS["MASTERKEY"].encode().hex(),
    ]
    return planted + encoded


def leaks(transport):
    return [secret for secret in planted_values() if secret.encode() in transport.sent_bytes]


def scrubber(secrets=(), personal_data=False):
    return PrivacyFilter(list(secrets), allowlists_from_environment(), personal_data=personal_data)
