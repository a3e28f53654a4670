"""edge/health.py: the readiness probe answers 200 while the database answers and 503
when it does not, the liveness probe answers while the process runs and asks nothing,
both refuse writes, and neither costs anything in Sentry: no event, span or breadcrumb."""

import json

import pytest
import sentry_sdk

from tests.conftest import run_django, run_project

pytestmark = pytest.mark.django_db


def test_health_returns_ok_json_when_the_database_answers(client):
    response = client.get("/api/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_refuses_writes(client):
    assert client.post("/api/health/").status_code == 405


PROBE_HEALTH = """
from django.test import Client
response = Client().get("/api/health/")
print(response.status_code, response.json())
"""


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}"

    last_line = run_django(PROBE_HEALTH, "development", DATABASE_URL=unreachable, ALLOWED_HOSTS="testserver")

    assert last_line == "503 {'status': 'error', 'database': 'unavailable'}"


# transactional_db: the probe closes unusable connections as a request would.
def test_health_probes_send_nothing_and_leave_no_breadcrumb(start_sentry, served_client, transactional_db):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")
    sentry_sdk.get_isolation_scope().clear_breadcrumbs()  # what earlier tests left

    for _ in range(3):
        assert served_client.get("/api/health/")[0] == 200
    sentry_sdk.capture_message("outside any request")

    [event] = transport.events
    assert (event.get("breadcrumbs") or {}).get("values", []) == []
    assert transport.spans == []


# transactional_db: the probe closes unusable connections as a request would, and a
# connection inside the test's transaction looks unusable to PostgreSQL's backend.
def test_health_probes_bypass_sentry_even_at_rate_one_and_with_a_sampled_trace_header(
    start_sentry, served_client, transactional_db, settings
):
    settings.SENTRY_TRUST_INCOMING_TRACES = True
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    status, body = served_client.get(
        "/api/health/", headers={"sentry-trace": "771a43a4192642f0b136d5159a501700-b0e6f15b45c36b12-1"}
    )

    assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})
    assert transport.envelopes == []


def test_the_liveness_probe_is_answered_before_django_and_sentry(start_sentry, served_client):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    status, body = served_client.get("/api/health/live/")

    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert transport.envelopes == []


def test_the_liveness_route_answers_through_django_too(client):
    assert client.get("/api/health/live/").json() == {"status": "ok"}
    assert client.post("/api/health/live/").status_code == 405


# Both probes as a server calls them, through core.wsgi, in one process whose database
# cannot be reached: liveness does not ask it, readiness does.
PROBE_LIVENESS_AND_HEALTH = """
from core.wsgi import application
for path in ("/api/health/live/", "/api/health/"):
    answer = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path}
    body = b"".join(application(environ, lambda status, headers: answer.append(status)))
    print(answer[0].split()[0], body.decode())
"""


def test_liveness_answers_while_the_database_is_unreachable_and_readiness_does_not(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}"

    result = run_project(["-c", PROBE_LIVENESS_AND_HEALTH], "development", DATABASE_URL=unreachable)

    assert result.stdout.strip().splitlines()[-2:] == [
        '200 {"status": "ok"}',
        '503 {"status": "error", "database": "unavailable"}',
    ], result.stderr
{%- if cookiecutter.background_jobs == "celery" %}


def test_health_reports_a_broker_that_does_not_answer(client, settings, closed_port):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"

    response = client.get("/api/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "unavailable"}


def test_health_has_no_broker_to_report_when_tasks_run_eagerly(client):
    assert client.get("/api/health/").json() == {"status": "ok", "database": "ok"}
{%- endif %}
