"""core.privacy against a hostile client: secrets planted in every part of a request and
of the code that fails, each next to a harmless control value. The secrets must not
be in what the SDK hands its transport; the controls must be."""

import json
import logging
import urllib.parse

import pytest
import sentry_sdk
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from core.privacy import PrivacyFilter, mask_url_passwords, name_kind

logger = logging.getLogger("api")

# The project's own secrets, as a deployment's environment holds them.
PROJECT_SECRETS = {
    "SECRET_KEY": "planted-django-secret-key-0123456789",
    "DATABASE_PASSWORD_IN_URL": "planted-db-pass/w@rd",
    "PAYMENTS_API_TOKEN": "planted-payments-token-555",
}
DSN_KEY = "plantedpublickey0123"

# name=secret pairs a client sends in the query string, the form or the JSON body.
QUERY_SECRETS = {
    "password": "planted-query-password",
    "email": "planted.query@example.com",
    "access_token": "planted-query-access-token",
    "api_key": "planted-query-api-key",
    # Harmless names: the value gives them away, percent-encoded in the query string.
    "next": "/account?token=planted-query-next-token",
    "to": "planted.query.to@example.com",
}
BODY_SECRETS = {
    "refresh_token": "planted-body-refresh-token",
    "client_secret": "planted-body-client-secret",
    "secret_key": "planted-body-secret-key",
    "user_password": "planted-body-user-password",
    "pwd": "planted-body-pwd",
    "new_pass": "planted-body-new-pass",
    "emailAddress": "planted.body@example.com",
    "csrfmiddlewaretoken": "planted-body-csrf-token",
}
HEADER_SECRETS = {
    "Authorization": "Bearer planted-header-authorization",
    "Cookie": "sessionid=planted-header-cookie",
    "X-Auth-Token": "planted-header-x-auth-token",
    "X-Access-Token": "planted-header-x-access-token",
    "X-Api-Key": "planted-header-x-api-key",
    "Referer": "https://app.example.com/reset?token=planted-header-referer-token&step=2",
    "Forwarded": "for=198.51.100.17;proto=https",
    "X-Forwarded-For": "198.51.100.18",
    "X-Real-IP": "198.51.100.19",
    "True-Client-IP": "198.51.100.20",
    "CF-Connecting-IP": "198.51.100.21",
}
HEADER_LEAKS = [
    "planted-header-authorization",
    "planted-header-cookie",
    "planted-header-x-auth-token",
    "planted-header-x-access-token",
    "planted-header-x-api-key",
    "planted-header-referer-token",
    *(f"198.51.100.{n}" for n in range(17, 22)),
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


@csrf_exempt
def failing_view(request):
    signing = settings.SECRET_KEY  # noqa: F841 (a local under a harmless name)
    database = f"postgres://app:{PROJECT_SECRETS['DATABASE_PASSWORD_IN_URL']}@db.internal/app"  # noqa: F841
    mirror = f"https://mirror:{CODE_SECRETS['url']}@files.example.com/pkg"  # noqa: F841
    recipient_list = [CODE_SECRETS["recipient"]]  # noqa: F841 (an address under a harmless name)
    control_variable = "control-variable-value"  # noqa: F841
    sentry_sdk.set_extra("refresh_token", CODE_SECRETS["extra"])
    sentry_sdk.set_extra("control_extra", "control-extra-value")
    sentry_sdk.set_context("payment", {"client_secret": CODE_SECRETS["context"], "amount": "42.00"})
    sentry_sdk.set_tag("session", CODE_SECRETS["tag"])
    sentry_sdk.set_tag("plan", "control-tag-value")
    sentry_sdk.add_breadcrumb(
        message="called upstream", data={"api_key": CODE_SECRETS["breadcrumb"], "page": 3}
    )
    logger.info("login attempt with password=%s for control-log-user", CODE_SECRETS["log"])
    raise RuntimeError(f"payments refused token {PROJECT_SECRETS['PAYMENTS_API_TOKEN']} for control-order")


def harmless_view(request):
    return HttpResponse("ok")


urlpatterns = [path("fail/", failing_view), path("ok/", harmless_view)]


@pytest.fixture
def client(settings, module_client):
    settings.SECRET_KEY = PROJECT_SECRETS["SECRET_KEY"]
    return module_client


@pytest.fixture
def transport(start_sentry, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", PROJECT_SECRETS["SECRET_KEY"])
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://app:{urllib.parse.quote(PROJECT_SECRETS['DATABASE_PASSWORD_IN_URL'])}@db/app",
    )
    monkeypatch.setenv("PAYMENTS_API_TOKEN", PROJECT_SECRETS["PAYMENTS_API_TOKEN"])
    return start_sentry(SENTRY_DSN=f"https://{DSN_KEY}@sentry.invalid/42")


def fail_with_everything_planted(client, body_kind):
    query = urllib.parse.urlencode({**QUERY_SECRETS, "page": "control-query-page"})
    body = {**BODY_SECRETS, "note": "control-body-note"}
    headers = {**HEADER_SECRETS, "X-Client-Version": "control-header-ios-4.2"}
    if body_kind == "json":
        status, _ = client.post(
            f"/fail/?{query}", json.dumps(body), content_type="application/json", headers=headers
        )
    else:
        status, _ = client.post(f"/fail/?{query}", body, headers=headers)
    assert status == 500


@pytest.mark.django_db
@pytest.mark.parametrize("body_kind", ["json", "form"])
def test_no_planted_secret_is_sent_and_every_control_is(transport, client, body_kind):
    fail_with_everything_planted(client, body_kind)

    [event] = transport.events
    sent = json.dumps(transport.events)
    planted = [
        *PROJECT_SECRETS.values(),
        DSN_KEY,
        *QUERY_SECRETS.values(),
        *BODY_SECRETS.values(),
        *HEADER_LEAKS,
        *CODE_SECRETS.values(),
    ]
    planted += [urllib.parse.quote_plus(secret) for secret in planted]  # as a query string holds them
    assert [secret for secret in planted if secret in sent] == []
    assert [secret for secret in planted if secret.encode() in transport.sent_bytes] == []

    request = event["request"]
    assert "page=control-query-page" in request["query_string"]
    assert request["data"]["note"] == "control-body-note"
    assert request["data"]["refresh_token"] == "[Filtered]"  # the field is kept, its value is not
    assert request["headers"]["X-Client-Version"] == "control-header-ios-4.2"
    assert "step=2" in request["headers"]["Referer"]
    assert not {"Forwarded", "X-Forwarded-For", "X-Real-Ip", "True-Client-Ip", "Cf-Connecting-Ip"} & set(
        request["headers"]
    )
    view_frame = event["exception"]["values"][0]["stacktrace"]["frames"][-1]
    assert view_frame["abs_path"] == __file__
    assert view_frame["vars"]["control_variable"] == "'control-variable-value'"
    assert "db.internal/app" in view_frame["vars"]["database"]
    assert "control-order" in event["exception"]["values"][0]["value"]
    assert event["extra"]["control_extra"] == "control-extra-value"
    assert event["contexts"]["payment"]["amount"] == "42.00"
    assert event["tags"]["plan"] == "control-tag-value"
    breadcrumbs = event["breadcrumbs"]["values"]
    assert any(crumb.get("data", {}).get("page") == 3 for crumb in breadcrumbs)
    assert any("control-log-user" in (crumb.get("message") or "") for crumb in breadcrumbs)


@pytest.mark.django_db
def test_a_request_among_frame_variables_does_not_carry_its_query_string(transport, client):
    fail_with_everything_planted(client, "json")

    frames = transport.events[0]["exception"]["values"][0]["stacktrace"]["frames"]
    assert frames[-1]["vars"]["request"] == "<WSGIRequest: POST '/fail/'>"


@pytest.mark.django_db
def test_client_addresses_and_personal_fields_are_sent_once_personal_data_is_on(start_sentry, client):
    transport = start_sentry(SENTRY_SEND_PERSONAL_DATA="true")

    fail_with_everything_planted(client, "json")

    [event] = transport.events
    assert event["request"]["headers"]["X-Real-Ip"] == "198.51.100.19"
    assert event["request"]["data"]["emailAddress"] == "planted.body@example.com"
    # Credentials stay out whatever the setting.
    assert event["request"]["data"]["user_password"] == "[Filtered]"
    assert b"planted-header-authorization" not in transport.sent_bytes


@pytest.mark.django_db
def test_a_traced_request_is_scrubbed_too(start_sentry, client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    client.get("/ok/", {"access_token": "planted-traced-token", "page": "control-traced-page"})

    [trace] = transport.items("transaction")
    assert b"planted-traced-token" not in transport.sent_bytes
    assert "control-traced-page" in json.dumps(trace)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("password", "credential"),
        ("userPassword", "credential"),
        ("X-Auth-Token", "credential"),
        ("csrfmiddlewaretoken", "credential"),
        ("new_pass", "credential"),
        ("api_key", "credential"),
        ("PHPSESSID", "credential"),
        ("emailAddress", "personal"),
        ("ip_address", "personal"),
        ("HTTP_CF_CONNECTING_IP", "personal"),
        ("HTTP_FORWARDED", "personal"),
        # Controls: the short parts only count as whole parts.
        ("monkey", None),
        ("compass", None),
        ("author", None),
        ("page", None),
    ],
)
def test_field_names_are_matched_by_their_parts(name, kind):
    assert name_kind(name) == kind


