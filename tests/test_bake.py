"""What every bake contains, whatever the answers."""

import itertools
import json
import py_compile
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.helpers.bake import TEMPLATE_DIR, bake_ok, env_file_values, run

CHOICES = {
    name: values
    for name, values in json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text()).items()
    if isinstance(values, list)
}
# Jinja left in a bake; `${{ ... }}` is a GitHub Actions expression, meant for the workflow.
UNRENDERED = re.compile(r"(?<!\$)\{\{|\{%|cookiecutter\.")

EXPECTED_FILES = [
    "manage.py",
    "core/env.py",
    "core/urls.py",
    "core/wsgi.py",
    "core/asgi.py",
    *[f"core/settings/{name}.py" for name in ("base", "development", "staging", "production", "test")],
    "edge/health.py",
    "edge/wsgi.py",
    "edge/asgi.py",
    "observability/sentry.py",
    "observability/user_id.py",
    "observability/privacy/__init__.py",
    "users/models.py",
    "users/admin.py",
    "users/migrations/0001_initial.py",
    "users/migrations/0002_cache_table.py",
    "api/urls.py",
    "ops/views.py",
    "ops/management/commands/sentry_check.py",
    "tests/conftest.py",
    "pyproject.toml",
    "uv.lock",
    ".pre-commit-config.yaml",
    ".github/workflows/ci.yml",
    ".github/dependabot.yml",
    ".env.example",
    ".env",
    ".gitignore",
    "Makefile",
    "Dockerfile",
    ".dockerignore",
    "README.md",
    "docs/sentry.md",
    "docs/auth.md",
]


def project_files(project):
    return [path for path in project.rglob("*") if path.is_file()]


def rendered_files(project):
    """The files cookiecutter renders, less Django's own templates, whose {% %} are Django's."""
    return [path for path in project_files(project) if "templates" not in path.relative_to(project).parts]


def test_default_bake_has_the_designed_layout(default_project):
    assert default_project.name == "averon_backend"
    missing = [name for name in EXPECTED_FILES if not (default_project / name).is_file()]
    assert missing == []


NINJA_FILES = ["notes/api.py", "api/fields.py"]
DRF_FILES = ["notes/serializers.py", "notes/views.py"]
EXAMPLE_RESOURCE_FILES = [
    "api/auth.py",
    "api/pagination.py",
    "users/templates/users/accounts_api_docs.html",
    "notes/models.py",
    "notes/admin.py",
    "notes/migrations/0001_initial.py",
    "docs/api.md",
    "tests/notes/test_api.py",
    "tests/api/test_docs.py",
]


@pytest.mark.parametrize(
    "framework, present, absent",
    [
        ("ninja", NINJA_FILES + EXAMPLE_RESOURCE_FILES, DRF_FILES),
        ("drf", DRF_FILES + EXAMPLE_RESOURCE_FILES, NINJA_FILES),
        ("none", [], NINJA_FILES + DRF_FILES + EXAMPLE_RESOURCE_FILES + ["notes"]),
    ],
)
def test_each_api_framework_bakes_its_own_files_and_no_others(cookies, framework, present, absent):
    project = bake_ok(cookies, api_framework=framework)

    assert [name for name in present if not (project / name).is_file()] == []
    assert [name for name in absent if (project / name).exists()] == []


# A path a doc names (not a placeholder): in backticks or as a link's target, under one
# of the project's top-level folders or files. The worked example in docs/api.md (tags)
# is for the reader to create.
DOC_PATH = re.compile(r"`([^`\s]+)`|\]\(([^)#\s]+)")
TOP_LEVEL_NAMES = {path.name for path in (TEMPLATE_DIR / "{{cookiecutter.project_slug}}").iterdir()}


def paths_named_in(text):
    for match in DOC_PATH.finditer(text):
        token = (match[1] or match[2]).rstrip("/.,:")
        if not {"{", "<"} & set(token) and "tags" not in token and token.split("/")[0] in TOP_LEVEL_NAMES:
            yield token


def test_no_doc_of_a_bake_names_a_file_that_bake_lacks(each_project):
    docs = [each_project / "README.md", *sorted((each_project / "docs").glob("*.md"))]
    missing = {
        (str(doc.relative_to(each_project)), path)
        for doc in docs
        for path in paths_named_in(doc.read_text())
        if not (each_project / path).exists()
    }

    assert missing == set()
    assert "docs/sentry.md" in set(paths_named_in((each_project / "README.md").read_text()))


