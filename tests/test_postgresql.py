"""The `database` prompt: PostgreSQL bakes run against a real server; SQLite stays the
default and needs nothing installed; a bad DATABASE_URL is one clear line."""

import tomllib

import pytest

from tests.helpers.bake import run
from tests.helpers.project_commands import project_environment, run_test_suite


def manage(project_python, project, *args, **variables):
    return run(
        [project_python, "manage.py", *args], cwd=project, env=project_environment("development", **variables)
    )


def test_postgresql_bake_migrates_and_passes_its_suite_on_a_real_server(
    pg_backend_project, project_python, postgres
):
    database_url = postgres.create_database("pg_backend")

    migrated = manage(project_python, pg_backend_project, "migrate", "--no-input", DATABASE_URL=database_url)
    assert migrated.returncode == 0, migrated.stderr
    shown = manage(project_python, pg_backend_project, "showmigrations", "auth", DATABASE_URL=database_url)
    assert "[X] 0001_initial" in shown.stdout

    run_test_suite(project_python, pg_backend_project, DATABASE_URL=database_url)


def dependencies(project):
    return tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"]


def test_postgresql_bake_asks_for_the_driver_and_documents_the_url(pg_backend_project):
    assert any(line.startswith("psycopg[binary]") for line in dependencies(pg_backend_project))
    example = (pg_backend_project / ".env.example").read_text()
    assert "DATABASE_URL=postgres://pg_backend:change-me@127.0.0.1:5432/pg_backend" in example


def test_sqlite_bake_needs_no_database_driver(default_project):
    assert not any("psycopg" in line for line in dependencies(default_project))
    assert "psycopg" not in (default_project / "uv.lock").read_text()
    assert "\nDATABASE_URL=" not in (default_project / ".env.example").read_text()
    assert (
        tomllib.loads((default_project / "pyproject.toml").read_text())["project"]["name"] == "averon_backend"
    )


def test_wrong_password_is_one_clear_line(pg_backend_project, project_python, postgres):
    wrong = postgres.url(password="not-the-password")

    result = manage(project_python, pg_backend_project, "migrate", "--no-input", DATABASE_URL=wrong)

    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("OperationalError: ")
    assert 'password authentication failed for user "postgres"' in line
    assert line.endswith("(check DATABASE_URL in .env)")


@pytest.mark.parametrize(
    "url",
    [
        "postgress://pg:secret-password@127.0.0.1/db",
        "127.0.0.1:5432/db",
        "mysql//pg:secret-password@db",
        # Passwords holding the URL's own delimiters are masked whole.
        "postgress://app:secret-password/with/slashes@db/app",
        "postgress://app:secret-password@with@ats@db/app",
        "postgress://app:secret-password:with:colons@db/app",
    ],
)
def test_bad_database_url_stops_start_up_naming_the_variable(pg_backend_project, project_python, url):
    result = manage(project_python, pg_backend_project, "check", DATABASE_URL=url)

    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("ImproperlyConfigured: DATABASE_URL=")
    assert (
        "Fix it, for example: DATABASE_URL=postgres://pg_backend:password@127.0.0.1:5432/pg_backend" in line
    )
    assert "secret-password" not in line and "with" not in line


def test_missing_database_url_stops_a_postgresql_project(pg_backend_project, project_python):
    result = manage(project_python, pg_backend_project, "check", DATABASE_URL="")

    assert result.stderr.strip().startswith("ImproperlyConfigured: DATABASE_URL is not set.")
