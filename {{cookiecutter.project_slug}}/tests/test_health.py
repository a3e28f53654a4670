import pytest

from tests.conftest import run_project

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
