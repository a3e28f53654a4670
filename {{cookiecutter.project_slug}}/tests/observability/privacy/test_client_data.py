"""observability/privacy/client_data.py: what a client wrote keeps its values only under
allowed names, and what is withheld is not sent from anywhere else either."""

import json

import pytest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tests.observability.privacy.planted import scrubber


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


urlpatterns = [path("hold/", holding_view), path("reset/<uid>/<token>/", path_view)]


@pytest.mark.django_db
@pytest.mark.parametrize("body_kind", ["json", "form"])
def test_what_the_allowlists_withhold_is_not_sent_from_the_projects_own_variables(
    start_sentry, wsgi_client, body_kind
):
    transport = start_sentry(SENTRY_ALLOWED_BODY_FIELDS="quantity")
    body = {
        "full_name": "Planted Lovelace",
        "address": "221B Planted Street",
        "quantity": "control-quantity-3",
    }

    if body_kind == "json":
        wsgi_client.post("/hold/", json.dumps(body), content_type="application/json")
    else:
        wsgi_client.post("/hold/", body)

    [event] = transport.events
    sent = transport.sent_bytes
    assert b"Planted Lovelace" not in sent and b"221B Planted Street" not in sent
    assert b"control-quantity-3" in sent
    assert event["exception"]["values"][0]["value"] == "could not create an account for [Filtered]"


@pytest.mark.django_db
def test_a_token_in_a_url_path_is_not_sent(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    wsgi_client.get(
        "/reset/MjQ/cxk7ab-1f2a3b4c5d6e7f8a/",
        headers={"Referer": "https://app.example.com/reset/MjQ/cxk7ab-1f2a3b4c5d6e7f8a/"},
    )

    [event] = transport.events
    assert b"1f2a3b4c5d6e7f8a" not in transport.sent_bytes
    assert event["request"]["url"].endswith("/reset/MjQ/[Filtered]/")
    assert transport.segments()[0]["attributes"]["url.path"] == "/reset/MjQ/[Filtered]/"


@pytest.mark.django_db
def test_a_token_as_a_query_item_of_its_own_is_not_sent(start_sentry, wsgi_client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    wsgi_client.get("/reset/MjQ/x/?Kq8vN2mZ0pLw7rTx&debug&page=2")

    [event] = transport.events
    assert b"Kq8vN2mZ0pLw7rTx" not in transport.sent_bytes
    assert event["request"]["query_string"] == "[Filtered]&debug=[Filtered]&page=2"
    assert transport.segments()[0]["attributes"]["http.query"] == "[Filtered]&debug=[Filtered]&page=2"


def test_a_long_url_keeps_its_query_filtered():
    url = "http://h/" + "a" * 1100 + "?code=planted&page=2"

    sent = scrubber().span({"name": "GET " + url, "attributes": {"url.full": url}}, {})

    assert "planted" not in json.dumps(sent)
