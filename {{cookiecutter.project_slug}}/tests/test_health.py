import json

import pytest

from core.wsgi import application
from tests.conftest import WsgiClient, run_project

pytestmark = pytest.mark.django_db


def test_health_returns_ok_json_when_the_database_answers(client):
    response = client.get("/api/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_refuses_writes(client):
    assert client.post("/api/health/").status_code == 405


PROBE_HEALTH = """
import django
django.setup()
from django.test import Client
response = Client().get("/api/health/")
print(response.status_code, response.json())
"""


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}"

    result = run_project(
        ["-c", PROBE_HEALTH], "development", DATABASE_URL=unreachable, ALLOWED_HOSTS="testserver"
    )

    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line == "503 {'status': 'error', 'database': 'unavailable'}", result.stderr


def test_liveness_probe_is_answered_before_django_and_sentry(start_sentry):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    status, body = WsgiClient(application).get("/api/health/live/")

    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert transport.envelopes == []


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


def test_liveness_answers_while_the_database_is_unreachable_and_health_does_not(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}"

    result = run_project(["-c", PROBE_LIVENESS_AND_HEALTH], "development", DATABASE_URL=unreachable)

    assert result.stdout.strip().splitlines()[-2:] == [
        '200 {"status": "ok"}',
        '503 {"status": "error", "database": "unavailable"}',
    ], result.stderr