@pytest.mark.parametrize(
    "url, masked",
    [
        ("postgres://app:s3cr/et@db/app", "postgres://app:[Filtered]@db/app"),
        ("postgres://app:p@ss:w0rd@db:5432/app", "postgres://app:[Filtered]@db:5432/app"),
        ("redis://:only-password@cache:6379/0", "redis://:[Filtered]@cache:6379/0"),
        ("mysql//pg:typo-password@db", "mysql//pg:[Filtered]@db"),
        ("https://example.com:8443/path", "https://example.com:8443/path"),
    ],
)
def test_a_password_in_any_url_is_masked_whole(url, masked):
    assert mask_url_passwords(url) == masked


def test_a_secret_is_replaced_inside_any_string():
    scrub = PrivacyFilter(["planted-secret-value"])

    event = scrub({"message": "x planted-secret-value y", "extra": {"note": ["aplanted-secret-valueb"]}}, {})

    assert event == {"message": "x [Filtered] y", "extra": {"note": ["a[Filtered]b"]}}


@pytest.mark.parametrize("personal_data", [False, True])
def test_an_email_address_goes_from_any_string_unless_personal_data_is_on(personal_data):
    scrub = PrivacyFilter([], personal_data=personal_data)

    event = scrub({"extra": {"recipients": "['ada@mail.example.com', 'control-name']"}}, {})

    address = "ada@mail.example.com" if personal_data else "[Filtered]"
    assert event == {"extra": {"recipients": f"['{address}', 'control-name']"}}


