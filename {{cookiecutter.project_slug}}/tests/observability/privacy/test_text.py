"""observability/privacy/text.py: credentials written into text go, the rest stays."""

import logging

import pytest
from django.urls import path

from core.env import mask_url_passwords
from tests.observability.privacy.planted import scrubber


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
            "'activate_url': 'https://app.example.com/account/verify-email/MQ%3A1xaQnr%3A7NbgTudB0Qv4ps4Gzt'",
            "'activate_url': 'https://app.example.com/account/verify-email/[Filtered]'",
        ),
        (
            "GET https://app.example.com:8443/account/verify-email/MQ:1xaQnr:7NbgTudB0Qv4ps4Gzt?page=2",
            "GET https://app.example.com:8443/account/verify-email/[Filtered]?page=2",
        ),
        (
            "cached_db :1:django.contrib.sessions.cached_dbplantedkey0123",
            "cached_db :1:django.contrib.sessions.cached_db[Filtered]",
        ),
    ],
)
def test_credentials_written_into_text_go_and_the_rest_stays(text, scrubbed):
    assert scrubber()({"extra": {"text": text}}, {}) == {"extra": {"text": scrubbed}}


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


@pytest.mark.parametrize(
    "text, scrubbed",
    [
        (
            "bad settings: password = 'planted-spaced-quoted', page = 'control-page'",
            "bad settings: password = '[Filtered]', page = 'control-page'",
        ),
        ('failed: api_key = "planted-double" page = 2', 'failed: api_key = "[Filtered]" page = 2'),
        ("Error: password=planted-after-colon, page=2", "Error: password=[Filtered], page=2"),
        ("refused: PASSWORD 'planted-sql-after-colon' LOGIN", "refused: PASSWORD '[Filtered]' LOGIN"),
        ("x = token = planted-chained", "x = token = [Filtered]"),
        (
            "fetching https://h.example/?token=planted-url-first now",
            "fetching https://h.example/?token=[Filtered] now",
        ),
        # Controls: a harmless pair after a colon, and a colon's credential value.
        ("bad settings: status = 'control-status'", "bad settings: status = 'control-status'"),
        ("sent token: planted-first = control", "sent token: [Filtered] = control"),
    ],
)
def test_a_pair_written_after_a_name_and_a_colon_is_still_a_pair(text, scrubbed):
    assert scrubber()({"extra": {"text": text}}, {}) == {"extra": {"text": scrubbed}}
    span = scrubber().span({"name": text, "attributes": {"db.query.text": text}}, {})
    assert span == {"name": scrubbed, "attributes": {"db.query.text": scrubbed}}


# Far from the view's lines: the event carries the source lines around each frame's line.
SPACED_PASSWORD = "planted-spaced-password"
logger = logging.getLogger("ops")


def settings_view(request):
    message = f"bad settings: password = '{SPACED_PASSWORD}', page = 'control-page'"
    logger.warning(message)
    raise ValueError(message)


urlpatterns = [path("settings/", settings_view)]


@pytest.mark.django_db
def test_a_spaced_quoted_password_in_an_exception_message_or_a_log_is_not_sent(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="WARNING")

    wsgi_client.get("/settings/")

    # The warning is an event too (SENTRY_LOG_EVENT_LEVEL), then the error.
    [warning, error] = transport.events
    sent = "bad settings: password = '[Filtered]', page = 'control-page'"
    assert SPACED_PASSWORD.encode() not in transport.sent_bytes
    assert warning["logentry"]["formatted"] == sent
    assert error["exception"]["values"][0]["value"] == sent
    assert transport.logs[0]["body"] == sent
