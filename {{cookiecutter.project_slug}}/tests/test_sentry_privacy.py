"""core.allowlists and core.privacy against a hostile client: secrets planted in every
part of a request, of the environment and of the code that fails, each next to a
harmless control value. The secrets must not be in what the SDK hands its transport;
the controls must be."""

import base64
import json
import logging
import urllib.parse

import pytest
import sentry_sdk
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from core.env import mask_url_passwords
from observability.privacy.allowlists import allowlists_from_environment
from observability.privacy.filter import PrivacyFilter, looks_like_credential, name_kind, project_secrets

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


@pytest.fixture
def client(settings, wsgi_client):
    settings.SECRET_KEY = PROJECT_SECRETS["SECRET_KEY"]
    return wsgi_client


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


@pytest.mark.django_db
@pytest.mark.parametrize("body_kind", ["json", "form"])
def test_no_planted_secret_is_sent_and_every_control_is(transport, client, body_kind):
    fail_with_everything_planted(client, body_kind)

    [event] = transport.events
    assert leaks(transport) == []

    request = event["request"]
    assert "page=control-query-page" in request["query_string"]
    assert "status=[Filtered]" in request["query_string"]  # a name no list allows keeps only its name
    assert request["data"]["note"] == "[Filtered]"  # body fields keep their names
    assert request["headers"]["User-Agent"] == "control-agent/4.2"
    assert request["headers"]["X-Client-Version"] == "[Filtered]"
    assert "page=control-referer-page" in request["headers"]["Referer"]
    view_frame = event["exception"]["values"][0]["stacktrace"]["frames"][-1]
    assert view_frame["abs_path"] == __file__
    assert view_frame["vars"]["control_variable"] == "'control-variable-value'"
    assert all(value in json.dumps(view_frame["vars"]["harmless"]) for value in HARMLESS_ENVIRONMENT.values())
    assert "db.internal/app" in view_frame["vars"]["database"]
    assert "control-order" in event["exception"]["values"][0]["value"]
    assert event["extra"]["control_extra"] == "control-extra-value"
    assert event["contexts"]["payment"]["amount"] == "42.00"
    assert event["tags"]["plan"] == "control-tag-value"
    breadcrumbs = event["breadcrumbs"]["values"]
    assert any(crumb.get("data", {}).get("page") == 3 for crumb in breadcrumbs)
    assert any("control-log-user" in (crumb.get("message") or "") for crumb in breadcrumbs)
    assert any("in eu-west-1" in (crumb.get("message") or "") for crumb in breadcrumbs)


@pytest.mark.django_db
@pytest.mark.parametrize("allowed", [False, True])
def test_a_project_allows_more_names_in_one_variable_each(start_sentry, plant_environment, client, allowed):
    variables = {
        "SENTRY_ALLOWED_HEADERS": "X-Client-Version",
        "SENTRY_ALLOWED_QUERY_PARAMETERS": "status",
        "SENTRY_ALLOWED_BODY_FIELDS": "note",
    }
    transport = start_sentry(**(variables if allowed else {}))

    fail_with_everything_planted(client, "json")

    request = transport.events[0]["request"]
    sent = (
        request["headers"]["X-Client-Version"],
        "status=control-status" in request["query_string"],
        request["data"]["note"],
    )
    if allowed:
        assert sent == ("planted-header-unlisted-custom", True, "planted-body-free-text")
    else:
        assert sent == ("[Filtered]", False, "[Filtered]")
    # An allowed name is still judged by the rules: a credential's name never lets it through.
    assert request["data"]["passwort"] == "[Filtered]"


@pytest.mark.django_db
@pytest.mark.parametrize("library_variables", [False, True])
def test_only_the_projects_own_frames_keep_their_variables(start_sentry, client, library_variables):
    transport = start_sentry(SENTRY_LIBRARY_FRAME_VARIABLES=str(library_variables).lower())

    fail_with_everything_planted(client, "form", path="/library/")

    frames = transport.events[0]["exception"]["values"][0]["stacktrace"]["frames"]
    [view_frame] = [frame for frame in frames if frame["function"] == "library_failing_view"]
    library_frames = [frame for frame in frames if frame["module"].startswith("json.")]
    assert view_frame["vars"]["control_variable"] == "'control-variable-value'"
    assert library_frames and all(frame.get("context_line") for frame in library_frames)
    with_variables = [frame for frame in library_frames if "vars" in frame]
    assert bool(with_variables) == library_variables
    assert CODE_SECRETS["log"].encode() not in transport.sent_bytes  # the value rules hold either way
    if library_variables:
        assert b"control-library-note" in transport.sent_bytes


