"""Start-up under each settings module: what must be given, and what may be missing."""

import os
import shutil

import pytest

from tests.conftest import DEPLOYED_ENVIRONMENT, PROJECT_DIR, run_project


@pytest.mark.parametrize("settings_module", ["staging", "production"])
@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"{% if cookiecutter.background_jobs == "celery" %}, "CELERY_BROKER_URL"{% endif %}])
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
