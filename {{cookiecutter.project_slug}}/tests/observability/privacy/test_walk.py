"""observability/privacy/walk.py: every part of an event, a span and a log is read, with
a budget; the project's own frames keep their variables, a library's do not."""

import json

import pytest
import sentry_sdk
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from tests.observability.privacy import planted
from tests.observability.privacy.planted import (
    CODE_SECRETS,
    HARMLESS_ENVIRONMENT,
    HEADER_SECRETS,
    fail_with_everything_planted,
    leaks,
    scrubber,
)


@pytest.mark.django_db
@pytest.mark.parametrize("body_kind", ["json", "form"])
def test_no_planted_secret_is_sent_and_every_control_is(transport, wsgi_client, body_kind):
    fail_with_everything_planted(wsgi_client, body_kind)

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
    assert view_frame["abs_path"] == planted.__file__
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
@pytest.mark.parametrize("library_variables", [False, True])
def test_only_the_projects_own_frames_keep_their_variables(start_sentry, wsgi_client, library_variables):
    transport = start_sentry(SENTRY_LIBRARY_FRAME_VARIABLES=str(library_variables).lower())

    fail_with_everything_planted(wsgi_client, "form", path="/library/")

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
def test_a_request_among_frame_variables_does_not_carry_its_query_string(transport, wsgi_client):
    fail_with_everything_planted(wsgi_client, "json")

    frames = transport.events[0]["exception"]["values"][0]["stacktrace"]["frames"]
    assert frames[-1]["vars"]["request"] == "<WSGIRequest: POST '/fail/'>"


@pytest.mark.django_db
def test_personal_data_is_sent_once_personal_data_is_on(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_SEND_PERSONAL_DATA="true")

    fail_with_everything_planted(wsgi_client, "json")

    [event] = transport.events
    assert event["exception"]["values"][0]["stacktrace"]["frames"][-1]["vars"]["recipient_list"] == [
        f"'{CODE_SECRETS['recipient']}'"
    ]
    # Credentials and values no list allows stay out whatever the setting.
    assert event["request"]["data"]["mobile"] == "[Filtered]"
    assert event["extra"]["refresh_token"] == "[Filtered]"
    assert b"planted-header-authorization" not in transport.sent_bytes


@pytest.mark.django_db
def test_a_traced_request_is_scrubbed_too(start_sentry, plant_environment, wsgi_client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")
    query = {"access_token": "planted-traced-token", "page": "control-traced-page"}

    wsgi_client.get("/ok/", query, headers={**HEADER_SECRETS, "User-Agent": "control-agent/4.2"})

    [trace] = transport.segments()
    attributes = trace["attributes"]
    assert leaks(transport) == []
    assert "page=control-traced-page" in attributes["http.query"]
    assert "access_token=" in attributes["url.full"]
    # sentry-sdk 3 sends a header's values as a list.
    assert attributes["http.request.header.user-agent"] in ("control-agent/4.2", ["control-agent/4.2"])
    assert attributes["http.request.header.x-client-version"] == "[Filtered]"
    assert "process.command_args" not in attributes


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


def test_flags_and_counters_are_not_taken_for_credentials():
    event = {
        "extra": {"mfa_required": True, "password": "planted"},
        "attributes": {"gen_ai.usage.input_tokens": 42},
    }

    assert scrubber()(event, {}) == {
        "extra": {"mfa_required": True, "password": "[Filtered]"},
        "attributes": {"gen_ai.usage.input_tokens": 42},
    }


def planting_view(request, where):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'planted-span-secret-0123456789abcdef', 'ada@example.com', 'control-value'")
        cursor.fetchall()
    with sentry_sdk.traces.start_span(
        name="app work",
        attributes={
            "app.note": "password=planted-span-pw control=ok",
            "app.password": "planted-attr",
            "app.count": 7,
        },
    ):
        pass
    return HttpResponse("ok")


urlpatterns = [*planted.urlpatterns, path("plant/<str:where>/", planting_view)]


@pytest.mark.django_db
def test_no_planted_value_reaches_a_span_however_often_it_comes_back(start_sentry, monkeypatch, wsgi_client):
    monkeypatch.setenv("PAYMENT_API_KEY", "planted-span-secret-0123456789abcdef")
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    for _ in range(3):  # the same attributes again: a remembered outcome must hold too
        wsgi_client.get("/plant/ada@example.com/?code=planted-code&page=2")

    sent = json.dumps(transport.spans)
    assert len(transport.segments()) == 3
    for value in (
        "planted-span-secret",
        "ada@example.com",
        "planted-span-pw",
        "planted-attr",
        "planted-code",
    ):
        assert value not in sent
    assert "control-value" in sent and "control=ok" in sent and '"app.count": 7' in sent and "page=2" in sent
