"""A baked project, installed from its own uv.lock, passes its own checks."""

import py_compile
import tomllib

import pytest

from tests.helpers.bake import DEPLOYED_ENVIRONMENT, bake_ok, run
from tests.helpers.project_commands import project_environment, run_test_suite

SETTINGS_MODULES = ["development", "staging", "production", "test"]

# Every character that breaks naive quoting in Python, TOML, Markdown or a shell.
AWKWARD_ANSWERS = {
    "project_name": 'O\'Brien "Quoted" \\ Backend',
    "description": 'Says "hi", it\'s \\ fine: [x] # not a comment """',
    "author_name": 'Zoë "Z" O\'Hara \\',
    "author_email": "zoe.o'hara@example.com",
}


def test_generated_test_suite_passes(project_python, default_project):
    result = run_test_suite(project_python, default_project)

    assert " passed" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize("settings_module", SETTINGS_MODULES)
def test_manage_py_check_passes_for_every_settings_module(project_python, default_project, settings_module):
    result = run(
        [project_python, "manage.py", "check"],
        cwd=default_project,
        env=project_environment(settings_module, **DEPLOYED_ENVIRONMENT),
    )

    assert result.returncode == 0, result.stderr


def test_deploy_check_is_clean_with_production_settings(project_python, default_project):
    result = run(
        [project_python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=default_project,
        env=project_environment("production", **DEPLOYED_ENVIRONMENT),
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_awkward_answers_bake_a_project_that_passes_its_checks(cookies, project_python):
    project = bake_ok(cookies, **AWKWARD_ANSWERS)

    assert project.name == "o_brien_quoted_backend"
    for path in project.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert metadata["description"] == AWKWARD_ANSWERS["description"]
    assert metadata["authors"] == [
        {"name": AWKWARD_ANSWERS["author_name"], "email": AWKWARD_ANSWERS["author_email"]}
    ]
    readme = (project / "README.md").read_text()
    assert readme.startswith(f"# {AWKWARD_ANSWERS['project_name']}\n")
    show_name = "from django.conf import settings; print(settings.PROJECT_NAME)"
    shown = run(
        [project_python, "-c", f"import django; django.setup(); {show_name}"],
        cwd=project,
        env=project_environment("development"),
    )
    assert shown.stdout == AWKWARD_ANSWERS["project_name"] + "\n", shown.stderr
    assert run([project_python, "-m", "ruff", "check", "."], cwd=project).returncode == 0
    run_test_suite(project_python, project)
