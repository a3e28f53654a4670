"""Start-up under each settings module: what must be given, and what may be missing."""

import json
import os
import shutil

import pytest

from tests.conftest import DEPLOYED_ENVIRONMENT, PROJECT_DIR, run_django, run_project

REQUIRED_WHEN_DEPLOYED = ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "FRONTEND_URL"{% if cookiecutter.background_jobs == "celery" %}, "CELERY_BROKER_URL"{% endif %}]
# A preflight request from each origin, asking to send the session token, under the
# development settings: what the browser is told, and whom the CSRF check trusts.
ASK_FROM_TWO_ORIGINS = """
import json
from django.conf import settings
from django.test import Client
answers = {}
for origin in ("https://app.example.com", "https://evil.example.net"):
    response = Client().options(
        "/_allauth/app/v1/auth/session",
        headers={"Origin": origin, "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "x-session-token"},
    )
    answers[origin] = {name: response.headers.get(name) for name in
                       ("Access-Control-Allow-Origin", "Access-Control-Allow-Headers")}
print(json.dumps({"answers": answers, "csrf_trusted": settings.CSRF_TRUSTED_ORIGINS}))
"""
HASH_A_PASSWORD = """
from django.contrib.auth.hashers import make_password
print(make_password("correct horse battery staple 42").split("$")[0])
"""


@pytest.mark.parametrize("settings_module", ["staging", "production"])
@pytest.mark.parametrize("variable", REQUIRED_WHEN_DEPLOYED)
def test_deployed_settings_refuse_to_start_without(variable, settings_module):
    # Set to empty, not removed: an empty variable also hides any value in .env.
    variables = {**DEPLOYED_ENVIRONMENT, variable: ""}
    result = run_project(["manage.py", "check"], settings_module, **variables)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} is not set" in result.stderr
    assert f"Fix it, for example: {variable}=" in result.stderr


@pytest.mark.parametrize("settings_module", ["development", "staging", "production", "test"])
def test_every_settings_module_passes_django_checks(settings_module):
    result = run_project(["manage.py", "check"], settings_module, **DEPLOYED_ENVIRONMENT)

    assert result.returncode == 0, result.stderr


def test_development_starts_without_any_env_file(tmp_path):
    project_copy = tmp_path / "project"
    shutil.copytree(PROJECT_DIR, project_copy, ignore=shutil.ignore_patterns(".env", ".venv", "*.sqlite3"))
    # Only a PostgreSQL project's server address is passed on: nothing else may be needed.
    database_url = os.environ.get("DATABASE_URL", "")

    result = run_project(["manage.py", "check"], "development", cwd=project_copy, DATABASE_URL=database_url)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_environment_variables_win_over_env_file(tmp_path):
    project_copy = tmp_path / "project"
    shutil.copytree(PROJECT_DIR, project_copy, ignore=shutil.ignore_patterns(".env", ".venv", "*.sqlite3"))
    (project_copy / ".env").write_text("SENTRY_ENVIRONMENT=from-env-file\nSENTRY_RELEASE=from-env-file\n")
    show = "from core.env import env; print(env('SENTRY_ENVIRONMENT'), env('SENTRY_RELEASE'))"

    result = run_project(["-c", show], "development", cwd=project_copy, SENTRY_ENVIRONMENT="from-process")

    assert result.stdout.split() == ["from-process", "from-env-file"]


def test_deploy_checks_are_clean_in_production():
    result = run_project(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], "production", **DEPLOYED_ENVIRONMENT
    )

    assert result.returncode == 0, result.stderr


LOG_A_LINE_OF_EACH = """
import logging
import django
django.setup()
logging.getLogger("django.request").warning("a line of Django's own")
logging.getLogger("ops").warning("a line of the project's")
"""


def test_development_prints_each_log_line_once():
    result = run_project(["-c", LOG_A_LINE_OF_EACH], "development")

    printed = result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    assert printed.count("a line of Django's own") == 1
    assert printed.count("a line of the project's") == 1


def test_a_listed_frontend_origin_may_send_the_session_token_and_others_get_no_answer():
    result = json.loads(
        run_django(ASK_FROM_TWO_ORIGINS, "development", CORS_ALLOWED_ORIGINS="https://app.example.com")
    )

    answers = result["answers"]
    listed, other = answers["https://app.example.com"], answers["https://evil.example.net"]
    assert listed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "x-session-token" in listed["Access-Control-Allow-Headers"]
    assert other == {"Access-Control-Allow-Origin": None, "Access-Control-Allow-Headers": None}
    assert result["csrf_trusted"] == ["https://app.example.com"]


def test_no_other_origin_is_allowed_by_default():
    result = json.loads(run_django(ASK_FROM_TWO_ORIGINS, "development", CORS_ALLOWED_ORIGINS=""))

    assert all(answer["Access-Control-Allow-Origin"] is None for answer in result["answers"].values())
    assert result["csrf_trusted"] == []


def test_passwords_are_hashed_with_argon2_outside_the_tests():
    assert run_django(HASH_A_PASSWORD, "development") == "argon2"