def test_a_percent_encoded_value_goes_when_its_decoding_would():
    scrub = PrivacyFilter([])
    query = "next=%2Fa%3Ftoken%3Dplanted&back=%252F%253Fkey%253Dplanted&to=ada%40example.com&page=control-2"

    event = scrub({"query_string": query, "url": "/users/ada%40example.com/"}, {})

    assert event == {
        "query_string": "next=[Filtered]&back=[Filtered]&to=[Filtered]&page=control-2",
        "url": "/users/[Filtered]/",
    }


def test_values_encoded_inside_each_other_are_decoded_a_bounded_number_of_times():
    # Each level hides the next from both pair rules: decoding them all, each time
    # through both rules, would double the work per level.
    nested = "'a':(c=%z"
    for _ in range(40):
        nested = "'a':(c=" + nested.replace("%", "%25").replace("'", "%27")
    deep = "?q=" + "(a=" * 1300 + "%"
    scrub = PrivacyFilter([])

    event = scrub({"extra": {"nested": nested, "deep": deep, "note": "control"}}, {})

    assert event == {"extra": {"nested": nested, "deep": deep, "note": "control"}}


def test_the_pairs_inside_a_nested_repr_are_scrubbed_and_a_secret_list_goes_whole():
    scrub = PrivacyFilter([])
    text = (
        "{'kwargs': {'api_token': 'planted', 'page': 'control'}, 'tokens': ['planted-1'], 'passwords': {'x'}}"
    )

    event = scrub({"vars": {"request": text}}, {})

    kwargs = "'kwargs': {'api_token': '[Filtered]', 'page': 'control'}"
    assert event == {"vars": {"request": "{" + kwargs + ", 'tokens': [Filtered], 'passwords': [Filtered]}"}}
