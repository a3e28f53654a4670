"""End to end: an endpoint of each API framework that fails is one event at a real
Sentry-protocol server (Bugsink), named by its route pattern, without the secrets its
request carried."""

import json
import shutil
import sqlite3

import pytest

from tests.conftest import DEPLOYED_ENVIRONMENT
from tests.processes import free_port
from tests.test_api_served import ServedApi, signed_in_under_gunicorn
from tests.test_e2e_sentry import BugsinkProject
from tests.test_generated_project import project_environment

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("bugsink")]

ROUTE_PATTERNS = {"ninja": "/api/notes/{note_id}/", "drf": "/api/notes/{pk}/"}
PLANTED_SECRET_KEY = "e2e-api-planted-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# What the failing request's body carries: secrets by name and by value, and a title.
PLANTED_BODY = {
    "title": "e2e-api-control-title",
    "password": "e2e-api-body-password",
    "access_token": "e2e-api-body-access-token",
    "text": f"see {PLANTED_SECRET_KEY}",
}


@pytest.fixture(params=["ninja", "drf"])
def failing_api(request, bugsink, tmp_path):
    """The framework's bake under gunicorn, reporting to a fresh Bugsink project, with a
    signed-in user and its notes table dropped, as a lost table or a broken migration
    leaves it: every query of a note fails."""
    framework = request.param
    source_name, python_name = {"ninja": ("default", "project"), "drf": ("drf", "drf")}[framework]
    source = request.getfixturevalue(f"{source_name}_project")
    python = request.getfixturevalue(f"{python_name}_python")
    project = tmp_path / source.name
    shutil.copytree(source, project)
    bugsink_project = BugsinkProject(bugsink)
    port = free_port()
    environment = project_environment(
        "production",
        **{
            **DEPLOYED_ENVIRONMENT,
            "SECRET_KEY": PLANTED_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SENTRY_DSN": bugsink_project.dsn,
            "SENTRY_TRACES_SAMPLE_RATE": "0",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
        },
    )
    served = ServedApi(project, python, environment, f"http://127.0.0.1:{port}", None)
    with signed_in_under_gunicorn(served, tmp_path / "gunicorn.log"):
        with sqlite3.connect(project / "db.sqlite3") as database:
            database.execute("DROP TABLE notes_note")
        yield framework, served, bugsink_project


def test_a_failing_endpoint_is_one_event_named_by_its_route_without_the_body_secrets(failing_api):
    """Kept alone, so that its body assertions follow the privacy rules in one place:
    the planted secrets are absent, the route pattern and the body's field names arrive."""
    framework, api, bugsink_project = failing_api

    status, _ = api.call("PUT", "/api/notes/7/", json.dumps(PLANTED_BODY), api.write_headers())

    assert status == 500
    [issue] = bugsink_project.wait_for_issues(1)
    [event] = bugsink_project.events(issue)
    assert event["transaction"] == ROUTE_PATTERNS[framework]
    assert event["request"]["url"].endswith("/api/notes/7/")
    assert "title" in json.dumps(event["request"].get("data"))
    stored = json.dumps(event)
    planted = [
        PLANTED_BODY["password"],
        PLANTED_BODY["access_token"],
        PLANTED_SECRET_KEY,
        api.cookies["sessionid"],
        api.cookies["csrftoken"],
    ]
    assert [secret for secret in planted if secret in stored] == []
    assert issue["digested_event_count"] == 1
