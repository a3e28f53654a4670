"""End to end: the baked project, served for real, reports to a real Sentry-protocol
server (Bugsink), and what Bugsink stored is read back through its API."""

import json
import urllib.parse

import pytest

from tests.helpers.bake import run
from tests.helpers.bugsink import (
    ARRIVAL_TIMEOUT,
    PLANTED_ENVIRONMENT_SECRETS,
    PROJECT_VALUES_SENT_BACK,
    RELEASE,
    serve_with_dsn,
)
from tests.helpers.processes import stop_server, wait_for
from tests.helpers.project_commands import project_environment

# One worker runs all of these, so one Bugsink serves them (pytest-xdist --dist loadgroup).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("bugsink")]

# What a hostile client plants, by where it goes; none of it may be stored.
PLANTED_QUERY = {
    "password": "e2e-query-password",
    "email": "e2e.query@example.com",
    "code": "e2e-query-oauth-code",
    "ticket": "e2e-query-cas-ticket",
    "state": "e2e-query-state",
}
PLANTED_FORM = {
    "refresh": "e2e-form-simplejwt-refresh",
    "client_secret": "e2e-form-client-secret",
    "passwort": "e2e-form-passwort",
    "card_no": "4111111111111111",
    "mobile": "+44 7700 900789",
    "emailAddress": "e2e.form@example.com",
    "csrfmiddlewaretoken": "e2e-form-csrf-token",
    "free_text": "e2e-form-free-text",
}
PLANTED_HEADERS = {
    "Authorization": "Bearer e2e-header-authorization",
    "Cookie": "sessionid=e2e-header-cookie",
    "X-Auth-Token": "e2e-header-x-auth-token",
    "DPoP": "e2e-header-dpop-proof",
    "X-Amzn-Oidc-Data": "e2e-header-oidc-claims",
    "Remote-User": "e2e-header-remote-user",
    "Referer": "https://app.example.com/list?page=control-referer-page&token=e2e-header-referer-token",
    "Forwarded": "for=198.51.100.31",
    "X-Forwarded-For": "198.51.100.32",
    "X-Real-IP": "198.51.100.33",
    "CF-Connecting-IP": "198.51.100.35",
}
PLANTED_HEADER_VALUES = [
    "e2e-header-authorization",
    "e2e-header-cookie",
    "e2e-header-x-auth-token",
    "e2e-header-dpop-proof",
    "e2e-header-oidc-claims",
    "e2e-header-remote-user",
    "e2e-header-referer-token",
    *(f"198.51.100.{n}" for n in (31, 32, 33, 35)),
]


def test_debug_route_error_becomes_one_issue_with_environment_release_and_url(
    served_to_bugsink, bugsink_project
):
    assert served_to_bugsink.request("/api/sentry-debug/") == 500

    [issue] = bugsink_project.wait_for_issues(1)
    assert issue["calculated_type"] == "ZeroDivisionError"
    [event] = bugsink_project.events(issue)
    assert event["environment"] == served_to_bugsink.sentry_environment
    assert event["release"] == RELEASE
    assert event["request"]["url"].endswith("/api/sentry-debug/")


def test_repeated_errors_are_events_of_the_same_issue(served_to_bugsink, bugsink_project):
    for _ in range(3):
        assert served_to_bugsink.request("/api/sentry-debug/") == 500

    wait_for(
        lambda: sum(issue["digested_event_count"] for issue in bugsink_project.issues()) == 3,
        ARRIVAL_TIMEOUT,
        "3 events in Bugsink",
    )
    [issue] = bugsink_project.issues()
    assert issue["digested_event_count"] == 3


