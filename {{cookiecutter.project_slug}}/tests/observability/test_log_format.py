"""observability/log_format.py: JSON log lines carry the trace and span ids Sentry shows
for the request they were written in, and none while Sentry is off."""

import io
import json
import logging

import pytest
import sentry_sdk
from django.http import HttpResponse
from django.urls import path

from observability.log_format import JsonFormatter

logger = logging.getLogger("ops")


def logging_view(request):
    logger.info("listing orders")
    return HttpResponse("ok")


urlpatterns = [path("log/", logging_view)]


@pytest.fixture
def json_lines():
    """What the JSON formatter writes for this logger, one object per line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_json_log_lines_carry_the_trace_and_span_ids_sentry_shows(start_sentry, wsgi_client, json_lines):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    wsgi_client.get("/log/")

    lines = json_lines()
    [segment] = transport.segments()
    assert {line["trace_id"] for line in lines} == {segment["trace_id"]}
    assert {line["span_id"] for line in lines} <= {span["span_id"] for span in transport.spans}


def test_json_log_lines_carry_no_trace_ids_while_sentry_is_off(json_lines):
    assert not sentry_sdk.get_client().is_active()

    logger.warning("no trace here")

    [line] = json_lines()
    assert line["message"] == "no trace here" and "trace_id" not in line
