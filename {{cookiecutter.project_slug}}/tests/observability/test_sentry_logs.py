"""Sentry Logs (SENTRY_LOGS_LEVEL): what the SDK sent for a real request's log records."""

import logging

import pytest
from django.http import HttpResponse
from django.urls import path

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


def sent_bodies(transport):
    return [log["body"] for log in transport.logs]


@pytest.mark.django_db
def test_sentry_logs_are_off_by_default(start_sentry, wsgi_client):
    transport = start_sentry()

    wsgi_client.get("/log/")

    assert transport.logs == []


@pytest.mark.django_db
def test_records_at_the_logs_level_are_sent_as_logs_through_the_privacy_rules(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="WARNING", SENTRY_TRACES_SAMPLE_RATE="1")

    wsgi_client.get("/log/")
    logging.getLogger("gunicorn.access").warning("GET /log/ 200")

    [log] = transport.logs
    assert log["body"] == "stock is low for control-sku, password=[Filtered]"
    assert log["trace_id"] == transport.segments()[0]["trace_id"]
    assert b"planted-log-password" not in transport.sent_bytes
    assert not [name for name in log["attributes"] if name.startswith("sentry.message.parameter")]


@pytest.mark.django_db
def test_a_lower_logs_level_sends_more_and_events_keep_their_own_level(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="info", SENTRY_LOG_EVENT_LEVEL="ERROR")

    wsgi_client.get("/log/")

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


@pytest.mark.django_db
def test_a_404_or_a_refused_request_is_no_sentry_log(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="INFO")

    wsgi_client.get("/no-such-page/")
    wsgi_client.get("/log/")  # the control

    assert "stock is low for control-sku, password=[Filtered]" in sent_bodies(transport)
    assert not [body for body in sent_bodies(transport) if "Not Found" in body]


@pytest.mark.django_db
def test_objects_a_log_record_carries_are_scrubbed_as_the_text_the_sdk_sends(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_LOGS_LEVEL="ERROR")

    wsgi_client.get("/fail/?voucher=planted-log-voucher&page=7")  # django.request logs the request
    logger.error("export failed", extra={"job": Job("planted-job-token"), "pair": ("token", "planted-pair")})

    [request_log] = [log for log in transport.logs if log["attributes"]["logger.name"] == "django.request"]
    assert request_log["attributes"]["request"] == "<WSGIRequest: GET '/fail/'>"
    [export_log] = [log for log in transport.logs if log["body"] == "export failed"]
    assert export_log["attributes"]["job"] == "Job(token='[Filtered]', queue='control-queue')"
    assert export_log["attributes"]["pair"] == ["token", "[Filtered]"]
    for planted in (b"planted-log-voucher", b"planted-job-token", b"planted-pair"):
        assert planted not in transport.sent_bytes
