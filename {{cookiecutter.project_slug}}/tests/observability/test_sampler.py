"""Which requests are traced (observability/sampler.py), what a traced request sends as
streamed spans, and profiling: read from the envelopes the SDK handed its transport."""

import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import path


def busy_view(request):
    # Long enough for the profiler, which samples every 10 ms, to see this frame.
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:
        sum(range(1000))
    return HttpResponse("ok")


def plain_view(request):
    return HttpResponse("ok")


urlpatterns = [
    path("plain/", plain_view),
    path("busy/", busy_view),
    path("static/app.css", plain_view),
    path("api/health/", plain_view),
]


def traced_paths(transport):
    return [span["attributes"]["url.path"] for span in transport.segments()]


@pytest.mark.django_db
def test_a_view_is_traced_and_what_says_nothing_of_the_code_is_not(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    wsgi_client.get("/static/app.css")
    wsgi_client.generic("HEAD", "/plain/")
    wsgi_client.generic("OPTIONS", "/plain/")
    wsgi_client.get("/api/health/")
    wsgi_client.get("/plain/")

    assert traced_paths(transport) == ["/plain/"]


@pytest.mark.django_db
def test_a_librarys_span_outside_any_request_starts_no_trace(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    wsgi_client.get("/plain/")

    [segment] = transport.segments()
    assert segment["name"] == "/plain/"
    assert all(span["trace_id"] == segment["trace_id"] for span in transport.spans)


def wait_for_profile_chunks(transport, seconds=10):
    """The profiler sends its chunk from its own thread once no traced request runs."""
    deadline = time.monotonic() + seconds
    while not transport.items("profile_chunk") and time.monotonic() < deadline:
        time.sleep(0.05)
    return transport.items("profile_chunk")


@pytest.mark.django_db
@pytest.mark.parametrize("rate", ["1", "0"])
def test_traced_requests_are_profiled_once_a_profile_rate_is_set(start_sentry, wsgi_client, rate):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1", SENTRY_PROFILE_SESSION_SAMPLE_RATE=rate)

    wsgi_client.get("/busy/")

    [segment] = transport.segments()
    profiler_id = segment["attributes"].get("sentry.profiler_id")
    if rate == "0":
        assert profiler_id is None
        return
    [chunk, *_] = wait_for_profile_chunks(transport)
    assert chunk["profiler_id"] == profiler_id
    assert "busy_view" in {frame.get("function") for frame in chunk["profile"]["frames"]}


def test_traces_follow_the_sample_rate(start_sentry, served_client, db):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    served_client.get("/plain/")

    [trace] = transport.segments()
    assert (trace["name"], trace["attributes"]["sentry.op"]) == ("/plain/", "http.server")


def test_traces_are_off_at_rate_zero(start_sentry, served_client, db):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="0")

    served_client.get("/plain/")

    assert transport.spans == []
