"""sentry-sdk's DjangoIntegration as core.sentry sets it up: what each request hands the
SDK's transport, checked in the envelopes it captured."""

import json
import logging

import pytest
import sentry_sdk
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from core.wsgi import application

logger = logging.getLogger("ops")

TRACE_ID = "771a43a4192642f0b136d5159a501700"
PARENT_SPAN_ID = "b0e6f15b45c36b12"


@csrf_exempt  # the body tests post to it, as an API client would
def failing_view(request, order_id):
    lookup = User.objects.filter(pk=order_id)  # noqa: F841 (a local the event must show unevaluated)
    raise KeyError(f"order {order_id}")


def chained_view(request):
    attempt = "first"
    try:
        failing_view(request, 3)
    except KeyError as error:
        raise RuntimeError(f"{attempt} attempt failed") from error


def tagging_view(request):
    sentry_sdk.set_tag("customer", request.GET["customer"])
    logger.info("served customer %s", request.GET["customer"])
    if "fail" in request.GET:
        raise RuntimeError("failed for this customer")
    return HttpResponse("ok")


def querying_view(request):
    return HttpResponse(str(User.objects.filter(username="nobody").exists()))


def warning_view(request):
    logger.warning("stock is low")
    return HttpResponse("ok")


class FailingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/broken-middleware/":
            raise ValueError("middleware failed")
        return self.get_response(request)


urlpatterns = [
    path("orders/<int:order_id>/", failing_view),
    path("chained/", chained_view),
    path("tagging/", tagging_view),
    path("query/", querying_view),
    path("warning/", warning_view),
]


@pytest.fixture
def client(settings, module_client):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailingMiddleware"]
    return module_client


@pytest.mark.django_db
def test_error_is_reported_unhandled_under_its_url_pattern(start_sentry, client):
    transport = start_sentry()

    assert client.get("/orders/7/")[0] == 500

    [event] = transport.events
    [exception] = event["exception"]["values"]
    assert exception["type"] == "KeyError"
    assert exception["mechanism"]["handled"] is False
    assert event["transaction"] == "/orders/{order_id}/"
    assert event["request"]["url"] == "http://testserver/orders/7/"
    assert event["request"]["method"] == "GET"


@pytest.mark.django_db
def test_exception_in_a_middleware_is_reported(start_sentry, client):
    transport = start_sentry()

    assert client.get("/broken-middleware/")[0] == 500

    [event] = transport.events
    assert event["exception"]["values"][0]["type"] == "ValueError"


@pytest.mark.django_db
def test_queryset_variable_is_named_not_queried(start_sentry, client, django_assert_num_queries):
    transport = start_sentry()

    with django_assert_num_queries(0):
        client.get("/orders/7/")

    view_frame = transport.events[0]["exception"]["values"][0]["stacktrace"]["frames"][-1]
    assert view_frame["vars"]["lookup"].startswith("<QuerySet from django.db.models.query at ")


@pytest.mark.django_db
def test_every_frame_has_source_context_and_the_view_its_variables(start_sentry, client):
    transport = start_sentry()

    client.get("/orders/7/")

    frames = transport.events[0]["exception"]["values"][0]["stacktrace"]["frames"]
    assert frames[-1]["function"] == "failing_view"
    assert frames[-1]["vars"]["order_id"] == "7"
    assert "raise KeyError" in frames[-1]["context_line"]
    assert len(frames) > 1 and all(frame.get("context_line") for frame in frames)


@pytest.mark.django_db
def test_each_chained_exception_keeps_its_frame_variables(start_sentry, client):
    transport = start_sentry()

    client.get("/chained/")

    cause, error = transport.events[0]["exception"]["values"]
    assert (cause["type"], error["type"]) == ("KeyError", "RuntimeError")
    assert cause["stacktrace"]["frames"][-1]["vars"]["order_id"] == "3"
    assert "raise KeyError" in cause["stacktrace"]["frames"][-1]["context_line"]
    assert error["stacktrace"]["frames"][-1]["vars"]["attempt"] == "'first'"