def test_no_planted_secret_is_stored_and_every_control_is(served_to_bugsink, bugsink_project):
    query = urllib.parse.urlencode({**PLANTED_QUERY, "page": "control-page-2"})
    headers = {**PLANTED_HEADERS, "X-Client-Version": "control-ios-4.2", "User-Agent": "control-agent/1.0"}
    dsn_key = urllib.parse.urlsplit(bugsink_project.dsn).username
    # Two requests: Sentry keeps the first 10 fields of a body, and every planted one
    # must be among those sent for its absence to mean anything.
    forms = [
        {"note": "control-note", **PLANTED_FORM},
        {"note": "control-note", **PROJECT_VALUES_SENT_BACK, "comment_dsn": f"see {dsn_key}"},
    ]
    for form in forms:
        assert served_to_bugsink.request(f"/api/sentry-debug/?{query}", form=form, headers=headers) == 500

    [issue] = bugsink_project.wait_for_issues(1)
    wait_for(lambda: len(bugsink_project.events(issue)) == len(forms), ARRIVAL_TIMEOUT, "both events")
    events = bugsink_project.events(issue)
    stored = json.dumps(events)
    planted = [
        *PLANTED_QUERY.values(),
        *PLANTED_FORM.values(),
        *PLANTED_HEADER_VALUES,
        *PLANTED_ENVIRONMENT_SECRETS,
        dsn_key,
    ]
    assert len(planted) >= 25
    assert [value for value in planted if value in stored] == []
    # Every field was sent, its value scrubbed or kept.
    assert sorted(sorted(event["request"]["data"]) for event in events) == sorted(
        sorted(form) for form in forms
    )
    for event in events:
        request = event["request"]
        assert "page=control-page-2" in request["query_string"]
        assert request["data"]["note"] == "control-note"
        assert request["headers"]["X-Client-Version"] == "control-ios-4.2"
        assert request["headers"]["User-Agent"] == "control-agent/1.0"
        assert "page=control-referer-page" in request["headers"]["Referer"]
        # A field no list allows keeps its name only; an allowed one is still scrubbed by value.
        assert request["data"].get("free_text", "[Filtered]") == "[Filtered]"
        sent_back = [request["data"].get(name, "[Filtered]") for name in PROJECT_VALUES_SENT_BACK]
        assert all("[Filtered]" in value for value in sent_back)


def test_warning_in_a_request_is_an_event_with_the_info_line_as_breadcrumb(
    served_to_bugsink, bugsink_project
):
    assert served_to_bugsink.request("/api/sentry-debug/?log=warning") == 200

    [issue] = bugsink_project.wait_for_issues(1)
    [event] = bugsink_project.events(issue)
    assert event["level"] == "warning"
    assert event["logentry"]["message"] == "Sentry debug route: a test warning"
    crumbs = [crumb.get("message", "") for crumb in event["breadcrumbs"]["values"]]
    assert any(crumb.startswith("Sentry debug route called with GET") for crumb in crumbs)


def test_empty_dsn_sends_nothing(sentry_local_project, project_python, tmp_path, bugsink):
    total_events = lambda: sum(p["stored_event_count"] for p in bugsink.api("GET", "projects/")["results"])  # noqa: E731
    before = total_events()
    process, served_project = serve_with_dsn(
        "gunicorn", sentry_local_project, project_python, tmp_path, dsn=""
    )
    try:
        assert served_project.request("/api/sentry-debug/") == 500
        assert served_project.request("/api/sentry-debug/?log=warning") == 200
    finally:
        stop_server(process)  # also makes any queued event flush before we count

    assert total_events() == before


SHELL_SNIPPET = """
import sentry_sdk
sentry_sdk.capture_message("e2e shell message")
try:
    1 / 0
except ZeroDivisionError as error:
    sentry_sdk.capture_exception(error)
sentry_sdk.flush()
"""


def test_capture_from_manage_py_shell_arrives(sentry_local_project, project_python, bugsink_project):
    result = run(
        [project_python, "manage.py", "shell", "-c", SHELL_SNIPPET],
        cwd=sentry_local_project,
        env=project_environment("development", SENTRY_DSN=bugsink_project.dsn),
    )
    assert result.returncode == 0, result.stderr

    issues = bugsink_project.wait_for_issues(2)
    assert sorted(issue["calculated_type"] for issue in issues) == ["Log Message", "ZeroDivisionError"]
    assert "e2e shell message" in json.dumps(bugsink_project.all_event_data())


def test_sentry_check_reports_the_events_bugsink_stored(
    sentry_local_project, project_python, bugsink_project
):
    result = run(
        [project_python, "manage.py", "sentry_check"],
        cwd=sentry_local_project,
        env=project_environment("development", SENTRY_DSN=bugsink_project.dsn),
    )
    assert result.returncode == 0, result.stderr
    assert "accepted both test events" in result.stdout

    bugsink_project.wait_for_issues(2)
    stored_ids = {data["event_id"] for data in bugsink_project.all_event_data()}
    reported_ids = set(result.stdout.split("message ")[1].replace("exception ", "").strip().split(", "))
    assert reported_ids == stored_ids