def test_a_bake_without_an_api_framework_names_neither(no_api_project):
    mentions = sorted(
        str(path.relative_to(no_api_project))
        for path in project_files(no_api_project)
        if re.search(rb"ninja|rest_framework|spectacular", path.read_bytes())
    )

    assert mentions == []


# The Dockerfile and README differ by database, much differs by background jobs, and the
# API's files by framework.
@pytest.mark.parametrize(
    "answers",
    [
        {"database": "sqlite"},
        {"database": "postgresql"},
        {"background_jobs": "celery"},
        {"api_framework": "drf"},
        {"api_framework": "none"},
    ],
)
def test_no_template_text_is_left_unrendered(cookies, answers):
    project = bake_ok(cookies, **answers)

    leftovers = [
        str(path.relative_to(project))
        for path in rendered_files(project)
        if UNRENDERED.search(path.read_text())
    ]
    assert leftovers == []


def test_every_python_file_compiles(each_project):
    for path in each_project.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)


def test_a_bake_without_background_jobs_has_nothing_of_celery(cookies, celery_project):
    def mentions(project):
        return sorted(
            str(path.relative_to(project))
            for path in project_files(project)
            if b"celery" in str(path.relative_to(project)).encode().lower() + path.read_bytes().lower()
        )

    assert mentions(bake_ok(cookies)) == []
    assert {"core/celery.py", "ops/tasks.py", "uv.lock", "pyproject.toml"} <= set(mentions(celery_project))


def test_generated_pyproject_parses_and_names_the_project(default_project):
    pyproject = tomllib.loads((default_project / "pyproject.toml").read_text())

    assert pyproject["project"]["name"] == "averon_backend"
    assert pyproject["tool"]["pytest"]["ini_options"]["DJANGO_SETTINGS_MODULE"] == "core.settings.test"
    assert ".env" in pyproject["tool"]["cruft"]["skip"]


def test_ruff_finds_nothing_in_a_bake(each_project):
    for command in (["check"], ["format", "--check"]):
        result = run([sys.executable, "-m", "ruff", *command, "."], cwd=each_project)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "environment, log_level",
    list(itertools.product(CHOICES["sentry_environment"], CHOICES["sentry_log_event_level"])),
)
def test_every_choice_bakes_into_env_file(cookies, environment, log_level):
    project = bake_ok(
        cookies,
        sentry_environment=environment,
        sentry_log_event_level=log_level,
        sentry_traces_sample_rate="0.25",
    )

    values = env_file_values(project)
    assert values["SENTRY_ENVIRONMENT"] == environment
    assert values["SENTRY_LOG_EVENT_LEVEL"] == log_level
    assert values["SENTRY_TRACES_SAMPLE_RATE"] == "0.25"
    assert f'DEFAULT_LOG_EVENT_LEVEL = "{log_level}"' in (project / "observability/config.py").read_text()
    assert not any(UNRENDERED.search(path.read_text()) for path in rendered_files(project))


def test_each_bake_gets_its_own_secret_key(cookies, default_project):
    other = bake_ok(cookies)
    key = env_file_values(default_project)["SECRET_KEY"]

    assert len(key) >= 50
    assert key != env_file_values(other)["SECRET_KEY"]
    assert key != "change-me"


def test_env_file_is_readable_by_its_owner_only(default_project):
    assert (default_project / ".env").stat().st_mode & 0o077 == 0


def test_git_ignores_env_and_never_stages_the_secret_key(default_project, tmp_path):
    repository = tmp_path / "repository"
    subprocess.run(["cp", "-r", default_project, repository], check=True)
    key = env_file_values(repository)["SECRET_KEY"]
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]

    assert run([*git, "init", "-q", "."], cwd=repository).returncode == 0
    assert run([*git, "check-ignore", "-q", ".env"], cwd=repository).returncode == 0
    assert run([*git, "check-ignore", "-q", ".env.example"], cwd=repository).returncode == 1
    assert run([*git, "add", "-A"], cwd=repository).returncode == 0

    staged = run([*git, "diff", "--cached", "--name-only"], cwd=repository).stdout.split()
    assert ".env.example" in staged and ".env" not in staged
    assert [name for name in staged if key in Path(repository, name).read_text()] == []
