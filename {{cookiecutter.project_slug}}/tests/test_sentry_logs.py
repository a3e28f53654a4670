"""Sentry Logs (SENTRY_LOGS_LEVEL) and the JSON log lines' trace ids: what the SDK sent,
and what the formatter wrote, inside a real request."""

import io
import json
import logging

import pytest
import sentry_sdk
from django.http import HttpResponse
from django.urls import path

from observability.log_format import JsonFormatter
from observability.sentry import init_sentry

logger = logging.getLogger("ops")


def logging_view(request):
    logger.info("listing orders for control-info-user")
    logger.warning("stock is low for control-sku, password=planted-log-password")
    return HttpResponse("ok")


class Job:
    def __init__(self, token):
        self.token = token

    def __repr__(self):
        return f"Job(token={self.token!r}, queue='control-queue')"


def failing_view(request):
    raise RuntimeError("control-failure")


urlpatterns = [path("log/", logging_view), path("fail/", failing_view)]


@pytest.fixture
def client(module_client):
    return module_client


def sent_bodies(transport):
    return [log["body"] for log in transport.logs]


@pytest.mark.django_db
def test_sentry_logs_are_off_by_default(start_sentry, client):
    transport = start_sentry()

    client.get("/log/")

    assert transport.logs == []


@pytest.mark.django_db
def test_records_at_the_logs_level_are_sent_as_logs_through_the_privacy_rules(start_sentry, client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="WARNING", SENTRY_TRACES_SAMPLE_RATE="1")

    client.get("/log/")
    logging.getLogger("gunicorn.access").warning("GET /log/ 200")

    [log] = transport.logs
    assert log["body"] == "stock is low for control-sku, password=[Filtered]"
    assert log["trace_id"] == transport.segments()[0]["trace_id"]
    assert b"planted-log-password" not in transport.sent_bytes
    assert not [name for name in log["attributes"] if name.startswith("sentry.message.parameter")]


@pytest.mark.django_db
def test_a_lower_logs_level_sends_more_and_events_keep_their_own_level(start_sentry, client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="info", SENTRY_LOG_EVENT_LEVEL="ERROR")

    client.get("/log/")

    assert sent_bodies(transport) == [
        "listing orders for control-info-user",
        "stock is low for control-sku, password=[Filtered]",
    ]
    assert transport.events == []


@pytest.mark.parametrize("level", ["LOUD", "30", "warn ing"])
def test_a_bad_logs_level_stops_start_up_with_one_line(monkeypatch, level):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SENTRY_LOGS_LEVEL", level)

    with pytest.raises(ImproperlyConfigured) as error:
        init_sentry("development")

    assert str(error.value).startswith(f"SENTRY_LOGS_LEVEL={level!r} must be one of DEBUG, INFO")


@pytest.fixture
def json_lines():
    """What the JSON formatter writes for the api logger, one object per line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_json_log_lines_carry_the_trace_and_span_ids_sentry_shows(start_sentry, client, json_lines):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    client.get("/log/")

    lines = json_lines()
    [segment] = transport.segments()
    assert {line["trace_id"] for line in lines} == {segment["trace_id"]}
    assert {line["span_id"] for line in lines} <= {span["span_id"] for span in transport.spans}


def test_json_log_lines_carry_no_trace_ids_while_sentry_is_off(json_lines):
    assert not sentry_sdk.get_client().is_active()

    logger.warning("no trace here")

    [line] = json_lines()
    assert line["message"] == "no trace here" and "trace_id" not in line


@pytest.mark.django_db
def test_a_404_or_a_refused_request_is_no_sentry_log(start_sentry, client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="INFO")

    client.get("/no-such-page/")
    client.get("/log/")  # the control

    assert "stock is low for control-sku, password=[Filtered]" in sent_bodies(transport)
    assert not [body for body in sent_bodies(transport) if "Not Found" in body]


@pytest.mark.django_db
def test_objects_a_log_record_carries_are_scrubbed_as_the_text_the_sdk_sends(start_sentry, client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="ERROR")

    client.get("/fail/?voucher=planted-log-voucher&page=7")  # django.request logs the request
    logger.error("export failed", extra={"job": Job("planted-job-token"), "pair": ("token", "planted-pair")})

    [request_log] = [log for log in transport.logs if log["attributes"]["logger.name"] == "django.request"]
    assert request_log["attributes"]["request"] == "<WSGIRequest: GET '/fail/'>"
    [export_log] = [log for log in transport.logs if log["body"] == "export failed"]
    assert export_log["attributes"]["job"] == "Job(token='[Filtered]', queue='control-queue')"
    assert export_log["attributes"]["pair"] == ["token", "[Filtered]"]
    for planted in (b"planted-log-voucher", b"planted-job-token", b"planted-pair"):
        assert planted not in transport.sent_bytes
