"""What the SDK actually sends, read from the envelopes handed to its transport.

Requests go over real HTTP to a live server, so they pass through the same WSGI
handler, headers and cookies as in production.
"""

import logging
import urllib.error
import urllib.parse
import urllib.request

import sentry_sdk

logger = logging.getLogger("ops")


def request_debug_route(live_server, form=None, headers=None):
    """Send a request over HTTP and return its status code (the route answers 500)."""
    body = urllib.parse.urlencode(form).encode() if form else None
    request = urllib.request.Request(f"{live_server.url}/api/sentry-debug/", data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_unhandled_view_exception_sends_exactly_one_event(start_sentry, live_server):
    transport = start_sentry(SENTRY_ENVIRONMENT="staging-eu")

    assert request_debug_route(live_server) == 500

    [event] = transport.events
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ZeroDivisionError"
    assert event["environment"] == "staging-eu"
    assert event["request"]["url"].endswith("/api/sentry-debug/")
    view_frame = exception["stacktrace"]["frames"][-1]
    assert view_frame["function"] == "sentry_debug"
    assert "1 / 0" in view_frame["context_line"]
    assert "request" in view_frame["vars"]


def test_each_request_sends_its_own_event(start_sentry, live_server):
    transport = start_sentry()

    for _ in range(3):
        assert request_debug_route(live_server) == 500

    assert len(transport.events) == 3
    assert len({event["event_id"] for event in transport.events}) == 3


def test_warning_log_is_an_event_with_info_breadcrumb(start_sentry):
    transport = start_sentry(SENTRY_LOG_EVENT_LEVEL="WARNING")

    with sentry_sdk.isolation_scope():
        logger.info("loading the invoice")
        logger.warning("invoice total is negative")

    [event] = transport.events
    assert event["level"] == "warning"
    assert event["logentry"]["message"] == "invoice total is negative"
    breadcrumbs = [crumb.get("message") for crumb in event["breadcrumbs"]["values"]]
    assert "loading the invoice" in breadcrumbs


def test_access_log_lines_are_not_breadcrumbs(start_sentry):
    transport = start_sentry()

    with sentry_sdk.isolation_scope():
        logging.getLogger("gunicorn.access").info("GET /api/orders/ 200")
        logger.info("loading the invoice")
        logger.warning("invoice total is negative")

    [event] = transport.events
    breadcrumbs = [crumb.get("message") for crumb in event["breadcrumbs"]["values"]]
    assert "loading the invoice" in breadcrumbs
    assert "GET /api/orders/ 200" not in breadcrumbs


def test_log_event_level_error_keeps_warnings_as_breadcrumbs(start_sentry):
    transport = start_sentry(SENTRY_LOG_EVENT_LEVEL="ERROR")

    with sentry_sdk.isolation_scope():
        logger.warning("disk is 80% full")
        logger.error("disk is full")

    [event] = transport.events
    assert event["logentry"]["message"] == "disk is full"
    assert "disk is 80% full" in [crumb.get("message") for crumb in event["breadcrumbs"]["values"]]


def test_request_secrets_and_personal_data_are_never_sent(start_sentry, live_server):
    transport = start_sentry(SENTRY_ALLOWED_BODY_FIELDS="comment")
    secrets = {
        "password": "password-secret",
        "password1": "password1-secret",
        "new_password": "new-password-secret",
        "email": "jane.doe@example.com",
    }
    headers = {"Cookie": "sessionid=cookie-secret", "Authorization": "Bearer auth-header-secret"}

    status = request_debug_route(live_server, form={**secrets, "comment": "visible-comment"}, headers=headers)

    assert status == 500
    sent = transport.sent_bytes
    for secret in [*secrets.values(), "cookie-secret", "auth-header-secret"]:
        assert secret.encode() not in sent
    # The request itself was attached and scrubbed, not dropped wholesale.
    [event] = transport.events
    assert event["request"]["data"]["comment"] == "visible-comment"
    assert event["request"]["data"]["password"] == "[Filtered]"
    assert event["request"]["url"].endswith("/api/sentry-debug/")
