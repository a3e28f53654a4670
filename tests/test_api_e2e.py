"""End to end: an endpoint of each API framework that fails for a signed-in user is one
event at a real Sentry-protocol server (Bugsink), named by its route pattern, carrying
the user's pseudonym as its user id, without the secrets its request carried."""

import json

import pytest

from tests.helpers.served_api import PLANTED_SECRET_KEY, USER, expected_user_id

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("bugsink")]

ROUTE_PATTERNS = {"ninja": "/api/notes/{note_id}/", "drf": "/api/notes/{pk}/"}
# What the failing request's body carries: secrets by name and by value, and a title.
PLANTED_BODY = {
    "title": "e2e-api-control-title",
    "password": "e2e-api-body-password",
    "access_token": "e2e-api-body-access-token",
    "text": f"see {PLANTED_SECRET_KEY}",
}


def test_a_failing_endpoint_is_one_event_named_by_its_route_without_the_body_secrets(failing_api):
    """Kept alone, so that its body assertions follow the privacy rules in one place:
    the planted secrets are absent, the route pattern, the body's field names and the
    user's pseudonym arrive."""
    framework, api, bugsink_project = failing_api

    status, _, _ = api.call("PUT", "/api/notes/7/", json.dumps(PLANTED_BODY), api.write_headers())

    assert status == 500
    [issue] = bugsink_project.wait_for_issues(1)
    [event] = bugsink_project.events(issue)
    assert event["transaction"] == ROUTE_PATTERNS[framework]
    assert event["request"]["url"].endswith("/api/notes/7/")
    assert "title" in json.dumps(event["request"].get("data"))
    assert event["user"] == {"id": expected_user_id(api)}
    stored = json.dumps(event)
    planted = [
        PLANTED_BODY["password"],
        PLANTED_BODY["access_token"],
        PLANTED_SECRET_KEY,
        api.token,
        USER[0],
        USER[1],
    ]
    assert [secret for secret in planted if secret in stored] == []
    assert issue["digested_event_count"] == 1
