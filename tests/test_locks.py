"""Every bake's uv.lock: it agrees with its pyproject.toml, names the project by its
slug, pins the same versions whatever the choices, is what the suite installs, and its
hashes are checked at install."""

import json
import os
import re
import subprocess
import tomllib

import pytest

from tests.helpers.bake import UV, UV_ENVIRONMENT, bake_ok, run, uv_sync

POSTGRESQL_ONLY = {"psycopg", "psycopg-binary"}
# What background_jobs=celery adds: Celery, its Redis client and what they depend on
# (but six, which the OpenAPI validator of API bakes needs too).
CELERY_ONLY = {
    "amqp",
    "async-timeout",
    "billiard",
    "celery",
    "celery-types",
    "click-didyoumean",
    "click-plugins",
    "click-repl",
    "kombu",
    "prompt-toolkit",
    "python-dateutil",
    "redis",
    "tzlocal",
    "vine",
    "wcwidth",
}
NINJA_ONLY = {"django-ninja"}
DRF_ONLY = {
    "djangorestframework",
    "djangorestframework-stubs",
    "drf-spectacular",
    "drf-spectacular-sidecar",
    "inflection",
    "uritemplate",
}
# What every bake with an API framework has: the tests' OpenAPI validator and its needs.
API_ONLY = {
    "annotated-types",
    "attrs",
    "jsonschema",
    "jsonschema-path",
    "jsonschema-specifications",
    "lazy-object-proxy",
    "openapi-schema-validator",
    "openapi-spec-validator",
    "pathable",
    "pydantic",
    "pydantic-core",
    "pydantic-settings",
    "python-dotenv",
    "referencing",
    "rfc3339-validator",
    "rpds-py",
    "typing-inspection",
}


def uv(project, *args):
    return run([UV, *args], cwd=project, env={**os.environ, **UV_ENVIRONMENT})


def locked_versions(project):
    lock = tomllib.loads((project / "uv.lock").read_text())
    return {package["name"]: package["version"] for package in lock["package"]}


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"database": "postgresql"},
        {"background_jobs": "celery"},
        {"database": "postgresql", "background_jobs": "celery"},
        {"api_framework": "drf"},
        {"api_framework": "none"},
        {"api_framework": "drf", "database": "postgresql", "background_jobs": "celery"},
        {"project_slug": "shop__api2"},
        {"project_name": 'O\'Brien "Q" \\ Shop'},
    ],
)
def test_lock_agrees_with_pyproject_offline(cookies, answers):
    project = bake_ok(cookies, **answers)

    result = uv(project, "lock", "--check", "--offline")

    assert result.returncode == 0, result.stderr


def test_lock_check_fails_when_pyproject_gains_a_dependency(cookies):
    project = bake_ok(cookies)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('    "whitenoise', '    "requests>=2,<3",\n    "whitenoise', 1)
    )

    # Online: uv must resolve the new requirement to tell that the lock lacks it.
    result = uv(project, "lock", "--check")

    assert result.returncode != 0
    assert "needs to be updated" in result.stderr


def test_lock_names_the_project_as_uv_normalises_the_slug(cookies):
    project = bake_ok(cookies, project_slug="shop__api2")

    assert "shop-api2" in locked_versions(project)


@pytest.mark.parametrize(
    "answers, left_out, added",
    [
        ({"database": "sqlite", "background_jobs": "celery"}, POSTGRESQL_ONLY, set()),
        ({"database": "postgresql", "background_jobs": "none"}, CELERY_ONLY, set()),
        ({"database": "sqlite", "background_jobs": "none"}, POSTGRESQL_ONLY | CELERY_ONLY, set()),
        (
            {"api_framework": "drf", "database": "postgresql", "background_jobs": "celery"},
            NINJA_ONLY,
            DRF_ONLY,
        ),
        (
            {"api_framework": "drf", "database": "sqlite"},
            NINJA_ONLY | POSTGRESQL_ONLY | CELERY_ONLY,
            DRF_ONLY,
        ),
        (
            {"api_framework": "none", "database": "postgresql", "background_jobs": "celery"},
            NINJA_ONLY | API_ONLY,
            set(),
        ),
    ],
)
def test_each_lock_pins_the_full_locks_versions_less_what_its_choices_leave_out(
    cookies, answers, left_out, added
):
    """The fullest lock is Django Ninja's with PostgreSQL and Celery; the others pin the
    same versions, without what their choices leave out and with what they add."""
    full = locked_versions(bake_ok(cookies, database="postgresql", background_jobs="celery"))
    lock = locked_versions(bake_ok(cookies, **answers))

    assert set(full) - set(lock) == left_out
    assert set(lock) - set(full) == added
    assert {name: full[name] for name in set(lock) & set(full)} == {
        name: lock[name] for name in set(lock) & set(full)
    }


def test_uv_sync_installs_exactly_the_locked_versions(project_python, cookies):
    installed = json.loads(
        subprocess.run(
            [
                project_python,
                "-c",
                "import json, importlib.metadata as m; "
                "print(json.dumps({d.name: d.version for d in m.distributions()}))",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    normalised = {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in installed.items()}
    locked = locked_versions(bake_ok(cookies, database="postgresql"))

    assert {name: locked.get(name) for name in normalised} == normalised
    assert {"django", "psycopg", "psycopg-binary", "mypy", "coverage", "uvicorn"} <= set(normalised)


def test_a_tampered_hash_stops_the_install(cookies, tmp_path):
    project = bake_ok(cookies)
    lock = project / "uv.lock"
    text, replaced = re.subn(
        r'(/sqlparse-[^"]+\.whl", hash = "sha256:)([0-9a-f])',
        lambda match: match[1] + ("1" if match[2] == "0" else "0"),
        lock.read_text(),
    )
    assert replaced == 1
    lock.write_text(text)

    with pytest.raises(AssertionError, match="Hash mismatch"):
        uv_sync(project, tmp_path / "venv")
