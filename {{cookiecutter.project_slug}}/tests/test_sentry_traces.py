"""Which requests are traced (core.sentry.traces_sampler), what a traced request sends as
streamed spans, and profiling: read from the envelopes the SDK handed its transport."""

import time

import pytest
import sentry_sdk
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from core.wsgi import application
from tests.conftest import WsgiClient


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


@pytest.fixture
def client(module_client):
    return module_client


def traced_paths(transport):
    return [span["attributes"]["url.path"] for span in transport.segments()]


@pytest.mark.django_db
def test_a_view_is_traced_and_what_says_nothing_of_the_code_is_not(start_sentry, client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    client.get("/static/app.css")
    client.generic("HEAD", "/plain/")
    client.generic("OPTIONS", "/plain/")
    client.get("/api/health/")
    client.get("/plain/")

    assert traced_paths(transport) == ["/plain/"]


@pytest.mark.django_db
def test_a_librarys_span_outside_any_request_starts_no_trace(start_sentry, client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    client.get("/plain/")

    [segment] = transport.segments()
    assert segment["name"] == "/plain/"
    assert all(span["trace_id"] == segment["trace_id"] for span in transport.spans)


# transactional_db: the probe closes unusable connections as a request would.
def test_health_probes_send_nothing_and_leave_no_breadcrumb(start_sentry, transactional_db):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")
    sentry_sdk.get_isolation_scope().clear_breadcrumbs()  # what earlier tests left

    for _ in range(3):
        assert WsgiClient(application).get("/api/health/")[0] == 200
    sentry_sdk.capture_message("outside any request")

    [event] = transport.events
    assert (event.get("breadcrumbs") or {}).get("values", []) == []
    assert transport.spans == []


def wait_for_profile_chunks(transport, seconds=10):
    """The profiler sends its chunk from its own thread once no traced request runs."""
    deadline = time.monotonic() + seconds
    while not transport.items("profile_chunk") and time.monotonic() < deadline:
        time.sleep(0.05)
    return transport.items("profile_chunk")


@pytest.mark.django_db
@pytest.mark.parametrize("rate", ["1", "0"])
def test_traced_requests_are_profiled_once_a_profile_rate_is_set(start_sentry, client, rate):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1", SENTRY_PROFILE_SESSION_SAMPLE_RATE=rate)

    client.get("/busy/")

    [segment] = transport.segments()
    profiler_id = segment["attributes"].get("sentry.profiler_id")
    if rate == "0":
        assert profiler_id is None
        return
    [chunk, *_] = wait_for_profile_chunks(transport)
    assert chunk["profiler_id"] == profiler_id
    assert "busy_view" in {frame.get("function") for frame in chunk["profile"]["frames"]}