@pytest.mark.django_db
def test_a_request_among_frame_variables_does_not_carry_its_query_string(transport, client):
    fail_with_everything_planted(client, "json")

    frames = transport.events[0]["exception"]["values"][0]["stacktrace"]["frames"]
    assert frames[-1]["vars"]["request"] == "<WSGIRequest: POST '/fail/'>"


@pytest.mark.django_db
def test_personal_data_is_sent_once_personal_data_is_on(start_sentry, client):
    transport = start_sentry(SENTRY_SEND_PERSONAL_DATA="true")

    fail_with_everything_planted(client, "json")

    [event] = transport.events
    assert event["exception"]["values"][0]["stacktrace"]["frames"][-1]["vars"]["recipient_list"] == [
        f"'{CODE_SECRETS['recipient']}'"
    ]
    # Credentials and values no list allows stay out whatever the setting.
    assert event["request"]["data"]["mobile"] == "[Filtered]"
    assert event["extra"]["refresh_token"] == "[Filtered]"
    assert b"planted-header-authorization" not in transport.sent_bytes


@pytest.mark.django_db
def test_a_traced_request_is_scrubbed_too(start_sentry, plant_environment, client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")
    query = {"access_token": "planted-traced-token", "page": "control-traced-page"}

    client.get("/ok/", query, headers={**HEADER_SECRETS, "User-Agent": "control-agent/4.2"})

    [trace] = transport.segments()
    attributes = trace["attributes"]
    assert leaks(transport) == []
    assert "page=control-traced-page" in attributes["http.query"]
    assert "access_token=" in attributes["url.full"]
    # sentry-sdk 3 sends a header's values as a list.
    assert attributes["http.request.header.user-agent"] in ("control-agent/4.2", ["control-agent/4.2"])
    assert attributes["http.request.header.x-client-version"] == "[Filtered]"
    assert "process.command_args" not in attributes


@pytest.mark.parametrize(
    "name, kind",
    [
        ("password", "credential"),
        ("userPassword", "credential"),
        ("passwort", "credential"),
        ("X-Auth-Token", "credential"),
        ("csrfmiddlewaretoken", "credential"),
        ("new_pass", "credential"),
        ("api_key", "credential"),
        ("MASTERKEY", "credential"),
        ("STRIPE_SK", "credential"),
        ("SMTP_PW", "credential"),
        ("SLACK_WEBHOOK", "credential"),
        ("PHPSESSID", "credential"),
        ("card_no", "credential"),
        ("SAMLResponse", "credential"),
        ("emailAddress", "personal"),
        ("ip_address", "personal"),
        ("msisdn", "personal"),
        ("date_of_birth", "personal"),
        ("passportNumber", "personal"),
        ("HTTP_CF_CONNECTING_IP", "personal"),
        # Controls: the short parts only count as whole parts.
        ("compass", None),
        ("spinner", None),
        ("author", None),
        ("page", None),
    ],
)
def test_field_names_are_matched_by_their_parts(name, kind):
    assert name_kind(name) == kind


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


def scrubber(secrets=(), personal_data=False):
    return PrivacyFilter(list(secrets), allowlists_from_environment(), personal_data=personal_data)


def test_a_secret_is_replaced_inside_any_string():
    scrub = scrubber(["planted-secret-value"])

    event = scrub({"message": "x planted-secret-value y", "extra": {"note": ["aplanted-secret-valueb"]}}, {})

    assert event == {"message": "x [Filtered] y", "extra": {"note": ["a[Filtered]b"]}}


LONG_VALUE = "planted-" + "x" * 300


@pytest.mark.parametrize(
    "text, scrubbed",
    [
        ("password = planted-spaced and page = 2", "password = [Filtered] and page = 2"),
        ("failed, password : planted-colon, page: 2", "failed, password : [Filtered], page: 2"),
        ("Authorization: Basic cGxhbnRlZDpiYXNpYw==\nAccept: */*", "Authorization: [Filtered]\nAccept: */*"),
        ("sent Bearer planted.jwt.value-123 to control-host", "sent Bearer [Filtered] to control-host"),
        ('WWW: Digest username="ada", response="planted"', "WWW: Digest [Filtered]"),
        (
            "db:\n  api_token: planted-yaml\n  host: control-host",
            "db:\n  api_token: [Filtered]\n  host: control-host",
        ),
        (
            "<user><password>planted-xml</password><id>7</id></user>",
            "<user><password>[Filtered]</password><id>7</id></user>",
        ),
        ("SET password = 'planted-sql'; SELECT 1", "SET password = '[Filtered]'; SELECT 1"),
        (
            "CREATE USER app WITH PASSWORD 'planted-sql2' LOGIN",
            "CREATE USER app WITH PASSWORD '[Filtered]' LOGIN",
        ),
        (f"token='{LONG_VALUE}' page='2'", "token='[Filtered]' page='2'"),
        ("token='planted-cut-short", "token='[Filtered]"),
        ("[('password', 'planted-tuple'), ('page', '2')]", "[('password', '[Filtered]'), ('page', '2')]"),
        (
            "[{'name': 'token', 'value': 'planted-record'}, {'name': 'page', 'value': '2'}]",
            "[{'name': 'token', 'value': '[Filtered]'}, {'name': 'page', 'value': '2'}]",
        ),
        ("{'query': 'page=2&token=planted-nested'}", "{'query': 'page=2&token=[Filtered]'}"),
        (
            "GET :1:django.contrib.sessions.cacheplantedsessionkey0123456789ab",
            "GET :1:django.contrib.sessions.cache[Filtered]",
        ),
        (
            "cached_db :1:django.contrib.sessions.cached_dbplantedkey0123",
            "cached_db :1:django.contrib.sessions.cached_db[Filtered]",
        ),
    ],
)
def test_credentials_written_into_text_go_and_the_rest_stays(text, scrubbed):
    assert scrubber()({"extra": {"text": text}}, {}) == {"extra": {"text": scrubbed}}


def test_pairs_written_as_records_tuples_and_dict_keys_are_scrubbed():
    scrub = scrubber(["planted-dict-entry-9X"])
    event = {
        "extra": {
            "headers": [
                {"name": "Authorization", "value": "planted-record"},
                {"name": "Accept", "value": "*/*"},
            ],
            "form": [["password", "planted-tuple-pair"], ["page", "2"], ["token", True]],
            "by_address": {"ada@example.com": 1, "page": 4},
            "by_value": {"planted-dict-entry-9X": 2, "https://u:planted-url@h/": 3},
        }
    }

    assert scrub(event, {}) == {
        "extra": {
            "headers": [{"name": "Authorization", "value": "[Filtered]"}, {"name": "Accept", "value": "*/*"}],
            "form": [["password", "[Filtered]"], ["page", "2"], ["token", True]],
            "by_address": {"[Filtered]": 1, "page": 4},
            "by_value": {"[Filtered]": 2, "https://u:[Filtered]@h/": 3},
        }
    }


@pytest.mark.parametrize("personal_data", [False, True])
def test_an_email_address_goes_from_any_string_unless_personal_data_is_on(personal_data):
    scrub = scrubber(personal_data=personal_data)

    event = scrub({"extra": {"recipients": "['ada@mail.example.com', 'control-name']"}}, {})

    address = "ada@mail.example.com" if personal_data else "[Filtered]"
    assert event == {"extra": {"recipients": f"['{address}', 'control-name']"}}


def test_a_percent_encoded_value_goes_when_its_decoding_would():
    scrub = scrubber()
    query = "next=%2Fa%3Ftoken%3Dplanted&back=%252F%253Fkey%253Dplanted&to=ada%40example.com&page=control-2"

    event = scrub({"extra": {"query": query, "url": "/users/ada%40example.com/"}}, {})

    assert event == {
        "extra": {
            "query": "next=[Filtered]&back=[Filtered]&to=[Filtered]&page=control-2",
            "url": "/users/[Filtered]/",
        }
    }


def test_values_encoded_inside_each_other_are_decoded_a_bounded_number_of_times():
    # Each level hides the next from both pair rules: decoding them all, each time
    # through both rules, would double the work per level.
    nested = "'a':(c=%z"
    for _ in range(40):
        nested = "'a':(c=" + nested.replace("%", "%25").replace("'", "%27")
    deep = "?q=" + "(a=" * 1300 + "%"
    scrub = scrubber()

    event = scrub({"extra": {"nested": nested, "deep": deep, "note": "control"}}, {})

    assert event["extra"]["note"] == "control"
    assert event["extra"]["nested"] == nested


def test_a_long_string_is_cut_before_any_rule_reads_it():
    scrub = scrubber()

    event = scrub({"extra": {"long": "[" * 100_000, "short": "control"}}, {})

    assert len(event["extra"]["long"]) <= 4096 and event["extra"]["short"] == "control"


def test_the_pairs_inside_a_nested_repr_are_scrubbed_and_a_secret_list_goes_whole():
    scrub = scrubber()
    text = (
        "{'kwargs': {'api_token': 'planted', 'page': 'control'}, 'tokens': ['planted-1'], 'passwords': {'x'}}"
    )

    event = scrub({"vars": {"request": text}}, {})

    kwargs = "'kwargs': {'api_token': '[Filtered]', 'page': 'control'}"
    assert event == {"vars": {"request": "{" + kwargs + ", 'tokens': [Filtered], 'passwords': [Filtered]}"}}


def test_a_span_keeps_allowed_headers_and_query_values_only():
    span = {
        "name": "GET :1:django.contrib.sessions.cacheplantedsessionkey0123456789ab",
        "attributes": {
            "http.request.header.user-agent": "control-agent",
            "http.request.header.x-amzn-oidc-data": "planted-claims",
            "http.query": "page=2&code=planted-code",
            "url.full": "https://api.example.com/x?page=2&code=planted-code#planted-fragment",
            "process.command_args": ["gunicorn", "--password", "planted-argv"],
            "sentry.op": "cache.get",
        },
    }

    sent = scrubber().span(span, {})

    assert sent == {
        "name": "GET :1:django.contrib.sessions.cache[Filtered]",
        "attributes": {
            "http.request.header.user-agent": "control-agent",
            "http.request.header.x-amzn-oidc-data": "[Filtered]",
            "http.query": "page=2&code=[Filtered]",
            "url.full": "https://api.example.com/x?page=2&code=[Filtered]#[Filtered]",
            "sentry.op": "cache.get",
        },
    }


@csrf_exempt
def holding_view(request):
    form = request.POST  # noqa: F841 (what a view holds while it works)
    payload = json.loads(request.body or "{}") if request.content_type == "application/json" else {}  # noqa: F841
    raise ValueError(
        f"could not create an account for {request.POST.get('full_name') or payload.get('full_name')}"
    )


def path_view(request, uid, token):
    raise ValueError("the link failed")


urlpatterns += [path("hold/", holding_view), path("reset/<uid>/<token>/", path_view)]


@pytest.mark.django_db
@pytest.mark.parametrize("body_kind", ["json", "form"])
def test_what_the_allowlists_withhold_is_not_sent_from_the_projects_own_variables(
    start_sentry, client, body_kind
):
    transport = start_sentry(SENTRY_ALLOWED_BODY_FIELDS="quantity")
    body = {
        "full_name": "Planted Lovelace",
        "address": "221B Planted Street",
        "quantity": "control-quantity-3",
    }

    if body_kind == "json":
        client.post("/hold/", json.dumps(body), content_type="application/json")
    else:
        client.post("/hold/", body)

    [event] = transport.events
    sent = transport.sent_bytes
    assert b"Planted Lovelace" not in sent and b"221B Planted Street" not in sent
    assert b"control-quantity-3" in sent
    assert event["exception"]["values"][0]["value"] == "could not create an account for [Filtered]"


@pytest.mark.django_db
def test_a_token_in_a_url_path_is_not_sent(start_sentry, client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    client.get(
        "/reset/MjQ/cxk7ab-1f2a3b4c5d6e7f8a/",
        headers={"Referer": "https://app.example.com/reset/MjQ/cxk7ab-1f2a3b4c5d6e7f8a/"},
    )

    [event] = transport.events
    assert b"1f2a3b4c5d6e7f8a" not in transport.sent_bytes
    assert event["request"]["url"].endswith("/reset/MjQ/[Filtered]/")
    assert transport.segments()[0]["attributes"]["url.path"] == "/reset/MjQ/[Filtered]/"


@pytest.mark.django_db
def test_a_token_as_a_query_item_of_its_own_is_not_sent(start_sentry, client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    client.get("/reset/MjQ/x/?Kq8vN2mZ0pLw7rTx&debug&page=2")

    [event] = transport.events
    assert b"Kq8vN2mZ0pLw7rTx" not in transport.sent_bytes
    assert event["request"]["query_string"] == "[Filtered]&debug=[Filtered]&page=2"
    assert transport.segments()[0]["attributes"]["http.query"] == "[Filtered]&debug=[Filtered]&page=2"


def test_an_event_holding_too_much_text_keeps_its_request_and_leaves_out_the_rest():
    event = {
        "exception": {
            "values": [
                {
                    "stacktrace": {
                        "frames": [{"in_app": True, "vars": {f"v{n}": "x" * 4000 for n in range(100)}}]
                    }
                }
            ]
        },
        "request": {"url": "https://api.example.com/orders/", "headers": {"User-Agent": "control-agent"}},
    }

    sent = scrubber()(event, {})

    assert sent["request"]["headers"]["User-Agent"] == "control-agent"
    assert len(json.dumps(sent)) < 40_000


@pytest.mark.parametrize(
    "text, scrubbed",
    [
        ("{'api_token': b'planted-bytes-token'}", "{'api_token': b'[Filtered]'}"),
        ("password = r'planted-raw' and page = 2", "password = r'[Filtered]' and page = 2"),
        ('{"password": "ab\\"planted-after-quote", "page": 2}', '{"password": "[Filtered]", "page": 2}'),
        (
            "paid with 4111 1111 1111 1111 for order 1234567812345678",
            "paid with [Filtered] for order 1234567812345678",
        ),
        ("built with react@18.2.0 for ada@example.com", "built with react@18.2.0 for [Filtered]"),
        (
            "failed for <WSGIRequest: GET '/orders/?voucher=planted-voucher&page=2'>",
            "failed for <WSGIRequest: GET '/orders/?voucher=[Filtered]&page=2'>",
        ),
        (
            '<ASGIRequest: POST "/o/?code=planted-code&ordering=-id">',
            '<ASGIRequest: POST "/o/?code=[Filtered]&ordering=-id">',
        ),
        (
            "profile d0c021d09978492392871a41313a370f, card 4111 1111 1111 1111",
            "profile d0c021d09978492392871a41313a370f, card [Filtered]",
        ),
    ],
)
def test_more_shapes_of_credentials_in_text(text, scrubbed):
    assert scrubber()({"extra": {"text": text}}, {}) == {"extra": {"text": scrubbed}}


def test_a_secret_across_the_cut_is_taken_out_before_it_is_cut():
    secret = "Qm7vR2kP9xLw4Tz8"
    text = "x" * 4085 + secret

    forms = project_secrets({"WIDGET_FACTOR": secret}, frozenset())
    sent = scrubber(forms)({"extra": {"text": text, "hex": secret.encode().hex().upper()}}, {})

    assert "Qm7vR2k" not in sent["extra"]["text"] and sent["extra"]["text"].startswith("xxx")
    assert sent["extra"]["hex"] == "[Filtered]"


def test_flags_and_counters_are_not_taken_for_credentials():
    event = {
        "extra": {"mfa_required": True, "password": "planted"},
        "attributes": {"gen_ai.usage.input_tokens": 42},
    }

    assert scrubber()(event, {}) == {
        "extra": {"mfa_required": True, "password": "[Filtered]"},
        "attributes": {"gen_ai.usage.input_tokens": 42},
    }


def test_a_long_url_keeps_its_query_filtered():
    url = "http://h/" + "a" * 1100 + "?code=planted&page=2"

    sent = scrubber().span({"name": "GET " + url, "attributes": {"url.full": url}}, {})

    assert "planted" not in json.dumps(sent)