@pytest.mark.django_db
def test_tags_and_breadcrumbs_stay_with_their_request(start_sentry, client):
    transport = start_sentry()

    client.get("/tagging/", {"customer": "first"})
    client.get("/tagging/", {"customer": "second", "fail": "1"})

    [event] = transport.events
    assert event["tags"]["customer"] == "second"
    breadcrumbs = [crumb["message"] for crumb in event["breadcrumbs"]["values"]]
    assert "served customer second" in breadcrumbs
    assert "served customer first" not in breadcrumbs


@pytest.mark.django_db
def test_warning_logged_in_a_request_carries_the_request(start_sentry, client):
    transport = start_sentry()

    client.get("/warning/", {"page": "2"})

    [event] = transport.events
    assert event["logentry"]["message"] == "stock is low"
    assert event["request"]["query_string"] == "page=2"
    assert event["transaction"] == "/warning/"


@pytest.mark.django_db
def test_not_found_is_not_an_event(start_sentry, client):
    transport = start_sentry()

    assert client.get("/no-such-page/")[0] == 404

    assert transport.envelopes == []


@pytest.mark.django_db
def test_sampled_request_has_a_span_per_sql_query(start_sentry, client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    client.get("/query/")

    [trace] = transport.segments()
    assert (trace["name"], trace["status"]) == ("/query/", "ok")
    [span] = [span for span in transport.spans if span["attributes"]["sentry.op"] == "db"]
    assert span["trace_id"] == trace["trace_id"] and "auth_user" in span["name"]
    assert span["attributes"]["db.system.name"] == connection.vendor


@pytest.fixture
def entry_point(settings, module_client):
    """Requests through core.wsgi, which decides whether a caller's trace headers count."""
    module_client.application = application
    return module_client


@pytest.mark.django_db
def test_callers_trace_and_sampling_decision_are_kept_when_callers_are_trusted(
    start_sentry, entry_point, settings
):
    settings.SENTRY_TRUST_INCOMING_TRACES = True
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="0")

    entry_point.get("/query/", headers={"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-1"})
    entry_point.get("/query/", headers={"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-0"})
    entry_point.get("/orders/7/", headers={"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-0"})

    [trace] = transport.segments()
    assert (trace["trace_id"], trace["parent_span_id"]) == (TRACE_ID, PARENT_SPAN_ID)
    assert transport.events[0]["contexts"]["trace"]["trace_id"] == TRACE_ID


@pytest.mark.parametrize(
    "headers",
    [
        {"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-1"},
        {"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}", "baggage": "sentry-sample_rand=0.000001"},
        {
            "sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-1",
            "baggage": "sentry-sample_rate=1,sentry-sampled=true",
        },
    ],
)
@pytest.mark.django_db
def test_a_client_cannot_force_a_trace_by_default(start_sentry, entry_point, headers):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="0.01")

    for _ in range(20):
        entry_point.get("/query/", headers=headers)
    entry_point.get("/orders/7/", headers=headers)

    # At 1% a few may be traced by chance (4 or more: 1 run in 20,000); forced, all 20 are.
    assert len(transport.segments()) < 4
    assert transport.events[0]["contexts"]["trace"]["trace_id"] != TRACE_ID


@pytest.mark.django_db
def test_json_body_is_attached_with_values_of_allowed_fields_only(start_sentry, client):
    transport = start_sentry(SENTRY_ALLOWED_BODY_FIELDS="note,password")
    body = {"order": {"note": "ring twice", "password": "nested-secret", "address": "planted-address"}}

    client.post("/orders/7/", json.dumps(body), content_type="application/json")

    [event] = transport.events
    assert event["request"]["data"]["order"] == {
        "note": "ring twice",
        "password": "[Filtered]",
        "address": "[Filtered]",
    }
    assert b"nested-secret" not in transport.sent_bytes and b"planted-address" not in transport.sent_bytes


@pytest.mark.django_db
def test_body_over_the_size_limit_is_left_out(start_sentry, client):
    transport = start_sentry()

    client.post("/orders/7/", {"note": "x" * 20_000})

    [event] = transport.events
    assert "data" not in event["request"] or not event["request"]["data"]
    assert b"x" * 1000 not in transport.sent_bytes


@pytest.mark.django_db
def test_sentry_off_leaves_requests_alone(client):
    assert not sentry_sdk.get_client().is_active()

    assert client.get("/query/")[0] == 200
    assert client.get("/orders/7/")[0] == 500
