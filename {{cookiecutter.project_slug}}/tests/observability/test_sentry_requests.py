"""sentry-sdk's DjangoIntegration as observability/sentry.py sets it up: what each request hands the
SDK's transport, checked in the envelopes it captured."""

import json
import logging

import pytest
import sentry_sdk
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("ops")


@csrf_exempt  # the body tests post to it, as an API client would
def failing_view(request, order_id):
    lookup = get_user_model().objects.filter(pk=order_id)  # noqa: F841 (a local the event must show unevaluated)
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
    return HttpResponse(str(get_user_model().objects.filter(email="nobody@example.com").exists()))


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


@pytest.fixture(autouse=True)
def failing_middleware(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailingMiddleware"]


@pytest.mark.django_db
def test_error_is_reported_unhandled_under_its_url_pattern(start_sentry, wsgi_client):
    transport = start_sentry()

    assert wsgi_client.get("/orders/7/")[0] == 500

    [event] = transport.events
    [exception] = event["exception"]["values"]
    assert exception["type"] == "KeyError"
    assert exception["mechanism"]["handled"] is False
    assert event["transaction"] == "/orders/{order_id}/"
    assert event["request"]["url"] == "http://testserver/orders/7/"
    assert event["request"]["method"] == "GET"


@pytest.mark.django_db
def test_exception_in_a_middleware_is_reported(start_sentry, wsgi_client):
    transport = start_sentry()

    assert wsgi_client.get("/broken-middleware/")[0] == 500

    [event] = transport.events
    assert event["exception"]["values"][0]["type"] == "ValueError"


@pytest.mark.django_db
def test_queryset_variable_is_named_not_queried(start_sentry, wsgi_client, django_assert_num_queries):
    transport = start_sentry()

    with django_assert_num_queries(0):
        wsgi_client.get("/orders/7/")

    view_frame = transport.events[0]["exception"]["values"][0]["stacktrace"]["frames"][-1]
    assert view_frame["vars"]["lookup"].startswith("<QuerySet from django.db.models.query at ")


@pytest.mark.django_db
def test_every_frame_has_source_context_and_the_view_its_variables(start_sentry, wsgi_client):
    transport = start_sentry()

    wsgi_client.get("/orders/7/")

    frames = transport.events[0]["exception"]["values"][0]["stacktrace"]["frames"]
    assert frames[-1]["function"] == "failing_view"
    assert frames[-1]["vars"]["order_id"] == "7"
    assert "raise KeyError" in frames[-1]["context_line"]
    assert len(frames) > 1 and all(frame.get("context_line") for frame in frames)


@pytest.mark.django_db
def test_each_chained_exception_keeps_its_frame_variables(start_sentry, wsgi_client):
    transport = start_sentry()

    wsgi_client.get("/chained/")

    cause, error = transport.events[0]["exception"]["values"]
    assert (cause["type"], error["type"]) == ("KeyError", "RuntimeError")
    assert cause["stacktrace"]["frames"][-1]["vars"]["order_id"] == "3"
    assert "raise KeyError" in cause["stacktrace"]["frames"][-1]["context_line"]
    assert error["stacktrace"]["frames"][-1]["vars"]["attempt"] == "'first'"


@pytest.mark.django_db
def test_tags_and_breadcrumbs_stay_with_their_request(start_sentry, wsgi_client):
    transport = start_sentry()

    wsgi_client.get("/tagging/", {"customer": "first"})
    wsgi_client.get("/tagging/", {"customer": "second", "fail": "1"})

    [event] = transport.events
    assert event["tags"]["customer"] == "second"
    breadcrumbs = [crumb["message"] for crumb in event["breadcrumbs"]["values"]]
    assert "served customer second" in breadcrumbs
    assert "served customer first" not in breadcrumbs


@pytest.mark.django_db
def test_warning_logged_in_a_request_carries_the_request(start_sentry, wsgi_client):
    transport = start_sentry()

    wsgi_client.get("/warning/", {"page": "2"})

    [event] = transport.events
    assert event["logentry"]["message"] == "stock is low"
    assert event["request"]["query_string"] == "page=2"
    assert event["transaction"] == "/warning/"


@pytest.mark.django_db
def test_not_found_is_not_an_event(start_sentry, wsgi_client):
    transport = start_sentry()

    assert wsgi_client.get("/no-such-page/")[0] == 404

    assert transport.envelopes == []


@pytest.mark.django_db
def test_sampled_request_has_a_span_per_sql_query(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    wsgi_client.get("/query/")

    [trace] = transport.segments()
    assert (trace["name"], trace["status"]) == ("/query/", "ok")
    [span] = [span for span in transport.spans if span["attributes"]["sentry.op"] == "db"]
    assert span["trace_id"] == trace["trace_id"] and "users_user" in span["name"]
    assert span["attributes"]["db.system.name"] == connection.vendor


@pytest.mark.django_db
def test_json_body_is_attached_with_values_of_allowed_fields_only(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_ALLOWED_BODY_FIELDS="note,password")
    body = {"order": {"note": "ring twice", "password": "nested-secret", "address": "planted-address"}}

    wsgi_client.post("/orders/7/", json.dumps(body), content_type="application/json")

    [event] = transport.events
    assert event["request"]["data"]["order"] == {
        "note": "ring twice",
        "password": "[Filtered]",
        "address": "[Filtered]",
    }
    assert b"nested-secret" not in transport.sent_bytes and b"planted-address" not in transport.sent_bytes


@pytest.mark.django_db
def test_body_over_the_size_limit_is_left_out(start_sentry, wsgi_client):
    transport = start_sentry()

    wsgi_client.post("/orders/7/", {"note": "x" * 20_000})

    [event] = transport.events
    assert "data" not in event["request"] or not event["request"]["data"]
    assert b"x" * 1000 not in transport.sent_bytes


@pytest.mark.django_db
def test_sentry_off_leaves_requests_alone(wsgi_client):
    assert not sentry_sdk.get_client().is_active()

    assert wsgi_client.get("/query/")[0] == 200
    assert wsgi_client.get("/orders/7/")[0] == 500
